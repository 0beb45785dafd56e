// The language server's diagnostics as users see them: code, severity, source and the exact range,
// on the fixtures workspace (ovfkit.targets = ["vcloud"] in its .vscode/settings.json).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, describe, ovfkitDiagnostics, rangeOf, showRange, waitForDiagnostic, waitForNoDiagnostic } from '../helpers/diagnostics';
import { closeAllEditors, openFixture } from '../helpers/workspace';

async function expectDiagnostic(fixture: string, code: string, severity: vscode.DiagnosticSeverity, expected: (doc: vscode.TextDocument) => vscode.Range) {
  const { document: doc } = await openFixture(fixture);
  const d = await waitForDiagnostic(doc.uri, code);
  assert.equal(d.source, 'ovfkit');
  assert.equal(d.severity, severity, `${code} severity`);
  const want = expected(doc);
  assert.ok(d.range.isEqual(want), `${code} flags ${showRange(doc, d.range)}, expected ${showRange(doc, want)}`);
  assert.ok(d.message.trim().length > 0, `${code} has an empty message`);
  return d;
}

suite('diagnostics', () => {
  teardown(closeAllEditors);

  test('vcloud/id-too-long: a warning on the VirtualSystem ovf:id value', async () => {
    const d = await expectDiagnostic('long-id/long-id.ovf', 'vcloud/id-too-long', vscode.DiagnosticSeverity.Warning,
      (doc) => rangeOf(doc, 'NewVirtualMachine1', '<VirtualSystem'));
    assert.match(d.message, /13/, 'the message should say what the limit is');
  });

  test('vcloud/compression: an error on the File ovf:compression value', async () => {
    await expectDiagnostic('compressed/compressed.ovf', 'vcloud/compression', vscode.DiagnosticSeverity.Error,
      (doc) => rangeOf(doc, 'gzip', 'ovf:compression="'));
  });

  test('ref/file-ref: an error on a Disk ovf:fileRef naming no File', async () => {
    await expectDiagnostic('dangling-ref/dangling-ref.ovf', 'ref/file-ref', vscode.DiagnosticSeverity.Error,
      (doc) => rangeOf(doc, 'file2', '<Disk'));
  });

  test('a clean package has no errors or warnings, and findings follow edits', async () => {
    const { document: doc } = await openFixture('clean/clean.ovf');
    // Breaking the id proves the server has seen this document, so "no findings" below is its answer.
    const id = rangeOf(doc, 'web01', '<VirtualSystem');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, id, 'AVeryLongVirtualSystemId');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostic(doc.uri, 'vcloud/id-too-long');
    const undo = new vscode.WorkspaceEdit();
    undo.replace(doc.uri, rangeOf(doc, 'AVeryLongVirtualSystemId', '<VirtualSystem'), 'web01');
    assert.ok(await vscode.workspace.applyEdit(undo));
    await waitForNoDiagnostic(doc.uri, 'vcloud/id-too-long');
    const loud = ovfkitDiagnostics(doc.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.equal(loud.length, 0, `clean.ovf should have no errors or warnings, has ${describe(loud)}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('diagnostics are published for every fixture with the expected codes only where expected', async () => {
    // Each vcloud finding must stay in its own fixture: a rule that fires everywhere is as broken
    // as one that never fires.
    const expectations: [string, string][] = [
      ['long-id/long-id.ovf', 'vcloud/id-too-long'],
      ['compressed/compressed.ovf', 'vcloud/compression'],
      ['dangling-ref/dangling-ref.ovf', 'ref/file-ref'],
    ];
    for (const [fixture, code] of expectations) {
      const { document: doc } = await openFixture(fixture);
      await waitForDiagnostic(doc.uri, code);
      for (const [, other] of expectations.filter(([f]) => f !== fixture)) {
        assert.ok(!ovfkitDiagnostics(doc.uri).some((d) => codeOf(d) === other), `${fixture} unexpectedly has ${other}`);
      }
    }
  });
});
