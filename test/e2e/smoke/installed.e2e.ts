// The .vsix, installed into the editor with --install-extension (scripts/e2e/run.mjs --vsix):
// the packaged bundle activates on an .ovf and its language server publishes diagnostics.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitForDiagnostic } from '../helpers/diagnostics';
import { measureActivation } from '../helpers/activation';
import { EXTENSION_ID, openFixture, ovfkit } from '../helpers/workspace';

suite('installed .vsix', () => {
  test('ovfkit runs from the extensions folder, not from the working tree', () => {
    const ext = ovfkit();
    const folder = path.basename(ext.extensionPath);
    assert.ok(folder.startsWith(`${EXTENSION_ID}-`), `ovfkit loaded from ${ext.extensionPath}, not from an installed package`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });

  test('opening a fixture activates it and shows its diagnostics', async () => {
    await measureActivation('long-id/long-id.ovf', 'vcloud/id-too-long');
    const longId = vscode.window.activeTextEditor?.document;
    assert.ok(longId);
    const d = await waitForDiagnostic(longId.uri, 'vcloud/id-too-long');
    assert.equal(longId.getText(d.range), 'NewVirtualMachine1');
    const { document: dangling } = await openFixture('dangling-ref/dangling-ref.ovf');
    await waitForDiagnostic(dangling.uri, 'ref/file-ref');
  });

  test("a code's link opens the packaged docs/RULES.md at the rule's row", async () => {
    const { document } = await openFixture('long-id/long-id.ovf');
    const d = await waitForDiagnostic(document.uri, 'vcloud/id-too-long');
    assert.ok(typeof d.code === 'object', 'the code carries no link');
    const target = d.code.target;
    assert.equal(target.fsPath, path.join(ovfkit().extensionPath, 'docs', 'RULES.md'));
    const line = Number(/^L(\d+)$/.exec(target.fragment)?.[1]);
    const rules = await vscode.workspace.openTextDocument(vscode.Uri.file(target.fsPath));
    assert.match(rules.lineAt(line - 1).text, /`vcloud\/id-too-long`/);
  });

  test('the packaged CloudControl simulator starts and the CloudControl view connects to it', async () => {
    const connected = await vscode.commands.executeCommand<boolean>('ovfkit.cloudcontrol.connect', { simulator: true });
    assert.equal(connected, true, 'Connect to CloudControl with the built-in simulator failed (is dist/cloudcontrolSim.js in the .vsix?)');
  });
});
