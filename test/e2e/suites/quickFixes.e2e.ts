// Quick fixes as the lightbulb offers them: each applies (edit or command), and its diagnostic
// goes away.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostic, waitForNoDiagnostic } from '../helpers/diagnostics';
import { closeAllEditors, fixturePath, openFixture, waitFor } from '../helpers/workspace';

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

  test('ref/file-ref: point the dangling fileRef at the only unused File', async () => {
    const { document: doc } = await openFixture('dangling-ref/dangling-ref.ovf');
    await applyFix(doc, 'ref/file-ref', /^Change to 'file1'/);
    await waitForNoDiagnostic(doc.uri, 'ref/file-ref');
    assert.match(doc.getText(), /ovf:fileRef="file1"/);
  });

  test('disable a rule for this file: the directive comment is written and honoured', async () => {
    const { document: doc } = await openFixture('long-id/long-id.ovf');
    await applyFix(doc, 'vcloud/id-too-long', /^Disable vcloud\/id-too-long for this file$/);
    await waitForNoDiagnostic(doc.uri, 'vcloud/id-too-long');
    assert.match(doc.getText(), /<!-- ovfkit: disable=vcloud\/id-too-long -->\n<Envelope /);
  });

  test('disable a rule for this workspace: ovfkit.severity says off in the workspace settings', async () => {
    const config = () => vscode.workspace.getConfiguration('ovfkit');
    const before = config().inspect<Record<string, string>>('severity')?.workspaceValue;
    try {
      const { document: doc } = await openFixture('compressed/compressed.ovf');
      await applyFix(doc, 'vcloud/compression', /^Disable vcloud\/compression for this workspace$/);
      await waitForNoDiagnostic(doc.uri, 'vcloud/compression');
      assert.equal(config().inspect<Record<string, string>>('severity')?.workspaceValue?.['vcloud/compression'], 'off');
    } finally {
      await config().update('severity', before, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('cloudcontrol/manifest-missing: Run ovfkit: Generate Manifest writes the manifest', async () => {
    // A CloudControl package (the workspace checks vcloud only): the clean fixture with a targets comment.
    fs.mkdirSync(fixturePath('needs-manifest'), { recursive: true });
    fs.copyFileSync(fixturePath('clean/disk1.vmdk'), fixturePath('needs-manifest/disk1.vmdk'));
    const clean = fs.readFileSync(fixturePath('clean/clean.ovf'), 'utf8');
    fs.writeFileSync(fixturePath('needs-manifest/needs-manifest.ovf'), clean.replace('<Envelope', '<!-- ovfkit: targets=cloudcontrol -->\n<Envelope'));
    const config = vscode.workspace.getConfiguration('ovfkit');
    await config.update('manifest.algorithm', 'SHA1', vscode.ConfigurationTarget.Workspace); // no prompt
    try {
      const { document: doc } = await openFixture('needs-manifest/needs-manifest.ovf');
      const d = await waitForDiagnostic(doc.uri, 'cloudcontrol/manifest-missing');
      assert.match(d.message, /; run "ovfkit: Generate Manifest"$/);
      assert.equal(typeof d.code === 'object' && d.code.target.path.endsWith('/docs/RULES.md'), true, 'the code links to docs/RULES.md');
      await applyFix(doc, 'cloudcontrol/manifest-missing', /^Run ovfkit: Generate Manifest$/);
      await waitFor('needs-manifest.mf', () => fs.existsSync(fixturePath('needs-manifest/needs-manifest.mf')));
      await waitForNoDiagnostic(doc.uri, 'cloudcontrol/manifest-missing');
    } finally {
      await config.update('manifest.algorithm', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('verify without a manifest (vCloud only): "no manifest yet", a note, not a failure', async () => {
    const { document: doc } = await openFixture('long-id/long-id.ovf');
    const result = await vscode.commands.executeCommand<{ ok: boolean; noManifest: boolean; manifestRequiredBy?: string } | undefined>('ovfkit.verifyPackage', doc.uri);
    assert.ok(result);
    assert.deepEqual([result.ok, result.noManifest, result.manifestRequiredBy], [true, true, undefined]);
    const note = await waitFor('the no-manifest note', () => vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === 'manifest/no-manifest'));
    assert.equal(note.severity, vscode.DiagnosticSeverity.Information);
    assert.ok(typeof note.code === 'object' && note.code.target.fragment.startsWith('L'), 'the code links to its row in docs/RULES.md');
    assert.match(note.message, /^No manifest yet: long-id\.mf does not exist; .*; run "ovfkit: Generate Manifest"$/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, note.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => a.title === 'Generate manifest' && a.command?.command === 'ovfkit.generateManifest'), actions.map((a) => a.title).join(' | '));
  });
});
