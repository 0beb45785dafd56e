// CloudControl in a real editor, against the CloudControl simulator (CaaS API + FTPS staging on one
// folder) started here on 127.0.0.1. Everything comes from settings, as a user sets them: the API
// host, the staging host and user, the simulator's CA through the CA settings, and the one password
// in VS Code's secret storage (the staging login is the API's). Upload → import → NORMAL in the
// CloudControl view; export → download and manifest check; a failed import shows the server's words.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../../../client/src/extension';
import type { ImportOutcome } from '../../../client/src/cloudcontrol/importFlow';
import type { ExportOutcome } from '../../../client/src/cloudcontrol/exportFlow';
import { CloudControlSimulator, startCloudControlSimulator } from '../../../client/src/simulator/cloudcontrol/simulator';
import { editorValidationSettings } from '../../../client/src/commands/uploadReadinessPrompt';
import { planUpload } from '../../../server/src/ovf';
import { sha256File } from '../../support/ftpsServer';
import * as ui from '../helpers/ui';
import { closeAllEditors, fixturePath, fixtureUri, openFixture, ovfkit, waitFor } from '../helpers/workspace';

const POLL_MS = 200;
const SETTINGS: Array<[section: string, key: string]> = [
  ['ovfkit.cloudcontrol', 'apiHost'],
  ['ovfkit.cloudcontrol', 'caFile'],
  ['ovfkit.ftps', 'host'],
  ['ovfkit.ftps', 'port'],
  ['ovfkit.ftps', 'user'],
  ['ovfkit.ftps', 'caFile'],
];

/** Set only by the test that answers the prompts in the browser. */
const UI_SETTINGS: Array<[section: string, key: string]> = [
  ['ovfkit.cloudcontrol', 'datacenter'],
  ['ovfkit.cloudcontrol', 'pollSeconds'],
];

suite('CloudControl import and export', () => {
  let sim: CloudControlSimulator;
  let services: ExtensionServices;
  const secretKey = () => `ovfkit.ftps:${sim.user}@${sim.ftps.host}`;
  const tree = () => {
    assert.ok(services.cloudcontrol, 'the CloudControl view is not registered');
    return services.cloudcontrol.tree;
  };

  /** Points ovfkit at the simulator as a user would: settings, and the password in secret storage. */
  const configure = async () => {
    const values: Record<string, unknown> = { apiHost: sim.apiHost, caFile: sim.caFile, host: sim.ftps.host, port: sim.ftps.port, user: sim.user };
    for (const [section, key] of SETTINGS) await vscode.workspace.getConfiguration(section).update(key, values[key], vscode.ConfigurationTarget.Global);
    await services.context.secrets.store(secretKey(), sim.password);
  };

  suiteSetup(async () => {
    services = (await ovfkit().activate()) as ExtensionServices;
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
    sim = await startCloudControlSimulator();
    const { document } = await openFixture('staged/staged.ovf');
    assert.ok(await vscode.commands.executeCommand('ovfkit.generateManifest', document.uri, { algorithm: 'SHA256' }));
  });
  suiteTeardown(async () => {
    for (const [section, key] of [...SETTINGS, ...UI_SETTINGS]) await vscode.workspace.getConfiguration(section).update(key, undefined, vscode.ConfigurationTarget.Global);
    if (sim) await services.context.secrets.delete(secretKey());
    fs.rmSync(fixturePath('staged/staged.mf'), { force: true });
    await sim?.close();
    await closeAllEditors();
  });

  test('not signed in: the view shows its welcome (connect) and asks nothing', async () => {
    const ftps = vscode.workspace.getConfiguration('ovfkit.ftps');
    if (ftps.get('host') || ftps.get('region')) return; // another suite left a staging area configured
    const snap = await tree().snapshotNow();
    assert.equal(snap.signedIn, false);
    assert.deepEqual(snap.images, []);
  });

  test('upload, then the offer imports it: NORMAL, and the image is in the CloudControl view', async () => {
    await configure();

    const result = await vscode.commands.executeCommand<{ files: { name: string }[]; import?: ImportOutcome } | undefined>('ovfkit.uploadFtps', fixtureUri('staged/staged.ovf'), {
      scope: 'package',
      force: true,
      importAfterUpload: { datacenterId: 'NA9', name: 'e2e-staged', guestOsCustomization: false, pollMs: POLL_MS },
    });
    assert.ok(result, 'the upload reported no result (see the ovfkit log)');
    assert.equal(sha256File(path.join(sim.stagingDir, 'staged-disk1.vmdk')), sha256File(fixturePath('staged/staged-disk1.vmdk')));
    assert.ok(result.import, 'the import after the upload did not run');
    assert.equal(result.import.state, 'NORMAL', `the import ended ${result.import.state}: ${result.import.shown ?? ''}`);
    assert.equal(sim.images.find((i) => i.id === result.import!.imageId)?.state, 'NORMAL');
    const importCall = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/image/importImage'));
    assert.ok(importCall, 'the simulator saw no importImage');

    const snap = await tree().snapshotNow();
    assert.equal(snap.signedIn, true);
    assert.deepEqual(snap.errors, []);
    assert.deepEqual(snap.images.map((i) => [i.name, i.state, i.datacenterId]), [['e2e-staged', 'NORMAL', 'NA9']]);
    const staged = snap.staging.find((p) => p.name === 'staged');
    assert.ok(staged, `the staging folder lists ${snap.staging.map((p) => p.name).join(', ') || 'nothing'}`);
    assert.match(staged.description, /^deleted in 14 days · /);
    assert.ok(services.datacenters.all().NA9, 'the data centres read for the import were not kept for validation');

    if (ui.available) {
      await vscode.commands.executeCommand('workbench.view.explorer');
      await vscode.commands.executeCommand('ovfkit.cloudcontrol.focus');
      tree().refresh();
      const row = '#workbench\\.parts\\.sidebar .monaco-list-row';
      await ui.waitVisible(`${row} >> text=e2e-staged`, 15_000);
      await ui.waitVisible(`${row} >> text=/deleted in 14 days/`, 5_000);
    }
  });

  test('as a user: the upload notification offers "Import as Client Image…"; the answers are the defaults; the image turns NORMAL', async function () {
    if (!ui.available) this.skip(); // clicks and keys need the browser of scripts/e2e/run.mjs
    await configure();
    const cc = vscode.workspace.getConfiguration('ovfkit.cloudcontrol');
    await cc.update('datacenter', 'NA9', vscode.ConfigurationTarget.Global);
    await cc.update('pollSeconds', 1, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
    const result = await vscode.commands.executeCommand<{ import?: ImportOutcome } | undefined>('ovfkit.uploadFtps', fixtureUri('staged/staged.ovf'), { scope: 'package', force: true });
    assert.ok(result && !result.import, 'the upload should end with the offer, not an import');
    // In this editor notifications wait in the notification centre rather than as toasts.
    await vscode.commands.executeCommand('notifications.showList');
    await ui.click('.notifications-center .monaco-button:has-text("Import as Client Image…")', 15_000);
    // The data centre of ovfkit.cloudcontrol.datacenter comes first, with its city.
    await ui.waitVisible('.quick-input-widget .monaco-list-row >> text=Ashburn', 15_000);
    const first = await ui.read('.quick-input-widget .monaco-list-row');
    assert.match(first.text, /^NA9.*Ashburn/);
    await ui.press('Enter');
    await ui.waitVisible('.quick-input-widget >> text=/Name of the Client Image in NA9/');
    await ui.press('Enter'); // the default: the package name
    await ui.waitVisible('.quick-input-widget .monaco-list-row >> text=No guest OS customization');
    await ui.press('Enter'); // the first: with guest OS customization
    const image = await waitFor('the image imported from the offer to be NORMAL', () => sim.images.find((i) => i.name === 'staged' && i.state === 'NORMAL'), 30_000);
    assert.equal(image.datacenterId, 'NA9');
    await vscode.commands.executeCommand('notifications.showList');
    await ui.waitVisible(`.notifications-center .notification-list-item:has-text("Client Image 'staged' is ready (NORMAL) in NA9.")`, 10_000);
    await vscode.commands.executeCommand('notifications.hideList');
    const snap = await tree().snapshotNow();
    assert.deepEqual(snap.images.find((i) => i.name === 'staged'), { name: 'staged', state: 'NORMAL', datacenterId: 'NA9' });
  });

  test('export the image: it lands in the staging area, downloads and matches its manifest', async () => {
    const imageId = sim.images.find((i) => i.name === 'e2e-staged')?.id;
    assert.ok(imageId, 'no image from the previous test');
    const toDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovfkit-e2e-ccexport-'));
    try {
      const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('ovfkit.cloudcontrol.exportImage', undefined, { imageId, prefix: 'e2e-export', downloadTo: toDir, pollMs: POLL_MS });
      assert.ok(outcome, 'the export reported no result (see the ovfkit log)');
      assert.equal(outcome.state, 'SUCCEEDED', outcome.shown);
      assert.ok(outcome.download, 'the download did not run');
      assert.equal(outcome.download.verified, true, 'the downloaded export did not verify against its manifest');
      assert.equal(sha256File(path.join(toDir, 'e2e-export-disk1.vmdk')), sha256File(fixturePath('staged/staged-disk1.vmdk')));
      assert.ok(fs.existsSync(path.join(toDir, 'e2e-export.mf')));
    } finally {
      fs.rmSync(toDir, { recursive: true, force: true });
    }
  });

  test('as a user: a finished export offers Download', async function () {
    if (!ui.available) this.skip(); // the notification is read in the browser
    await configure();
    await vscode.commands.executeCommand('notifications.clearAll');
    const imageId = sim.images.find((i) => i.name === 'e2e-staged')?.id;
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('ovfkit.cloudcontrol.exportImage', undefined, { imageId, prefix: 'e2e-offer', pollMs: POLL_MS });
    assert.equal(outcome?.state, 'SUCCEEDED', outcome?.shown);
    assert.equal(outcome?.download, undefined, 'nothing is downloaded before the user says so');
    await vscode.commands.executeCommand('notifications.showList');
    await ui.waitVisible(`.notifications-center .notification-list-item:has-text("Exported 'e2e-staged' to the staging area as e2e-offer.ovf") .monaco-button:has-text("Download")`, 10_000);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test("a refused import shows the server's responseCode and message verbatim", async () => {
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('ovfkit.cloudcontrol.importStaged', undefined, { manifest: 'staged.mf', datacenterId: 'NA9', name: 'e2e-staged', guestOsCustomization: false, pollMs: POLL_MS });
    assert.ok(outcome);
    assert.equal(outcome.state, 'refused');
    assert.deepEqual(outcome.failure, { responseCode: 'NAME_NOT_UNIQUE', message: 'Image name e2e-staged is already in use in NA9.' });
    assert.match(outcome.shown ?? '', /NAME_NOT_UNIQUE: Image name e2e-staged is already in use in NA9\.$/);
  });

  test("a failed import shows the server's reason and cleans the failed image up", async () => {
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('ovfkit.cloudcontrol.importStaged', undefined, { manifest: 'staged.mf', datacenterId: 'EU6', name: 'e2e-too-new', guestOsCustomization: true, cleanUpOnFailure: true, pollMs: POLL_MS });
    assert.ok(outcome);
    assert.equal(outcome.state, 'FAILED_ADD');
    const reason = "The image's virtual hardware vmx-13 is newer than this data centre supports (vmx-11)";
    assert.equal(outcome.failure?.message, reason);
    assert.equal(outcome.shown, `The import of 'e2e-too-new' into EU6 failed: FAILED_ADD: ${reason}`);
    assert.equal(outcome.cleanedUp, true);
    assert.equal(sim.images.some((i) => i.name === 'e2e-too-new'), false, 'the failed image was not cleaned');
    const snap = await tree().snapshotNow();
    assert.ok(snap.images.some((i) => i.name === 'e2e-staged'));
    assert.equal(snap.images.some((i) => i.name === 'e2e-too-new'), false, 'the view still shows the cleaned image');
  });

  test('Cancel on the import progress stops following, says the import goes on, and leaves the image importing', async function () {
    if (!ui.available) this.skip(); // the Cancel button is clicked in the browser
    await configure();
    await vscode.commands.executeCommand('notifications.clearAll');
    sim.inject({ kind: 'slow', ms: 1500 }); // each poll takes 1.5 s: time to press Cancel
    try {
      const running = vscode.commands.executeCommand<ImportOutcome | undefined>('ovfkit.cloudcontrol.importStaged', undefined, { manifest: 'staged.mf', datacenterId: 'NA9', name: 'e2e-cancelled', guestOsCustomization: false, pollMs: 1000 });
      // The progress notification appears once the import has started on the server.
      const cancel = `.notifications-center .notification-list-item:has-text("Importing 'e2e-cancelled'") .monaco-button:has-text("Cancel")`;
      await waitFor('the import progress notification', async () => {
        await vscode.commands.executeCommand('notifications.showList');
        return (await ui.count(cancel)) > 0;
      }, 20_000);
      await ui.click(cancel);
      const outcome = await running;
      assert.equal(outcome?.state, 'following-stopped');
      assert.equal(sim.images.find((i) => i.name === 'e2e-cancelled')?.state, 'PENDING_ADD', 'the import itself must go on');
      await vscode.commands.executeCommand('notifications.showList');
      await ui.waitVisible('.notifications-center .notification-list-item:has-text("The import itself goes on in CloudControl")', 10_000);
      await vscode.commands.executeCommand('notifications.hideList');
    } finally {
      sim.clearFaults();
    }
  });

  test('the view re-reads on its own while an import is in progress, and stops once nothing is', async function () {
    this.timeout(90_000);
    await configure();
    await vscode.commands.executeCommand('ovfkit.cloudcontrol.focus');
    const lists = () => sim.requests.filter((r) => r.method === 'GET' && /\/image\/customerImage\?/.test(r.path)).length;
    const pending = { id: 'e2e-pending-id', name: 'e2e-pending', description: '', datacenterId: 'NA9', state: 'PENDING_ADD', createTime: new Date().toISOString(), files: [], pollsLeft: 1000 };
    // Only this test's image is pending meanwhile (the cancelled import is put back afterwards).
    const others = sim.images.filter((i) => i.state.startsWith('PENDING_'));
    for (const i of others) i.state = 'NORMAL';
    sim.images.push(pending);
    await tree().snapshotNow();
    const before = lists();
    await waitFor('the view to re-read by itself', () => lists() > before, 15_000);
    sim.images.splice(sim.images.indexOf(pending), 1);
    const seen = lists();
    await waitFor('the view to re-read once more and find nothing in progress', () => lists() > seen, 15_000);
    await new Promise((r) => setTimeout(r, 500)); // that read's answer is taken in
    const settled = lists();
    await new Promise((r) => setTimeout(r, 12_000)); // longer than the 10 s interval
    assert.equal(lists(), settled, 'the view kept re-reading with nothing in progress');
    for (const i of others) i.state = 'PENDING_ADD';
  });

  test('Delete from Staging removes the package from the staging folder and the view', async () => {
    const before = await tree().snapshotNow();
    assert.ok(before.staging.some((p) => p.name === 'e2e-export'));
    if (ui.available) {
      // The README's picture: two staged packages, two images. The folders pane is folded for room.
      const folders = '#workbench\\.parts\\.sidebar .pane-header:has-text("workspace")';
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('ovfkit.cloudcontrol.focus');
      await ui.click(folders);
      await ui.waitVisible('#workbench\\.parts\\.sidebar .monaco-list-row >> text=e2e-export', 10_000);
      await new Promise((r) => setTimeout(r, 500));
      await ui.screenshot('screenshot-cloudcontrol');
      await ui.click(folders);
    }
    const node = { kind: 'staged', pkg: { name: 'e2e-export', files: fs.readdirSync(sim.stagingDir).filter((f) => f.startsWith('e2e-export')).map((name) => ({ name, size: 0 })), totalBytes: 0 } };
    const deleted = await vscode.commands.executeCommand<string[] | undefined>('ovfkit.cloudcontrol.deleteStaged', node, { confirmed: true });
    assert.deepEqual([...(deleted ?? [])].sort(), ['e2e-export-disk1.vmdk', 'e2e-export.mf', 'e2e-export.ovf']);
    assert.deepEqual(fs.readdirSync(sim.stagingDir).filter((f) => f.startsWith('e2e-export')), []);
    const after = await tree().snapshotNow();
    assert.equal(after.staging.some((p) => p.name === 'e2e-export'), false, 'the view still lists the deleted package');
    assert.ok(after.staging.some((p) => p.name === 'staged'));
  });

  test("the check before an upload judges with the chosen data centre's limits, as the language server does", async () => {
    const uri = fixtureUri('staged/staged.ovf');
    const stateKey = 'ovfkit.cloudcontrol.datacenters';
    const kept = services.context.globalState.get(stateKey);
    const cc = vscode.workspace.getConfiguration('ovfkit.cloudcontrol');
    const memoryFindings = async () => {
      const plan = await planUpload(uri.fsPath, 'cloudcontrol', { settings: editorValidationSettings(uri, services.datacenters.all()) });
      return plan.readiness.findings.filter((f) => f.code === 'cloudcontrol/memory');
    };
    try {
      // staged.ovf asks for 1024 MB of memory: fine by the default limits, over this data centre's.
      await services.datacenters.store([{ id: 'E2E-SMALL', city: 'Testville', limits: { maxMemoryMb: 512 } }]);
      assert.deepEqual(await memoryFindings(), [], 'the default limits already refuse the memory');
      await cc.update('datacenter', 'E2E-SMALL', vscode.ConfigurationTarget.Global);
      const refused = await memoryFindings();
      assert.equal(refused.length, 1, 'the chosen data centre did not judge the upload');
      assert.equal(refused[0].severity, 'error');
      assert.match(refused[0].message, /512 MB.*E2E-SMALL/);
    } finally {
      await cc.update('datacenter', undefined, vscode.ConfigurationTarget.Global);
      await services.context.globalState.update(stateKey, kept);
    }
  });

  // Last: once chosen, the simulator stays this window's CloudControl connection.
  test('Connect offers the built-in simulator: it starts from its own bundle, the view signs in, and an upload there imports', async () => {
    for (const [section, key] of SETTINGS) await vscode.workspace.getConfiguration(section).update(key, undefined, vscode.ConfigurationTarget.Global);
    const connected = await vscode.commands.executeCommand<boolean>('ovfkit.cloudcontrol.connect', { simulator: true });
    assert.equal(connected, true, 'Connect to CloudControl failed (see the ovfkit log)');
    const snap = await tree().snapshotNow();
    assert.equal(snap.signedIn, true);
    assert.deepEqual(snap.errors, []);
    assert.deepEqual(snap.images, []);
    assert.deepEqual(Object.keys(services.datacenters.all()).sort(), ['EU6', 'NA9']);

    // The view's upload goes to the simulator's staging area, and its import offer to the simulator's API.
    const result = await vscode.commands.executeCommand<{ import?: ImportOutcome } | undefined>('ovfkit.cloudcontrol.uploadPackage', fixtureUri('staged/staged.ovf'), {
      scope: 'package',
      force: true,
      importAfterUpload: { datacenterId: 'NA9', name: 'tried-out', guestOsCustomization: false },
    });
    assert.equal(result?.import?.state, 'NORMAL', result?.import?.shown);
    const after = await tree().snapshotNow();
    assert.deepEqual(after.images, [{ name: 'tried-out', state: 'NORMAL', datacenterId: 'NA9' }]);
    assert.deepEqual(after.staging.map((p) => p.name), ['staged']);
  });
});
