// The getting-started walkthrough: new descriptor, validate, manifest, simulator, upload. Its media
// ship, every command it links to exists, and its upload links pick among the workspace's descriptors.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as ui from '../helpers/ui';
import { closeAllEditors, EXTENSION_ID, manifest, openFixture, ovfkit, waitFor } from '../helpers/workspace';

const WALKTHROUGH = 'ovfkit.gettingStarted';

suite('walkthrough', () => {
  const walkthrough = manifest().contributes?.walkthroughs?.find((w) => w.id === WALKTHROUGH);
  suiteTeardown(closeAllEditors);

  test('has the steps new descriptor, validate, manifest, simulator, upload, and their media exist', () => {
    assert.ok(walkthrough, `walkthrough ${WALKTHROUGH} is not contributed`);
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['newDescriptor', 'validate', 'manifest', 'simulator', 'upload']);
    for (const step of walkthrough.steps) {
      for (const media of Object.values(step.media)) {
        for (const file of typeof media === 'string' ? [media] : Object.values(media as Record<string, string>)) {
          assert.ok(fs.existsSync(path.join(ovfkit().extensionPath, file)), `step ${step.id}: media ${file} is missing`);
        }
      }
    }
  });

  test('every command the steps link to is registered', async () => {
    assert.ok(walkthrough);
    await openFixture('clean/clean.ovf');
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
    const registered = new Set(await vscode.commands.getCommands(true));
    const linked = walkthrough.steps.flatMap((s) => [...JSON.stringify(s).matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]));
    assert.ok(linked.length >= 7, 'the steps should link to the commands they describe');
    for (const id of ['ovfkit.newDescriptor', 'ovfkit.chooseTargets', 'ovfkit.generateManifest', 'ovfkit.uploadVcloud', 'ovfkit.uploadFtps']) assert.ok(linked.includes(id), `no link to ${id}`);
    const missing = linked.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `the walkthrough links to commands that do not exist: ${missing.join(', ')}`);
  });

  test('the upload links open a pick of the workspace\'s descriptors, not a file dialog', async function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
    await closeAllEditors();
    const upload = vscode.commands.executeCommand('ovfkit.uploadVcloud', null, { simulator: true });
    try {
      await ui.waitVisible('.quick-input-widget .monaco-list-row:has-text("clean.ovf")');
      await ui.waitVisible('.quick-input-widget .monaco-list-row:has-text("long-id.ovf")');
      await ui.waitVisible('.quick-input-widget .monaco-list-row:has-text("Browse for a descriptor")');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
    assert.equal(await upload, undefined, 'cancelling the pick cancels the upload');
  });

  test('opens in the editor', async function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH}`, false);
    await ui.waitVisible('text=Ship an OVF package with ovfkit');
    await ui.waitVisible('text=Generate the manifest');
    // The selected step's media (markdown, rendered in a webview).
    await waitFor('the first step\'s media to render', async () => (await ui.frameText()).includes('checks the disks you pick first'), 20_000);
  });
});
