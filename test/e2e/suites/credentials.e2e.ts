// ovfkit: Forget Stored Credentials deletes every vCloud and FTPS secret ovfkit keeps, including
// keys for logins the settings no longer name, and leaves other extensions' secrets alone.
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
    const keys = [
      'ovfkit.vcloud:alice@acme@https://vcloud.example.com',
      'ovfkit.vcloud.apiToken:acme@https://vcloud.example.com',
      'ovfkit.ftps:alice@ftps-eu.cloud-vpn.net',
      'ovfkit.ftps:bob@127.0.0.1', // a host no setting names any more
    ];
    for (const key of keys) await secrets.store(key, `secret-of-${key}`);
    await secrets.store('someone.else', 'kept');
    // Stores are noted asynchronously (SecretStorage.onDidChange); wait until all are.
    await waitFor('ovfkit to note the stored keys', async () => {
      const noted = (ovfkit().exports as Services).context.globalState.get<string[]>('ovfkit.storedCredentialKeys', []);
      return keys.every((k) => noted.includes(k));
    });
    const forgotten = await vscode.commands.executeCommand<string[]>('ovfkit.forgetCredentials', { confirm: false });
    assert.deepEqual([...(forgotten ?? [])].sort(), [...keys].sort());
    for (const key of keys) assert.equal(await secrets.get(key), undefined, `${key} is still stored`);
    assert.equal(await secrets.get('someone.else'), 'kept');
    assert.deepEqual(await vscode.commands.executeCommand('ovfkit.forgetCredentials', { confirm: false }), []);
    await secrets.delete('someone.else');
  });
});
