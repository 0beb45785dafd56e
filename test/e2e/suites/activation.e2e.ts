// The extension stays asleep until an .ovf opens, then activates and its language server answers.
// The timings are written for the e2e log and `npm run bench` (bench/activation.bench.mjs).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { waitForDiagnostic } from '../helpers/diagnostics';
import { report } from '../helpers/output';
import { fixtureUri, ovfkit, waitFor } from '../helpers/workspace';

suite('activation', () => {
  test('is lazy, and activates when an .ovf file opens', async () => {
    const ext = ovfkit();
    assert.equal(ext.isActive, false, 'ovfkit was active before any .ovf file was opened: activation must be lazy');
    for (const event of ext.packageJSON.activationEvents ?? []) {
      assert.notEqual(event, '*', 'activation event "*" makes every window pay for ovfkit');
    }

    const opened = performance.now();
    const doc = await vscode.workspace.openTextDocument(fixtureUri('long-id/long-id.ovf'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'ovf', '.ovf files should open in the ovf language');
    await waitFor('ovfkit to activate', () => ext.isActive, 30_000);
    const activateMs = performance.now() - opened;
    await waitForDiagnostic(doc.uri, 'vcloud/id-too-long', 30_000);
    const firstDiagnosticsMs = performance.now() - opened;

    const timings = {
      activateMs: Math.round(activateMs),
      firstDiagnosticsMs: Math.round(firstDiagnosticsMs),
      vscodeVersion: vscode.version,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      measuredAt: new Date().toISOString(),
    };
    if (process.env.OVFKIT_E2E_TIMINGS) fs.writeFileSync(process.env.OVFKIT_E2E_TIMINGS, JSON.stringify(timings, null, 2));
    report(`    activation: ${timings.activateMs} ms; first diagnostics: ${timings.firstDiagnosticsMs} ms`);
  });
});
