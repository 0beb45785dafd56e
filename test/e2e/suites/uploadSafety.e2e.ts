// Safe defaults before an upload, in a real editor. The workbench refuses modal dialogs while
// extension tests run, answering them as a user pressing Cancel (or Escape) would; so these tests
// show that a dismissed question never uploads, that a blocked package ends before any question
// (an FTPS command that asked first would open the region picker), even when forced, and that the
// go-ahead is the only gate for errors the cloud may accept. The dialog's wording and button
// order are unit-tested (test/unit/transferFailureText.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { startFtpsTestServer } from '../../support/ftpsServer';
import * as ui from '../helpers/ui';
import { closeAllEditors, fixturePath, fixtureUri, ovfkit, waitFor } from '../helpers/workspace';

/** Runs a command that must end by itself within `ms` (a question it asked would keep it waiting). */
async function endsWithin<T>(ms: number, run: Thenable<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms: it asked something`)), ms)));
  try {
    return await Promise.race([Promise.resolve(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

suite('upload safety', () => {
  suiteSetup(async () => {
    await ovfkit().activate();
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
    await closeAllEditors();
  });
  teardown(async () => {
    // A question left open by a failed test must not block the next one.
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  test('FTPS: a missing file ends the command before the region, user or password is asked, even when forced', async () => {
    const ftps = vscode.workspace.getConfiguration('ovfkit.ftps');
    assert.equal(ftps.get('region'), '', 'this test needs no region set: the picker would be the first question');
    for (const force of [false, true]) {
      const result = await endsWithin(15_000, vscode.commands.executeCommand('ovfkit.uploadFtps', fixtureUri('upload-checks/missing-disk.ovf'), { force, scope: 'package' }), `uploadFtps (force ${force})`);
      assert.equal(result, undefined);
    }
  });

  test('vCloud: a missing file blocks, also when forced; nothing is asked', async () => {
    const result = await endsWithin(15_000, vscode.commands.executeCommand('ovfkit.uploadVcloud', fixtureUri('upload-checks/missing-disk.ovf'), { force: true }), 'uploadVcloud');
    assert.equal(result, undefined);
  });

  test('errors vCloud may accept: a dismissed question does not upload; the go-ahead does', async () => {
    // vmx-13 above the VDC's highest (from the workspace's settings): an error vCloud may or may not enforce.
    const vcloud = vscode.workspace.getConfiguration('ovfkit.vcloud');
    await vcloud.update('maxHardwareVersion', 10, vscode.ConfigurationTarget.Workspace);
    try {
      const options = { simulator: true, catalog: 'Templates', description: '' };
      const dismissed = await endsWithin(15_000, vscode.commands.executeCommand('ovfkit.uploadVcloud', fixtureUri('upload-checks/doubtful.ovf'), { ...options, name: 'doubtful-dismissed' }), 'uploadVcloud');
      assert.equal(dismissed, undefined, 'the upload went ahead without the user saying so');
      const forced = await vscode.commands.executeCommand<{ status: number; templateName: string } | undefined>('ovfkit.uploadVcloud', fixtureUri('upload-checks/doubtful.ovf'), { ...options, name: 'doubtful-forced', force: true });
      assert.ok(forced, 'with the go-ahead (force) the upload should run: see the ovfkit log');
      assert.equal(forced.status, 8);
      assert.equal(forced.templateName, 'doubtful-forced');
    } finally {
      await vcloud.update('maxHardwareVersion', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a failed FTPS connection in plain words, with the buttons that fix it (README screenshot)', async function () {
    if (!ui.available) this.skip(); // the toast is read and photographed through the browser of scripts/e2e/run.mjs
    // A region whose host does not resolve (.invalid never does, RFC 2606), as a mistyped one would.
    const ftps = vscode.workspace.getConfiguration('ovfkit.ftps');
    await ftps.update('regions', [{ id: 'nowhere', name: 'Nowhere (example)', host: 'ftps-nowhere.invalid' }], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('notifications.clearAll');
    try {
      assert.ok(await vscode.commands.executeCommand('ovfkit.generateManifest', fixtureUri('staged/staged.ovf'), { algorithm: 'SHA256' }));
      await vscode.commands.executeCommand('notifications.clearAll');
      const result = await vscode.commands.executeCommand('ovfkit.uploadFtps', fixtureUri('staged/staged.ovf'), { region: 'nowhere', user: 'demo', password: 'not-used', scope: 'descriptorAndManifest', force: true });
      assert.equal(result, undefined);
      // Extension tests keep toasts hidden: the notification centre shows the same item.
      await vscode.commands.executeCommand('notifications.showList');
      const item = '.notifications-center .notification-list-item';
      await ui.waitVisible(`${item} >> text=not found`, 20_000);
      const message = (await ui.read(`${item} .notification-list-item-message`)).text;
      assert.match(message, /Upload to FTPS Staging: Host ftps-nowhere\.invalid not found — check the region or your VPN\./);
      assert.doesNotMatch(message, /getaddrinfo|control socket|--ca/);
      for (const label of ['Change Region', 'Open Settings', 'Show Log']) assert.equal(await ui.count(`${item} .monaco-button >> text="${label}"`), 1, `no ${label} button`);
      await new Promise((r) => setTimeout(r, 500));
      await ui.screenshot('screenshot-ftps-error');
    } finally {
      await ftps.update('regions', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(fixturePath('staged/staged.mf'), { force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  test('FTPS: a picked region is saved only once its server accepted the login', async function () {
    if (!ui.available) this.skip(); // the region is picked with the keyboard, through the browser of scripts/e2e/run.mjs
    const server = await startFtpsTestServer();
    const ftps = () => vscode.workspace.getConfiguration('ovfkit.ftps');
    const local = { id: 'local', name: 'Local test server', host: server.host };
    const nowhere = { id: 'nowhere', name: 'Nowhere (example)', host: 'ftps-nowhere.invalid' };
    await ftps().update('port', server.port, vscode.ConfigurationTarget.Workspace);
    await ftps().update('caFile', server.caFile, vscode.ConfigurationTarget.Workspace);
    const upload = async (first: { id: string; name: string; host: string }, other: typeof first) => {
      // The picker lists the regions in order; Enter takes the first.
      await ftps().update('regions', [first, other], vscode.ConfigurationTarget.Workspace);
      const run = vscode.commands.executeCommand('ovfkit.uploadFtps', fixtureUri('staged/staged.ovf'), { user: server.user, password: server.password, remoteDir: server.freshDir(first.id), scope: 'descriptorAndManifest', force: true });
      await ui.waitVisible(`.quick-input-widget >> text=${first.name}`);
      await ui.press('Enter');
      return run;
    };
    try {
      assert.ok(await vscode.commands.executeCommand('ovfkit.generateManifest', fixtureUri('staged/staged.ovf'), { algorithm: 'SHA256' }));
      assert.equal(ftps().inspect('region')?.globalValue, undefined);
      assert.equal(await upload(nowhere, local), undefined, 'a host that does not resolve cannot upload');
      assert.equal(ftps().inspect('region')?.globalValue, undefined, 'a region that never logged in was saved');
      assert.ok(await upload(local, nowhere), 'the upload to the local server failed: see the ovfkit log');
      assert.equal(ftps().inspect('region')?.globalValue, 'local');
    } finally {
      for (const key of ['regions', 'port', 'caFile']) await ftps().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      await ftps().update('region', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(fixturePath('staged/staged.mf'), { force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
      await server.close();
    }
  });
});
