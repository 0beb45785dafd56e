// The fixtures workspace (a fresh copy per run) and the ovfkit extension as the editor sees it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ovfkit.ovfkit';

export function ovfkit(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
  return ext;
}

/** package.json of the extension under test, as the editor loaded it. */
export function manifest(): {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    walkthroughs?: { id: string; title: string; steps: { id: string; media: Record<string, unknown> }[] }[];
  };
  activationEvents?: string[];
} {
  return ovfkit().packageJSON;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e runner opens the fixtures workspace; no folder is open');
  return folder.uri.fsPath;
}

export function fixturePath(relative: string): string {
  return path.join(workspaceRoot(), relative);
}

export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.file(fixturePath(relative));
}

export async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
