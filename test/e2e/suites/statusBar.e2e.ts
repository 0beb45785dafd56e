// The status bar item on an .ovf editor, read from the rendered workbench (the VS Code API cannot
// read status bar items): targets, ovfkit's error count, manifest fresh/stale; a click opens Problems.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ovfkitDiagnostics, waitForDiagnostic } from '../helpers/diagnostics';
import * as ui from '../helpers/ui';
import { closeAllEditors, fixturePath, openFixture, waitFor } from '../helpers/workspace';

const ITEM = '#workbench\\.parts\\.statusbar [aria-label^="OVF package:"]';

async function label(): Promise<string> {
  return (await ui.read(ITEM)).ariaLabel;
}

async function waitLabel(pattern: RegExp): Promise<string> {
  let last = '';
  try {
    return await waitFor(`status bar label matching ${pattern}`, async () => {
      last = await label();
      return pattern.test(last) && last;
    }, 15_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; it reads "${last}"`);
  }
}

function writeManifest(descriptor: string): string {
  const mf = descriptor.replace(/\.ovf$/, '.mf');
  const dir = path.dirname(descriptor);
  const lines = [descriptor, path.join(dir, 'disk1.vmdk')].map((file) =>
    `SHA256(${path.basename(file)})= ${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`);
  fs.writeFileSync(mf, `${lines.join('\n')}\n`);
  return mf;
}

suite('status bar', () => {
  suiteSetup(function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
  });
  teardown(closeAllEditors);

  test('shows targets and the error count of the active .ovf editor', async () => {
    const { document: longId } = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(longId.uri, 'vcloud/id-too-long');
    await waitLabel(/^OVF package: targets vcloud; 0 errors; no manifest$/);

    const { document: dangling } = await openFixture('dangling-ref/dangling-ref.ovf');
    await waitForDiagnostic(dangling.uri, 'ref/file-ref');
    const errors = ovfkitDiagnostics(dangling.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    assert.ok(errors >= 1);
    await waitLabel(new RegExp(`^OVF package: targets vcloud; ${errors} errors?; no manifest$`));
  });

  test('tells a fresh manifest from a stale one', async () => {
    const descriptor = fixturePath('clean/clean.ovf');
    const editor = await openFixture('clean/clean.ovf');
    await waitLabel(/; no manifest$/);
    const mf = writeManifest(descriptor);
    const { atime, mtime } = fs.statSync(descriptor);
    try {
      await waitLabel(/; manifest fresh$/);
      // Unsaved changes make the manifest stale; reverting them makes it fresh again.
      await editor.edit((e) => e.insert(new vscode.Position(1, 0), '<!-- edited -->\n'));
      await waitLabel(/; manifest stale$/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitLabel(/; manifest fresh$/);
      // A descriptor saved after the manifest was written.
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(descriptor, later, later);
      fs.writeFileSync(mf, fs.readFileSync(mf)); // a content change the file watcher reports
      fs.utimesSync(mf, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      await waitLabel(/; manifest stale$/);
    } finally {
      fs.rmSync(mf, { force: true });
      fs.utimesSync(descriptor, atime, mtime);
    }
    await waitLabel(/; no manifest$/);
  });

  test('turns fresh when ovfkit: Generate Manifest writes the manifest', async () => {
    const { document: doc } = await openFixture('clean/clean.ovf');
    await waitLabel(/; no manifest$/);
    const mf = fixturePath('clean/clean.mf');
    try {
      const result = await vscode.commands.executeCommand('ovfkit.generateManifest', doc.uri, { algorithm: 'SHA256' });
      assert.ok(result, 'ovfkit.generateManifest reported no result');
      assert.match(fs.readFileSync(mf, 'utf8'), /^SHA256\(clean\.ovf\)= [0-9a-f]{64}$/m);
      await waitLabel(/; manifest fresh$/);
    } finally {
      fs.rmSync(mf, { force: true });
    }
    await waitLabel(/; no manifest$/);
  });

  test('follows ovfkit.targets', async () => {
    await openFixture('long-id/long-id.ovf');
    await waitLabel(/targets vcloud;/);
    const config = vscode.workspace.getConfiguration('ovfkit');
    await config.update('targets', ['vcloud', 'cloudcontrol'], vscode.ConfigurationTarget.Workspace);
    try {
      await waitLabel(/targets vcloud, cloudcontrol;/);
    } finally {
      await config.update('targets', ['vcloud'], vscode.ConfigurationTarget.Workspace);
    }
  });

  test('shows the targets a descriptor chooses with an ovfkit: targets= comment', async () => {
    const editor = await openFixture('clean/clean.ovf');
    await waitLabel(/^OVF package: targets vcloud;/);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '<!-- ovfkit: targets=cloudcontrol -->\n'));
    try {
      await waitLabel(/^OVF package: targets cloudcontrol \(descriptor\);/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await waitLabel(/^OVF package: targets vcloud;/);
  });

  test('opens the Problems panel when clicked, and hides on other editors', async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const { document: doc } = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(doc.uri, 'vcloud/id-too-long');
    await ui.waitCount('.markers-panel', 0);
    await ui.click(ITEM);
    await ui.waitVisible('.markers-panel');

    const settings = await vscode.workspace.openTextDocument(vscode.Uri.file(fixturePath('.vscode/settings.json')));
    await vscode.window.showTextDocument(settings);
    await ui.waitCount(ITEM, 0);
  });
});
