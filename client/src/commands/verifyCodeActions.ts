// Quick fixes on Verify Package's findings (the language server never sees those: they live in the
// client's own diagnostic collection): Regenerate where a new manifest resolves the finding, on the
// manifest line and on the descriptor's href alike.
import * as vscode from 'vscode';
import { GENERATE_MANIFEST_COMMAND } from '../../../server/src/ovf/editorCommands';
import { VerifyResult } from '../../../server/src/ovf/manifest/verifyPackage';

/** Codes a newly generated manifest resolves (a changed disk is then taken as intended). */
const REGENERATE = new Set(['manifest/digest-mismatch', 'manifest/stale-descriptor', 'manifest/missing-entry', 'manifest/no-manifest']);

export class VerifyCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  /** Manifest or descriptor file (fsPath) → its descriptor, from the last verification of each. */
  private readonly descriptorOf = new Map<string, vscode.Uri>();

  constructor(private readonly source: string) {}

  remember(result: VerifyResult): void {
    const descriptor = vscode.Uri.file(result.descriptorPath);
    this.descriptorOf.set(vscode.Uri.file(result.manifestPath).fsPath, descriptor);
    this.descriptorOf.set(descriptor.fsPath, descriptor);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const descriptor = this.descriptorOf.get(document.uri.fsPath);
    const fixed = context.diagnostics.filter((d) => d.source === this.source && REGENERATE.has(codeOf(d)));
    if (!descriptor || !fixed.length) return [];
    const fresh = fixed.every((d) => codeOf(d) === 'manifest/no-manifest');
    const title = fresh ? 'Generate manifest' : 'Regenerate manifest';
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = fixed;
    action.command = { title, command: GENERATE_MANIFEST_COMMAND, arguments: [descriptor] };
    return [action];
  }
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}
