// The getting-started walkthrough: validate, generate manifest, upload. Its media ship and every
// command it links to exists.
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

  test('has the steps validate, manifest, upload, and their media exist', () => {
    assert.ok(walkthrough, `walkthrough ${WALKTHROUGH} is not contributed`);
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['validate', 'manifest', 'upload']);
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
    assert.ok(linked.length >= 3, 'the steps should link to the commands they describe');
    const missing = linked.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `the walkthrough links to commands that do not exist: ${missing.join(', ')}`);
  });

  test('opens in the editor', async function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH}`, false);
    await ui.waitVisible('text=Ship an OVF package with ovfkit');
    await ui.waitVisible('text=Generate the manifest');
    // The selected step's media (markdown, rendered in a webview).
    await waitFor('the validate step\'s media to render', async () => (await ui.frameText()).includes('Validate as you type'), 20_000);
  });
});
