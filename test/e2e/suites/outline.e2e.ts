// Outline, folding and links as the editor shows them (VS Code checks symbol names and ranges
// itself), and ovfkit: New OVF Descriptor run without prompts: the file appears beside the disk,
// opens, and gets no diagnostics.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ovfkitDiagnostics, rangeOf, waitForDiagnostic } from '../helpers/diagnostics';
import { closeAllEditors, fixtureUri, openFixture, ovfkit, waitFor } from '../helpers/workspace';

function names(symbols: vscode.DocumentSymbol[]): unknown[] {
  return symbols.map((s) => (s.children.length ? [s.name, names(s.children)] : s.name));
}

suite('outline, folding, links and New OVF Descriptor', () => {
  const uri = fixtureUri('clean/clean.ovf');

  suiteSetup(async () => {
    await openFixture('clean/clean.ovf');
    await waitFor('ovfkit to activate', () => ovfkit().isActive, 30_000);
  });
  suiteTeardown(closeAllEditors);

  test('the outline of clean.ovf names the devices for people', async () => {
    const symbols = await waitFor('document symbols', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
      return s?.length ? s : undefined;
    });
    assert.deepEqual(names(symbols), [
      ['Envelope', [
        ['References', ['disk1.vmdk — 69 B']],
        ['Disks', ['vmdisk1 — 1 GiB']],
        ['Networks', ['VM Network']],
        ['web01', ['Hardware vmx-13', '1 vCPU', '1024 MB memory', 'SCSI controller lsilogic', 'Disk 1 — 1 GiB', 'NIC VmxNet3 → VM Network']],
      ]],
    ]);
    const vm = symbols[0].children[3];
    assert.equal(vm.selectionRange.start.line, 15);
  });

  test('folding ranges and the link to disk1.vmdk', async () => {
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', uri);
    assert.ok(folds.some((f) => f.start === 1 && f.end === 70), JSON.stringify(folds));
    // The editor also links the namespace URLs; ovfkit's links are the file ones.
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    const files = links.filter((l) => l.target?.scheme === 'file');
    assert.deepEqual(files.map((l) => [l.target?.fsPath, l.range.start.line, l.tooltip]), [[fixtureUri('clean/disk1.vmdk').fsPath, 3, 'Open disk1.vmdk (declared 69 B), beside the descriptor']]);
  });

  test('ovfkit.newDescriptor writes <name>.ovf beside the disk, opens it, and it validates clean', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-e2e-new-'));
    const disk = path.join(dir, 'app-disk1.vmdk');
    const header = Buffer.alloc(512);
    header.write('KDMV', 0, 'latin1');
    header.writeBigUInt64LE(41943040n, 12); // 20 GiB in sectors
    writeFileSync(disk, header);
    const written = await vscode.commands.executeCommand<string | undefined>('ovfkit.newDescriptor', vscode.Uri.file(disk), { target: 'vcloud', name: 'app' });
    assert.equal(written, path.join(dir, 'app.ovf'));
    assert.match(readFileSync(written!, 'utf8'), /ovf:capacity="20" ovf:capacityAllocationUnits="byte \* 2\^30"/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, written);
    const target = vscode.Uri.file(written!);
    // Diagnostics arrive after a short debounce; an empty list may also mean "not yet", so wait
    // for the outline (the server has the document) and then give the diagnostics time to land.
    await waitFor('the outline of the new descriptor', async () =>
      (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', target))?.length);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(ovfkitDiagnostics(target).map((d) => d.message), []);
    // Control: the same document does get diagnostics, under the vCloud rules its directive names.
    const doc = vscode.window.activeTextEditor!.document;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target, rangeOf(doc, 'ovf:id="app"'), 'ovf:id="application-server-1"');
    await vscode.workspace.applyEdit(edit);
    await waitForDiagnostic(target, 'vcloud/id-too-long');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
