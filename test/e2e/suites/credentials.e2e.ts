// ovfkit: Forget Stored Credentials deletes every vCloud and FTPS secret ovfkit keeps: the keys the
// settings name and the keys noted when stored, and leaves other secrets alone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, ovfkit, waitFor } from '../helpers/workspace';

interface Services { context: vscode.ExtensionContext }

suite('credentials', () => {
  let secrets: vscode.SecretStorage;

  suiteSetup(async () => {
    await openFixture('clean/clean.ovf');
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
    secrets = (ovfkit().exports as Services).context.secrets;
  });
  suiteTeardown(closeAllEditors);

  test('forgets the vCloud password, the API token and FTPS passwords; says so when there is nothing left', async () => {
    const context = (ovfkit().exports as Services).context;
    const vcloud = vscode.workspace.getConfiguration('ovfkit.vcloud');
    const ftps = vscode.workspace.getConfiguration('ovfkit.ftps');
    await vcloud.update('url', 'https://vcloud.example.com', vscode.ConfigurationTarget.Global);
    await vcloud.update('org', 'acme', vscode.ConfigurationTarget.Global);
    await vcloud.update('user', 'alice', vscode.ConfigurationTarget.Global);
    await ftps.update('user', 'alice', vscode.ConfigurationTarget.Global);
    try {
      // Keys the settings name (as the upload commands store them) …
      const fromSettings = [
        'ovfkit.vcloud:alice@acme@https://vcloud.example.com',
        'ovfkit.vcloud.apiToken:acme@https://vcloud.example.com',
        'ovfkit.ftps:alice@ftps-eu.cloud-vpn.net',
      ];
      // … and one only the note taken at store time knows (a host no setting names any more).
      const noted = 'ovfkit.ftps:bob@127.0.0.1';
      for (const key of [...fromSettings, noted]) await secrets.store(key, `secret-of-${key}`);
      await context.globalState.update('ovfkit.storedCredentialKeys', [noted]);
      await secrets.store('someone.else', 'kept');

      const forgotten = await vscode.commands.executeCommand<string[]>('ovfkit.forgetCredentials', { confirm: false });
      assert.deepEqual([...(forgotten ?? [])].sort(), [...fromSettings, noted].sort());
      for (const key of [...fromSettings, noted]) assert.equal(await secrets.get(key), undefined, `${key} is still stored`);
      assert.equal(await secrets.get('someone.else'), 'kept');
      assert.deepEqual(await vscode.commands.executeCommand('ovfkit.forgetCredentials', { confirm: false }), []);
    } finally {
      for (const key of ['url', 'org', 'user']) await vcloud.update(key, undefined, vscode.ConfigurationTarget.Global);
      await ftps.update('user', undefined, vscode.ConfigurationTarget.Global);
      await secrets.delete('someone.else');
    }
  });
});
