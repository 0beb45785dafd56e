// ovfkit: Upload Package to vCloud Director inside a real editor, against the built-in simulator the
// command starts in the extension host (the embedded default for trying it without a vCloud).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, ovfkit, waitFor } from '../helpers/workspace';

interface UploadResult {
  status: number;
  templateName: string;
  vmNames: string[];
  totalBytes: number;
}

suite('vCloud upload', () => {
  suiteSetup(async () => {
    await ovfkit().activate();
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
  });
  suiteTeardown(closeAllEditors);

  test('uploads a package to the built-in simulator: status 8 and the VM names vCloud gives', async () => {
    const result = (await vscode.commands.executeCommand('ovfkit.uploadVcloud', fixtureUri('long-id/long-id.ovf'), {
      simulator: true,
      catalog: 'Templates',
      name: 'e2e-long-id',
      description: 'uploaded by the e2e suite',
    })) as UploadResult | undefined;
    assert.ok(result, 'the command returned no result (it failed or was cancelled: see the ovfkit log)');
    assert.equal(result.status, 8);
    assert.equal(result.templateName, 'e2e-long-id');
    assert.deepEqual(result.vmNames, ['NewVirtualMac001']);
  });

  test('a package the server refuses ends without a result', async () => {
    const result = await vscode.commands.executeCommand('ovfkit.uploadVcloud', fixtureUri('compressed/compressed.ovf'), {
      simulator: true,
      catalog: 'Templates',
      name: 'e2e-compressed',
      description: '',
      force: true,
    });
    assert.equal(result, undefined);
  });
});
