// The two status bar items of an .ovf editor, read from the rendered workbench (the VS Code API
// cannot read status bar items): the targets (click to choose them) and the package state (error
// count, manifest fresh/stale/checked/failed; click for Problems).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ovfkitDiagnostics, waitForDiagnostic } from '../helpers/diagnostics';
import * as ui from '../helpers/ui';
import { closeAllEditors, fixturePath, openFixture, waitFor } from '../helpers/workspace';

const PACKAGE_ITEM = '#workbench\\.parts\\.statusbar [aria-label^="OVF package:"]';
const TARGETS_ITEM = '#workbench\\.parts\\.statusbar [aria-label^="OVF targets:"]';

async function waitLabel(pattern: RegExp, selector = PACKAGE_ITEM): Promise<string> {
  let last = '';
  try {
    return await waitFor(`status bar label matching ${pattern}`, async () => {
      last = (await ui.read(selector)).ariaLabel;
      return pattern.test(last) && last;
    }, 15_000);
  } catch (e) {
    // The tooltip says why (e.g. which file made the manifest stale).
    await ui.hover(selector).catch(() => undefined);
    const tooltip = await ui.read('.monaco-hover, .workbench-hover, .hover-contents', 3_000).then((r) => r.text, () => '(no tooltip)');
    throw new Error(`${(e as Error).message}; it reads "${last}"; tooltip: ${tooltip}`);
  }
}
const waitTargets = (pattern: RegExp) => waitLabel(pattern, TARGETS_ITEM);

/** Reverts the editor's unsaved changes (the command acts on the active editor: make it this one). */
async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor('the revert', () => !editor.document.isDirty);
}

/** Undoes the last edit, back to the saved text: not dirty, and nothing read from or written to disk. */
async function undo(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('undo');
  await waitFor('the undo', () => !editor.document.isDirty);
}

/** A manifest of the clean fixture as Generate Manifest would write it; its files predate it. */
function writeManifest(descriptor: string, tamper?: string): string {
  const mf = descriptor.replace(/\.ovf$/, '.mf');
  const dir = path.dirname(descriptor);
  const lines = [descriptor, path.join(dir, 'disk1.vmdk')].map((file) => {
    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    return `SHA256(${path.basename(file)})= ${path.basename(file) === tamper ? digest.replace(/^./, (c) => (c === '0' ? '1' : '0')) : digest}`;
  });
  const past = new Date(Date.now() - 120_000);
  for (const f of [descriptor, path.join(dir, 'disk1.vmdk')]) fs.utimesSync(f, past, past);
  fs.writeFileSync(mf, `${lines.join('\n')}\n`);
  return mf;
}

/** Rewrites a file with its mtime in the future (a write after the manifest, as an editor or a tool does). */
function rewrite(file: string, data: Buffer): void {
  fs.writeFileSync(file, data);
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(file, later, later);
}

suite('status bar', () => {
  suiteSetup(function () {
    if (!ui.available) this.skip(); // needs the browser of scripts/e2e/run.mjs
  });
  teardown(closeAllEditors);

  test('shows the targets and the error count of the active .ovf editor', async () => {
    const { document: longId } = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(longId.uri, 'vcloud/id-too-long');
    await waitLabel(/^OVF package: 0 errors; no manifest$/);
    await waitTargets(/^OVF targets: vcloud$/);

    const { document: dangling } = await openFixture('dangling-ref/dangling-ref.ovf');
    await waitForDiagnostic(dangling.uri, 'ref/file-ref');
    const errors = ovfkitDiagnostics(dangling.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    assert.ok(errors >= 1);
    await waitLabel(new RegExp(`^OVF package: ${errors} errors?; no manifest$`));
  });

  test('the manifest badge accounts for every file: a changed disk byte makes it stale, a touched disk does not', async () => {
    const descriptor = fixturePath('clean/clean.ovf');
    const disk = fixturePath('clean/disk1.vmdk');
    const original = fs.readFileSync(disk);
    const originalText = fs.readFileSync(descriptor, 'utf8');
    const editor = await openFixture('clean/clean.ovf');
    await waitLabel(/; no manifest$/);
    const mf = writeManifest(descriptor);
    try {
      await waitLabel(/; manifest fresh$/);
      // One byte of the disk changes (same size): re-hashed in the background, then stale.
      const changed = Buffer.from(original);
      changed[changed.length - 2] ^= 0x01;
      rewrite(disk, changed);
      await waitLabel(/; manifest stale$/);
      // The old bytes back (a newer mtime than the manifest still): re-hashed, fresh again.
      rewrite(disk, original);
      await waitLabel(/; manifest fresh$/);
      // Unsaved changes make the manifest stale; undoing them makes it fresh again.
      await editor.edit((e) => e.insert(new vscode.Position(1, 0), '<!-- edited -->\n'));
      await waitLabel(/; manifest stale$/);
      await undo(editor);
      await waitLabel(/; manifest fresh$/);
      // A descriptor saved with other content after the manifest was written.
      rewrite(descriptor, Buffer.from(originalText.replace('</Envelope>', '<!-- saved later -->\n</Envelope>')));
      await waitLabel(/; manifest stale$/);
    } finally {
      fs.rmSync(mf, { force: true });
      fs.writeFileSync(descriptor, originalText);
      fs.writeFileSync(disk, original);
    }
    await waitLabel(/; no manifest$/);
  });

  test('a failed Verify Package shows in the status bar until the package changes', async () => {
    const descriptor = fixturePath('clean/clean.ovf');
    const { document: doc } = await openFixture('clean/clean.ovf');
    // The disk's digest is wrong but nothing changed after the manifest: only hashing can tell.
    const mf = writeManifest(descriptor, 'disk1.vmdk');
    try {
      await waitLabel(/; manifest fresh$/);
      const result = await vscode.commands.executeCommand<{ ok: boolean }>('ovfkit.verifyPackage', doc.uri);
      assert.equal(result?.ok, false);
      await waitLabel(/; verification failed$/);
      writeManifest(descriptor); // regenerated: the failure is about the old manifest
      await waitLabel(/; manifest fresh$/);
    } finally {
      fs.rmSync(mf, { force: true });
    }
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
    await waitTargets(/^OVF targets: vcloud$/);
    const config = vscode.workspace.getConfiguration('ovfkit');
    await config.update('targets', ['vcloud', 'cloudcontrol'], vscode.ConfigurationTarget.Workspace);
    try {
      await waitTargets(/^OVF targets: vcloud, cloudcontrol$/);
    } finally {
      await config.update('targets', ['vcloud'], vscode.ConfigurationTarget.Workspace);
    }
  });

  test('shows the targets a descriptor chooses with an ovfkit: targets= comment, as the server reads it', async () => {
    const editor = await openFixture('clean/clean.ovf');
    await waitTargets(/^OVF targets: vcloud$/);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '<!-- ovfkit: targets=cloudcontrol -->\n'));
    try {
      await waitTargets(/^OVF targets: cloudcontrol \(descriptor\)$/);
    } finally {
      await revert(editor);
    }
    await waitTargets(/^OVF targets: vcloud$/);
  });

  test('the package item opens Problems when clicked; both items hide on other editors', async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const { document: doc } = await openFixture('long-id/long-id.ovf');
    await waitForDiagnostic(doc.uri, 'vcloud/id-too-long');
    await ui.waitCount('.markers-panel', 0);
    await ui.click(PACKAGE_ITEM);
    await ui.waitVisible('.markers-panel');

    const settings = await vscode.workspace.openTextDocument(vscode.Uri.file(fixturePath('.vscode/settings.json')));
    await vscode.window.showTextDocument(settings);
    await ui.waitCount(PACKAGE_ITEM, 0);
    await ui.waitCount(TARGETS_ITEM, 0);
  });
});
