// Which descriptor a manifest command works on: the argument (a Uri, or a URI string from a code
// action), the active editor's descriptor (or the descriptor beside its manifest), or one picked
// from the workspace's descriptors.
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
  return pickWorkspaceDescriptor(action);
}

/** What an Upload command sends: an .ova given to it (the explorer's context menu), or a descriptor as pickDescriptor finds one. */
export async function pickUploadSource(arg: vscode.Uri | string | undefined, action: string): Promise<vscode.Uri | undefined> {
  const given = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : undefined;
  // The OVA is read in place (its members are sent from their ranges), so it must be a file on disk.
  if (given?.scheme === 'file' && path.extname(given.fsPath).toLowerCase() === '.ova') return given;
  return pickDescriptor(arg, action);
}

/** Descriptors listed from the workspace is more than a pick needs. */
const MAX_LISTED = 200;

/** A pick of the workspace's descriptors (open ones first), with a file dialog as the last resort. */
async function pickWorkspaceDescriptor(action: string): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles('**/*.ovf', '**/node_modules/**', MAX_LISTED);
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  found.sort((a, b) => Number(!open.has(a.toString())) - Number(!open.has(b.toString())) || a.fsPath.localeCompare(b.fsPath));
  const browse = { label: '$(folder-opened) Browse for a descriptor…', uri: undefined as vscode.Uri | undefined };
  const items = found.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri }));
  const picked = await vscode.window.showQuickPick([...items, browse], {
    title: action,
    placeHolder: found.length > 0 ? 'Which OVF descriptor?' : 'No .ovf descriptor in this workspace',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'OVF descriptor': ['ovf'] }, openLabel: action });
  return chosen?.[0];
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
