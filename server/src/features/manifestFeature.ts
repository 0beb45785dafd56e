// The `.mf` language in the server: diagnostics for open manifests (debounced as the user types,
// re-checked when a file of their package changes on disk, e.g. the descriptor is saved) and their
// code actions. server.ts routes manifest documents here instead of to the descriptor features.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeAction, CodeActionParams, Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { manifestCodeActions } from './manifestCodeActions';
import { manifestDiagnostics } from './manifestDiagnostics';

const DEBOUNCE_MS = 150;

/** A file: URI of a `.mf` file. */
export function isManifestUri(uri: string): boolean {
  return uri.startsWith('file:') && /\.mf$/i.test(uri);
}

export class ManifestFeature {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly connection: Pick<Connection, 'sendDiagnostics' | 'console'>,
    private readonly documents: Pick<TextDocuments<TextDocument>, 'get' | 'all'>,
  ) {}

  /** Re-checks a manifest document; `now` skips the debounce (open, save). */
  schedule(uri: string, now = false): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.check(uri).catch((err) => this.connection.console.error(`manifest check of ${uri} failed: ${err?.stack ?? err}`));
      }, now ? 0 : DEBOUNCE_MS),
    );
  }

  /** A file changed on disk (descriptor saved, disk replaced): re-check the open manifests beside it. */
  fileChanged(changedUri: string): void {
    if (!changedUri.startsWith('file:')) return;
    const folder = path.dirname(fileURLToPath(changedUri));
    for (const doc of this.documents.all()) {
      if (isManifestUri(doc.uri) && doc.uri !== changedUri && path.dirname(fileURLToPath(doc.uri)) === folder) this.schedule(doc.uri, true);
    }
  }

  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  codeActions(params: CodeActionParams): CodeAction[] {
    return manifestCodeActions(params.textDocument.uri, params.context.diagnostics);
  }

  /** Checks now and publishes, unless the document changed meanwhile. */
  async check(uri: string): Promise<void> {
    const document = this.documents.get(uri);
    if (!document) return;
    const version = document.version;
    const diagnostics = await manifestDiagnostics(document.getText(), uri);
    if (this.documents.get(uri)?.version !== version) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
