// Opening an .ova in a real VS Code: the OVA's editor lists its members and opens its descriptor,
// read straight from the tar, as a read-only document with the language server's diagnostics.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitForDiagnostic } from '../helpers/diagnostics';
import { closeAllEditors, fixtureUri, waitFor } from '../helpers/workspace';

suite('OVA packages', () => {
  teardown(closeAllEditors);

  test('opening an .ova shows its descriptor read-only, with diagnostics from its members', async () => {
    const ova = fixtureUri('ova/long-id.ova');
    await vscode.commands.executeCommand('vscode.open', ova);
    const editor = await waitFor('the descriptor of long-id.ova in an editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'ovfkit-ova' && e.document.uri.path.endsWith('long-id.ova/long-id.ovf')));
    const doc = editor.document;
    assert.equal(doc.languageId, 'ovf');
    assert.match(doc.getText(), /NewVirtualMachine1/);
    await waitForDiagnostic(doc.uri, 'vcloud/id-too-long');
    const missing = await waitForDiagnostic(doc.uri, 'package/missing-file');
    assert.match(missing.message, /disk1\.vmdk/);
    // Read-only: the file system says so, and typing in the editor changes nothing.
    assert.equal(vscode.workspace.fs.isWritableFileSystem('ovfkit-ova'), false);
    const before = doc.getText();
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('type', { text: 'typed' });
    assert.equal(doc.getText(), before);
    assert.equal(doc.isDirty, false);
  });

  test('ovfkit: Open OVA Descriptor opens the same document from the explorer', async () => {
    await vscode.commands.executeCommand('ovfkit.openOvaDescriptor', fixtureUri('ova/long-id.ova'));
    const editor = await waitFor('the OVA descriptor', () => vscode.window.activeTextEditor?.document.uri.scheme === 'ovfkit-ova' && vscode.window.activeTextEditor);
    assert.match(editor.document.uri.path, /long-id\.ova\/long-id\.ovf$/);
  });
});
