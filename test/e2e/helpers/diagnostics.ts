// Reading the language server's diagnostics the way users see them: vscode.languages.getDiagnostics.
import * as vscode from 'vscode';
import { waitFor } from './workspace';

export function codeOf(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return String(code);
}

/** ovfkit's diagnostics on `uri` (other extensions' are ignored). */
export function ovfkitDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ovfkit');
}

export function describe(diagnostics: vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ');
}

/** Waits for a diagnostic with `code` on `uri` and returns it. */
export async function waitForDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 20_000): Promise<vscode.Diagnostic> {
  try {
    return await waitFor(`${code} on ${uri.fsPath}`, () => ovfkitDiagnostics(uri).find((d) => codeOf(d) === code), timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; diagnostics there: ${describe(ovfkitDiagnostics(uri))}`);
  }
}

/** Waits until no diagnostic with `code` is left on `uri`. */
export async function waitForNoDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 20_000): Promise<void> {
  try {
    await waitFor(`${code} to disappear from ${uri.fsPath}`, () => !ovfkitDiagnostics(uri).some((d) => codeOf(d) === code), timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; diagnostics there: ${describe(ovfkitDiagnostics(uri))}`);
  }
}

/** The range of the first occurrence of `needle` after `after` in the document: what a rule should flag. */
export function rangeOf(doc: vscode.TextDocument, needle: string, after = ''): vscode.Range {
  const text = doc.getText();
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(needle, Math.max(0, from));
  if (from < 0 || at < 0) throw new Error(`fixture ${doc.uri.fsPath} has no "${needle}"${after ? ` after "${after}"` : ''}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

export function showRange(doc: vscode.TextDocument, r: vscode.Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} "${doc.getText(r)}"`;
}
