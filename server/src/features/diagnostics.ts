// Validation as you type. The debounce adapts to the document: a small descriptor validates a few
// milliseconds after each keystroke, a 12 MB one waits until typing pauses. Stale runs (a newer
// version arrived meanwhile) never publish.
import { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runRules } from '../ovf/validate';
import { ValidationSettings } from '../ovf/settings';
import { DocumentModels } from './documentModels';
import { toDiagnostic } from './lspConvert';
import { PackageFactsCache } from './packageWatcher';

const MIN_DELAY_MS = 5;
const MAX_DELAY_MS = 300;

export class DiagnosticsFeature {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastCostMs = new Map<string, number>();
  private readonly published = new Map<string, Diagnostic[]>();

  /** What was last published for a document (code actions offer "fix all" from it). */
  lastPublished(uri: string): Diagnostic[] {
    return this.published.get(uri) ?? [];
  }

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly models: DocumentModels,
    private readonly packages: PackageFactsCache,
    private readonly settingsFor: (uri: string) => Promise<ValidationSettings>,
  ) {}

  /** Schedules validation; `now` skips the debounce (open, save, settings or package change). */
  schedule(uri: string, now = false): void {
    clearTimeout(this.timers.get(uri));
    const delay = now ? 0 : Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, 2 * (this.lastCostMs.get(uri) ?? 0)));
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.validate(uri).catch((err) => this.connection.console.error(`validation of ${uri} failed: ${err?.stack ?? err}`));
    }, delay));
  }

  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.lastCostMs.delete(uri);
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async validate(uri: string): Promise<void> {
    const document = this.documents.get(uri);
    if (!document) return;
    const version = document.version;
    const settings = await this.settingsFor(uri);
    const model = this.models.get(document);
    const pkg = model.xml.error ? undefined : await this.packages.get(uri, model);
    const signature = model.xml.error ? [] : await this.packages.signature(uri, model);
    if (this.documents.get(uri)?.version !== version) return; // superseded while we waited
    const started = performance.now();
    const diagnostics: Diagnostic[] = [...runRules(model, settings, pkg), ...signature].map((f) => toDiagnostic(f, model.lines, uri));
    this.lastCostMs.set(uri, performance.now() - started);
    this.published.set(uri, diagnostics);
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
