// ovfkit: Generate Manifest writes <name>.mf with a digest of every file; ovfkit: Verify Package passes
// on the intact package and reports a tampered disk on its manifest line.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf } from '../helpers/diagnostics';
import { closeAllEditors, fixturePath, openFixture, waitFor } from '../helpers/workspace';

interface VerifyOutcome { ok: boolean; summary: { checked: number; matched: number; mismatched: number } }

const sha1 = (file: string) => createHash('sha1').update(fs.readFileSync(file)).digest('hex');

suite('manifest generation and verification', () => {
  const descriptor = () => fixturePath('clean/clean.ovf');
  const disk = () => fixturePath('clean/disk1.vmdk');
  const manifestFile = () => fixturePath('clean/clean.mf');
  let diskBytes: Buffer;

  suiteSetup(() => { diskBytes = fs.readFileSync(disk()); });
  suiteTeardown(async () => {
    fs.writeFileSync(disk(), diskBytes);
    fs.rmSync(manifestFile(), { force: true });
    await closeAllEditors();
  });

  test('ovfkit: Generate Manifest writes a digest line for the descriptor and each file', async () => {
    const { document } = await openFixture('clean/clean.ovf');
    const result = await vscode.commands.executeCommand<{ manifestPath: string } | undefined>('ovfkit.generateManifest', document.uri, { algorithm: 'SHA1' });
    assert.ok(result, 'the command reported no result');
    assert.equal(result.manifestPath, manifestFile());
    const lines = fs.readFileSync(manifestFile(), 'utf8').trim().split(/\r?\n/).sort();
    assert.deepEqual(lines, [
      `SHA1(clean.ovf)= ${sha1(descriptor())}`,
      `SHA1(disk1.vmdk)= ${sha1(disk())}`,
    ].sort());
  });

  test('ovfkit: Verify Package passes on the intact package and flags a tampered disk', async () => {
    const { document } = await openFixture('clean/clean.ovf');
    const intact = await vscode.commands.executeCommand<VerifyOutcome | undefined>('ovfkit.verifyPackage', document.uri);
    assert.ok(intact, 'the command reported no result');
    assert.equal(intact.ok, true, `intact package failed verification: ${JSON.stringify(intact.summary)}`);
    assert.equal(intact.summary.matched, intact.summary.checked);

    const tampered = Buffer.from(diskBytes);
    tampered[0] ^= 0xff; // same size, different content: only the digest can tell
    fs.writeFileSync(disk(), tampered);
    const result = await vscode.commands.executeCommand<VerifyOutcome | undefined>('ovfkit.verifyPackage', document.uri);
    assert.ok(result);
    assert.equal(result.ok, false, 'a tampered disk passed verification');
    assert.equal(result.summary.mismatched, 1);
    const mf = vscode.Uri.file(manifestFile());
    const mismatch = await waitFor('a digest-mismatch diagnostic on the manifest', () =>
      vscode.languages.getDiagnostics(mf).find((d) => codeOf(d) === 'manifest/digest-mismatch'));
    assert.equal(mismatch.severity, vscode.DiagnosticSeverity.Error);
    const line = fs.readFileSync(manifestFile(), 'utf8').split(/\r?\n/)[mismatch.range.start.line];
    assert.match(line, /^SHA1\(disk1\.vmdk\)= /, `the mismatch is reported on "${line}", not on the disk's line`);

    // The fix where the change was intended: Regenerate (same algorithm, no prompt), then it verifies.
    await vscode.workspace.openTextDocument(mf); // code actions are asked of an open document
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', mf, mismatch.range, vscode.CodeActionKind.QuickFix.value);
    const regenerate = actions.find((a) => a.title === 'Regenerate manifest');
    assert.ok(regenerate?.command, `no Regenerate on the mismatch; offered: ${actions.map((a) => a.title).join(' | ') || '(none)'}`);
    await vscode.commands.executeCommand(regenerate.command.command, ...(regenerate.command.arguments ?? []));
    assert.match(fs.readFileSync(manifestFile(), 'utf8'), new RegExp(`SHA1\\(disk1\\.vmdk\\)= ${sha1(disk())}`));
    const after = await vscode.commands.executeCommand<VerifyOutcome | undefined>('ovfkit.verifyPackage', document.uri);
    assert.equal(after?.ok, true, `still failing after Regenerate: ${JSON.stringify(after?.summary)}`);
  });
});
