// Choosing targets in a real editor: a click on the status bar's targets opens a checkbox pick of
// the clouds, then where to save the choice; for this file it writes the descriptor's comment
// (an undoable edit), for the workspace the ovfkit.targets setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostic } from '../helpers/diagnostics';
import * as ui from '../helpers/ui';
import type { ExtensionServices } from '../../../client/src/extension';
import { TARGETS_ASKED_KEY } from '../../../client/src/targets/targetsQuestion';
import { closeAllEditors, fixturePath, openFixture, ovfkit, waitFor } from '../helpers/workspace';

const TARGETS_ITEM = '#workbench\\.parts\\.statusbar [aria-label^="OVF targets:"]';
const row = (text: string) => `.quick-input-widget .monaco-list-row:has-text("${text}")`;

async function waitTargets(pattern: RegExp): Promise<void> {
  let last = '';
  await waitFor(`targets item matching ${pattern}`, async () => pattern.test((last = (await ui.read(TARGETS_ITEM)).ariaLabel)), 15_000)
    .catch((e: Error) => { throw new Error(`${e.message}; it reads "${last}"`); });
}

suite('targets', () => {
  // The tests edit long-id.ovf in its editor; each leaves it as it found it, in the editor and on disk.
  let original = '';
  suiteSetup(() => { original = fs.readFileSync(fixturePath('long-id/long-id.ovf'), 'utf8'); });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === fixturePath('long-id/long-id.ovf'));
    if (doc?.isDirty) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    }
    fs.writeFileSync(fixturePath('long-id/long-id.ovf'), original);
    await vscode.workspace.getConfiguration('ovfkit').update('targets', ['vcloud'], vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  test('clicking the targets item picks clouds for this file: the comment is written and the findings follow', async function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
    const editor = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(editor.document.uri, 'vcloud/id-too-long');
    await waitTargets(/^OVF targets: vcloud$/);
    await ui.click(TARGETS_ITEM);
    await ui.waitVisible('text=which clouds will long-id.ovf ship to?');
    await ui.click(row('NTT CloudControl')); // check it
    await ui.click(row('vCloud Director')); // uncheck it
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await ui.waitVisible(row('This file only'));
    await ui.click(row('This file only'));
    await waitFor('the targets comment in the descriptor', () => editor.document.getText().includes('<!-- ovfkit: targets=cloudcontrol -->'));
    await waitTargets(/^OVF targets: cloudcontrol \(descriptor\)$/);
    await waitFor('the vCloud finding to go', () => !vscode.languages.getDiagnostics(editor.document.uri).some((d) => codeOf(d).startsWith('vcloud/')));
    assert.ok(editor.document.isDirty, 'an edit in the editor (undoable), not a write behind its back');
  });

  test('for the workspace: the setting is written and the file\'s own comment removed', async () => {
    const editor = await openFixture('long-id/long-id.ovf');
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '<!-- ovfkit: targets=cloudcontrol -->\n'));
    await waitForDiagnostic(editor.document.uri, 'cloudcontrol/manifest-missing'); // the server has the comment
    const chosen = await vscode.commands.executeCommand('ovfkit.chooseTargets', editor.document.uri, { targets: ['vcloud', 'cloudcontrol'], scope: 'workspace' });
    assert.deepEqual(chosen, { targets: ['vcloud', 'cloudcontrol'], scope: 'workspace' });
    assert.deepEqual(vscode.workspace.getConfiguration('ovfkit').inspect('targets')?.workspaceValue, ['vcloud', 'cloudcontrol']);
    await waitFor('the comment to go', () => !editor.document.getText().includes('ovfkit: targets='));
    await waitForDiagnostic(editor.document.uri, 'vcloud/id-too-long'); // both clouds now, from the setting
    await waitForDiagnostic(editor.document.uri, 'cloudcontrol/manifest-missing');
  });

  test('the "Check this file against … only" quick fix on a cloud finding rewrites the targets', async () => {
    const editor = await openFixture('long-id/long-id.ovf');
    const d = await waitForDiagnostic(editor.document.uri, 'vcloud/id-too-long');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const only = actions.find((a) => a.title === 'Check this file against NTT CloudControl only');
    assert.ok(only?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(only.edit));
    await waitForDiagnostic(editor.document.uri, 'cloudcontrol/manifest-missing');
    assert.ok(!vscode.languages.getDiagnostics(editor.document.uri).some((x) => codeOf(x).startsWith('vcloud/')));
  });

  test('the first descriptor with cloud findings asks once "Which clouds do you ship to?"; the answer is the workspace setting', async function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
    const config = () => vscode.workspace.getConfiguration('ovfkit');
    // A fresh question on top of a cleared notification centre: earlier suites leave notifications
    // there, and may have had the question asked already (it waits in the centre), further down
    // than the centre shows (its list renders only the rows in view).
    const services = (await ovfkit().activate()) as ExtensionServices;
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((r) => setTimeout(r, 500)); // a dismissed question records itself as asked
    await services.context.workspaceState.update(TARGETS_ASKED_KEY, undefined);
    // Set, then cleared: the server judges again whatever it held, so diagnostics change and the question comes.
    await config().update('targets', ['vcloud'], vscode.ConfigurationTarget.Workspace);
    await config().update('targets', undefined, vscode.ConfigurationTarget.Workspace);
    assert.equal(config().inspect('targets')?.workspaceValue, undefined);
    const { document } = await openFixture('compressed/compressed.ovf');
    await waitForDiagnostic(document.uri, 'vcloud/compression');
    // A quiet notification: in this editor it waits in the notification centre rather than as a toast.
    await vscode.commands.executeCommand('notifications.showList');
    await ui.waitVisible('.notifications-center .notification-list-item:has-text("Which clouds do you ship to?")');
    await ui.click('.notifications-center .monaco-button:has-text("NTT CloudControl")');
    await waitFor('the answer in the workspace settings', () => JSON.stringify(config().inspect('targets')?.workspaceValue) === '["cloudcontrol"]');

    // Answered once: another descriptor with cloud findings, the setting gone again, and no question.
    await config().update('targets', undefined, vscode.ConfigurationTarget.Workspace);
    const { document: other } = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(other.uri, 'vcloud/id-too-long');
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('notifications.showList');
    assert.equal(await ui.count('.notifications-center .notification-list-item:has-text("Which clouds do you ship to?")'), 0);
    await vscode.commands.executeCommand('notifications.hideList');
  });
});
