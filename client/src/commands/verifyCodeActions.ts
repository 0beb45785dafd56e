// Quick fixes on Verify Package's findings (the language server never sees those: they live in the
// client's own diagnostic collection): Regenerate where a new manifest resolves the finding, on the
// manifest line and on the descriptor's href alike.
import * as vscode from 'vscode';
import { GENERATE_MANIFEST_COMMAND, parseManifest, VerifyResult } from '../../../server/src/ovf';

/** Codes a newly generated manifest resolves (a changed disk is then taken as intended). */
const REGENERATE = new Set(['manifest/digest-mismatch', 'manifest/stale-descriptor', 'manifest/missing-entry', 'manifest/no-manifest']);

export class VerifyCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  /** Manifest or descriptor file (fsPath) → its descriptor and manifest algorithm, from the last verification. */
  private readonly packageOf = new Map<string, { descriptor: vscode.Uri; algorithm?: string }>();

  constructor(private readonly source: string) {}

  remember(result: VerifyResult): void {
    // Regenerating keeps the manifest's algorithm (and so asks nothing).
    const entry = { descriptor: vscode.Uri.file(result.descriptorPath), algorithm: result.manifest && parseManifest(result.manifest.text).algorithm };
    this.packageOf.set(vscode.Uri.file(result.manifestPath).fsPath, entry);
    this.packageOf.set(entry.descriptor.fsPath, entry);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const pkg = this.packageOf.get(document.uri.fsPath);
    const fixed = context.diagnostics.filter((d) => d.source === this.source && REGENERATE.has(codeOf(d)));
    if (!pkg || !fixed.length) return [];
    const fresh = fixed.every((d) => codeOf(d) === 'manifest/no-manifest');
    const title = fresh ? 'Generate manifest' : 'Regenerate manifest';
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = fixed;
    action.command = { title, command: GENERATE_MANIFEST_COMMAND, arguments: [pkg.descriptor, { algorithm: pkg.algorithm }] };
    return [action];
  }
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}
