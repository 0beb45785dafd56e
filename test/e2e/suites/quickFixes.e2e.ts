// Quick fixes as the lightbulb offers them: each applies, and its diagnostic goes away.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitForDiagnostic, waitForNoDiagnostic } from '../helpers/diagnostics';
import { closeAllEditors, openFixture, waitFor } from '../helpers/workspace';

async function applyFix(doc: vscode.TextDocument, code: string, title: RegExp): Promise<vscode.CodeAction> {
  const d = await waitForDiagnostic(doc.uri, code);
  let actions: vscode.CodeAction[] = [];
  // Asked again like the lightbulb does: right after a document opens, the first request
  // sometimes comes back empty although its diagnostic is already shown.
  const fix = await waitFor(`quick fix ${title} for ${code}`, async () => {
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    return actions.find((a) => title.test(a.title));
  }, 10_000).catch(() => undefined);
  assert.ok(fix, `no quick fix ${title} for ${code}; offered: ${actions.map((a) => a.title).join(' | ') || '(none)'}`);
  if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), `${fix.title}: the edit did not apply`);
  if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  return fix;
}

suite('quick fixes', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('vcloud/id-too-long: rename the VirtualSystem to 13 characters', async () => {
    const { document: doc } = await openFixture('long-id/long-id.ovf');
    await applyFix(doc, 'vcloud/id-too-long', /^Rename to/);
    await waitForNoDiagnostic(doc.uri, 'vcloud/id-too-long');
    assert.match(doc.getText(), /<VirtualSystem ovf:id="NewVirtualMac"/);
  });

  test('vcloud/compression: remove ovf:compression', async () => {
    const { document: doc } = await openFixture('compressed/compressed.ovf');
    await applyFix(doc, 'vcloud/compression', /compression/i);
    await waitForNoDiagnostic(doc.uri, 'vcloud/compression');
    assert.doesNotMatch(doc.getText(), /ovf:compression=/);
  });
});
