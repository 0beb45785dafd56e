// Every command ovfkit contributes is registered once it is active, and is presented consistently.
// What each command does is tested in its own suite (one file per capability).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, manifest, openFixture, ovfkit, waitFor } from '../helpers/workspace';

suite('commands', () => {
  const contributed = manifest().contributes?.commands ?? [];

  suiteSetup(async () => {
    await openFixture('clean/clean.ovf');
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
  });
  suiteTeardown(closeAllEditors);

  for (const { command, title, category } of contributed) {
    test(`${command} is registered and shown as "ovfkit: …" (found by typing "ovfkit" or "ovf")`, async () => {
      const registered = await vscode.commands.getCommands(true);
      assert.ok(registered.includes(command), `${command} is contributed in package.json but not registered by activate()`);
      const shown = category ? `${category}: ${title}` : title;
      assert.match(shown, /^ovfkit: \S/, `${command} is shown as "${shown}"`);
    });
  }
});
