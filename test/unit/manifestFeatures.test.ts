// The `.mf` language's LSP diagnostics and code actions, over real packages on disk.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { CodeAction, Diagnostic, DiagnosticSeverity, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { manifestCodeActions } from '../../server/src/features/manifestCodeActions';
import { manifestDiagnostics } from '../../server/src/features/manifestDiagnostics';
import { isManifestUri, ManifestFeature } from '../../server/src/features/manifestFeature';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { makePackage, TestPackage } from './manifestFixture';

const made: TestPackage[] = [];
async function generated(): Promise<{ p: TestPackage; text: string }> {
  const p = makePackage({ files: { 'pkg-disk1.vmdk': 'disk one', 'pkg-disk2.vmdk': 'disk two' } });
  made.push(p);
  await generateManifest(p.descriptorPath);
  return { p, text: readFileSync(p.manifestPath, 'utf8') };
}
after(() => made.forEach((p) => rmSync(p.dir, { recursive: true, force: true })));

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.mf', 'ovf-manifest', 1, text), edits);
}

describe('manifest language features', () => {
  test('a generated manifest has no diagnostics', async () => {
    const { p, text } = await generated();
    assert.deepEqual(await manifestDiagnostics(text, p.manifestPath), []);
  });

  test('every text diagnostic, with LSP ranges, codes and severities', async () => {
    const { p, text } = await generated();
    const [l1, l2, l3] = text.trimEnd().split('\n');
    const edited = [
      l1,
      l2.replace(/^SHA1\((.*)\)= /, 'SHA1 ($1) = '), // spaced form
      l3.replace('SHA1', 'SHA256').replace(/= \w+/, '= ' + 'a'.repeat(64)), // mixed algorithms
      'MD5(pkg-disk1.vmdk)= 0123456789abcdef0123456789abcdef', // unknown algorithm + duplicate entry
      'SHA1(notes.txt)= ' + 'b'.repeat(40), // unknown entry
      'garbage', // syntax
      '',
    ].join('\n');
    const ds = await manifestDiagnostics(edited, p.manifestPath);
    assert.deepEqual(codes(ds), [
      'manifest/duplicate-entry',
      'manifest/mixed-algorithms',
      'manifest/spaced-form',
      'manifest/syntax',
      'manifest/unknown-algorithm',
      'manifest/unknown-entry',
    ]);
    const byCode = Object.fromEntries(ds.map((d) => [d.code, d]));
    assert.deepEqual(byCode['manifest/unknown-algorithm'].range, { start: { line: 3, character: 0 }, end: { line: 3, character: 3 } });
    assert.equal(byCode['manifest/unknown-algorithm'].severity, DiagnosticSeverity.Error);
    assert.deepEqual(byCode['manifest/unknown-entry'].range, { start: { line: 4, character: 5 }, end: { line: 4, character: 14 } });
    assert.equal(byCode['manifest/unknown-entry'].severity, DiagnosticSeverity.Warning);
    assert.equal(byCode['manifest/spaced-form'].severity, DiagnosticSeverity.Warning);
    assert.equal(byCode['manifest/duplicate-entry'].relatedInformation?.[0].location.range.start.line, 1);
    assert.equal(byCode['manifest/duplicate-entry'].relatedInformation?.[0].location.uri, pathToFileURL(p.manifestPath).href);
    assert.ok(ds.every((d) => d.source === 'ovfkit'));
  });

  test('missing-entry when a referenced file has no line', async () => {
    const { p, text } = await generated();
    const withoutDisk2 = text.split('\n').filter((l) => !l.includes('pkg-disk2')).join('\n');
    const ds = await manifestDiagnostics(withoutDisk2, p.manifestPath);
    assert.deepEqual(codes(ds), ['manifest/missing-entry']);
    assert.match(String(ds[0].message), /'pkg-disk2\.vmdk'/);
  });

  test('saving the descriptor makes its line stale; the quick fix regenerates the manifest', async () => {
    const { p, text } = await generated();
    assert.deepEqual(await manifestDiagnostics(text, p.manifestPath), []);
    appendFileSync(p.descriptorPath, '<!-- saved again -->\n');
    const ds = await manifestDiagnostics(text, pathToFileURL(p.manifestPath).href);
    assert.deepEqual(codes(ds), ['manifest/stale-descriptor']);
    assert.deepEqual(ds[0].range, { start: { line: 0, character: 15 }, end: { line: 0, character: 55 } });
    assert.equal(ds[0].severity, DiagnosticSeverity.Error);

    const actions = manifestCodeActions(pathToFileURL(p.manifestPath).href, ds);
    assert.equal(actions.length, 1);
    const regenerate: CodeAction = actions[0];
    assert.equal(regenerate.title, 'Regenerate manifest (SHA1)');
    assert.equal(regenerate.isPreferred, true);
    assert.deepEqual(regenerate.command, {
      title: 'Regenerate manifest',
      command: 'ovfkit.generateManifest',
      arguments: [pathToFileURL(p.descriptorPath).href, { algorithm: 'SHA1' }],
    });
    // What the command does with those arguments: the manifest is fresh again.
    await generateManifest(p.descriptorPath, { algorithm: 'SHA1' });
    assert.deepEqual(await manifestDiagnostics(readFileSync(p.manifestPath, 'utf8'), p.manifestPath), []);
  });

  test('text fixes become workspace edits that produce the strict form', async () => {
    const { p, text } = await generated();
    const spaced = text.replace(/^SHA1\((.*)\)= /gm, 'SHA1 ($1) = ');
    const ds = await manifestDiagnostics(spaced, p.manifestPath);
    assert.equal(ds.length, 3);
    const uri = pathToFileURL(p.manifestPath).href;
    const actions = manifestCodeActions(uri, [ds[1]]);
    const fix = actions.find((a) => a.title === 'Rewrite in the strict form')!;
    assert.ok(fix.isPreferred);
    const fixed = applyEdits(spaced, fix.edit!.changes![uri]);
    assert.equal(fixed.split('\n')[1], text.split('\n')[1]);
    // Regenerating is offered for the spaced form too.
    assert.ok(actions.some((a) => a.command?.command === 'ovfkit.generateManifest'));
  });

  test('a manifest with no descriptor beside it gets only the text diagnostics', async () => {
    const ds = await manifestDiagnostics('SHA1 (a.ovf) = ' + 'c'.repeat(40) + '\n', '/nonexistent/folder/a.mf');
    assert.deepEqual(codes(ds), ['manifest/spaced-form']);
    const actions = manifestCodeActions('file:///nonexistent/folder/a.mf', ds);
    assert.deepEqual(actions.map((a) => a.title), ['Rewrite in the strict form']);
  });

  test("Java's META-INF/MANIFEST.MF is left alone", async () => {
    assert.deepEqual(await manifestDiagnostics('Manifest-Version: 1.0\nMain-Class: a.B\n', '/proj/META-INF/MANIFEST.MF'), []);
    assert.equal((await manifestDiagnostics('Manifest-Version: 1.0\n', '/proj/other/MANIFEST.MF')).length, 1);
  });

  test('ManifestFeature publishes for open manifests and re-checks them when the descriptor beside them changes', async () => {
    const { p, text } = await generated();
    const uri = pathToFileURL(p.manifestPath).href;
    assert.ok(isManifestUri(uri));
    assert.ok(!isManifestUri(pathToFileURL(p.descriptorPath).href));
    const docs = new Map([[uri, TextDocument.create(uri, 'ovf-manifest', 1, text)]]);
    const published: PublishDiagnosticsParams[] = [];
    let notify: () => void = () => {};
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    const feature = new ManifestFeature(
      { sendDiagnostics: async (params: PublishDiagnosticsParams) => { published.push(params); notify(); }, console: { error: (m: string) => assert.fail(m) } } as never,
      { get: (u: string) => docs.get(u), all: () => [...docs.values()] },
    );
    let arrived = next();
    feature.schedule(uri, true);
    await arrived;
    assert.deepEqual(published.at(-1), { uri, version: 1, diagnostics: [] });

    appendFileSync(p.descriptorPath, '<!-- saved -->\n');
    arrived = next();
    feature.fileChanged(pathToFileURL(p.descriptorPath).href);
    await arrived;
    assert.deepEqual(published.at(-1)!.diagnostics.map((d) => d.code), ['manifest/stale-descriptor']);

    arrived = next();
    feature.clear(uri);
    await arrived;
    assert.deepEqual(published.at(-1), { uri, diagnostics: [] });
  });
});
