// Measures ovfkit's activation as a user meets it: from opening an .ovf to the extension being
// active, and to the language server's first diagnostics on it. Written to OVFKIT_E2E_TIMINGS for
// the e2e log and bench/activation.bench.mjs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { waitForDiagnostic } from './diagnostics';
import { report } from './output';
import { fixtureUri, ovfkit, waitFor } from './workspace';

export interface ActivationTimings { activateMs: number; firstDiagnosticsMs: number }

/** Opens `fixture` (which must produce `code`) in a window where ovfkit has not activated yet. */
export async function measureActivation(fixture: string, code: string): Promise<ActivationTimings> {
  const ext = ovfkit();
  assert.equal(ext.isActive, false, 'ovfkit was active before any .ovf file was opened: activation must be lazy');
  const opened = performance.now();
  const doc = await vscode.workspace.openTextDocument(fixtureUri(fixture));
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'ovf', '.ovf files should open in the ovf language');
  await waitFor('ovfkit to activate', () => ext.isActive, 30_000);
  const activateMs = Math.round(performance.now() - opened);
  await waitForDiagnostic(doc.uri, code, 30_000);
  const firstDiagnosticsMs = Math.round(performance.now() - opened);
  if (process.env.OVFKIT_E2E_TIMINGS) {
    fs.writeFileSync(process.env.OVFKIT_E2E_TIMINGS, JSON.stringify({
      activateMs, firstDiagnosticsMs, extensionPath: ext.extensionPath, vscodeVersion: vscode.version,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
    }, null, 2));
  }
  report(`    activation: ${activateMs} ms; first diagnostics: ${firstDiagnosticsMs} ms`);
  return { activateMs, firstDiagnosticsMs };
}
