// Which descriptor a manifest command works on: the argument (a Uri, or a URI string from a code
// action), the active editor's descriptor (or the descriptor beside its manifest), or a file picked.
import * as path from 'node:path';
import * as vscode from 'vscode';

export async function pickDescriptor(arg: vscode.Uri | string | undefined, action: string): Promise<vscode.Uri | undefined> {
  const given = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : undefined;
  const candidate = given ?? vscode.window.activeTextEditor?.document.uri;
  if (candidate?.scheme === 'file') {
    const ext = path.extname(candidate.fsPath).toLowerCase();
    if (ext === '.ovf') return candidate;
    if (ext === '.mf') return vscode.Uri.file(candidate.fsPath.slice(0, -3) + '.ovf');
  }
  if (given) {
    void vscode.window.showErrorMessage(`${action}: ${given.fsPath || given.toString()} is not an OVF descriptor (.ovf) on disk.`);
    return undefined;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'OVF descriptor': ['ovf'] },
    openLabel: action,
  });
  return picked?.[0];
}

/** Saves the descriptor first when it has unsaved edits (the manifest covers the bytes on disk). */
export async function ensureSaved(descriptor: vscode.Uri, action: string): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === descriptor.toString());
  if (!doc?.isDirty) return true;
  const save = 'Save and continue';
  const answer = await vscode.window.showWarningMessage(
    `${action}: ${path.basename(descriptor.fsPath)} has unsaved changes, and the manifest covers the file on disk.`,
    { modal: true },
    save,
  );
  return answer === save && (await doc.save());
}
