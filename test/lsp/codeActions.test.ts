// Protocol tests for the code actions where the fix is obvious: run Generate Manifest for a
// missing manifest, point a dangling fileRef at the one unused File, disable a rule for the file
// (a directive the server then honours) or the workspace (a client command), and each code's link
// to its row in docs/RULES.md. Also: a deleted </References> is reported at <References>.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LineIndex } from '../../server/src/ovf/lineIndex';
import { ruleAnchor } from '../../server/src/ovf/rules/rulesDoc';
import { descriptor, offsetOf } from '../support/descriptors';
import { LspClient } from '../support/lspClient';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface Diag { range: Range; code: string; message: string; source: string; codeDescription?: { href: string }; relatedInformation?: Array<{ location: { uri: string; range: Range }; message: string }>; data?: unknown }
interface Published { uri: string; version?: number; diagnostics: Diag[] }
interface Action { title: string; kind: string; isPreferred?: boolean; edit?: { changes: Record<string, Array<{ range: Range; newText: string }>> }; command?: { command: string; arguments?: unknown[] } }

describe('code actions over stdio', () => {
  let client: LspClient;
  let dir: string;
  const versions = new Map<string, number>();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-lsp-actions-'));
    writeFileSync(path.join(dir, 'disk1.vmdk'), Buffer.alloc(1024));
    client = new LspClient();
    client.requestHandlers.set('workspace/configuration', (params) => params.items.map(() => ({ targets: ['cloudcontrol'] })));
    client.requestHandlers.set('client/registerCapability', () => null);
    await client.initialize({ workspace: { configuration: true } });
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const published = (uri: string, match: (p: Published) => boolean = () => true) =>
    client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && match(p));

  async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diag[] }> {
    const uri = pathToFileURL(path.join(dir, name)).toString();
    writeFileSync(path.join(dir, name), text);
    const waiting = published(uri);
    versions.set(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: 1, text } });
    return { uri, diagnostics: (await waiting).diagnostics };
  }

  /** Replaces the document's text and resolves with what the server publishes for it. */
  async function change(uri: string, text: string): Promise<Diag[]> {
    const version = versions.get(uri)! + 1;
    versions.set(uri, version);
    const waiting = published(uri, (p) => p.version === version);
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return (await waiting).diagnostics;
  }

  const actionsFor = (uri: string, d: Diag) =>
    client.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });

  function applied(text: string, action: Action, uri: string): string {
    const lines = new LineIndex(text);
    let out = text;
    for (const e of [...action.edit!.changes[uri]].reverse()) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
    return out;
  }

  const find = (diagnostics: Diag[], code: string) => {
    const d = diagnostics.find((x) => x.code === code);
    assert.ok(d, `no ${code} in ${JSON.stringify(diagnostics.map((x) => x.code))}`);
    return d;
  };

  test('cloudcontrol/manifest-missing names the editor command and offers to run it on this descriptor', async () => {
    const { uri, diagnostics } = await open('nomf.ovf', descriptor());
    const d = find(diagnostics, 'cloudcontrol/manifest-missing');
    assert.match(d.message, /nomf\.mf is missing beside the descriptor; run "ovfkit: Generate Manifest"$/);
    assert.doesNotMatch(d.message, /ovfkit manifest/);
    const run = (await actionsFor(uri, d)).find((a) => a.command?.command === 'ovfkit.generateManifest');
    assert.ok(run, 'no action runs Generate Manifest');
    assert.equal(run.title, 'Run ovfkit: Generate Manifest');
    assert.equal(run.isPreferred, true);
    assert.deepEqual(run.command!.arguments, [uri]);
  });

  test('a dangling fileRef is pointed at the only unused File, and the error goes away', async () => {
    writeFileSync(path.join(dir, 'dangling.mf'), '');
    const text = descriptor().replace('ovf:fileRef="file1"', 'ovf:fileRef="file2"');
    const { uri, diagnostics } = await open('dangling.ovf', text);
    const d = find(diagnostics, 'ref/file-ref');
    const fix = (await actionsFor(uri, d)).find((a) => a.title.startsWith('Change to'));
    assert.ok(fix, 'no "Change to" fix');
    assert.equal(fix.title, "Change to 'file1' (disk1.vmdk), the only unused File");
    assert.equal(fix.isPreferred, true);
    const fixed = applied(text, fix, uri);
    assert.equal(fixed, descriptor());
    const after = await change(uri, fixed);
    assert.ok(!after.some((x) => x.code === 'ref/file-ref' || x.code === 'ref/unreferenced-file'), JSON.stringify(after.map((x) => x.code)));
  });

  test('no "Change to" fix when two Files are unused', async () => {
    writeFileSync(path.join(dir, 'two.mf'), '');
    writeFileSync(path.join(dir, 'disk2.vmdk'), Buffer.alloc(1024));
    const text = descriptor({
      references: '<References>\n    <File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="1024"/>\n    <File ovf:href="disk2.vmdk" ovf:id="file3" ovf:size="1024"/>\n  </References>',
    }).replace('ovf:fileRef="file1"', 'ovf:fileRef="file2"');
    const { uri, diagnostics } = await open('two.ovf', text);
    const titles = (await actionsFor(uri, find(diagnostics, 'ref/file-ref'))).map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Change to')), titles.join(' | '));
  });

  test('"Disable for this file" writes the directive comment, then extends it; the server honours both', async () => {
    const text = descriptor({ vsId: 'web01', systemType: 'vmx-99' });
    const { uri, diagnostics } = await open('disable.ovf', text);
    const missing = find(diagnostics, 'cloudcontrol/manifest-missing');
    const disable = (await actionsFor(uri, missing)).find((a) => a.title === 'Disable cloudcontrol/manifest-missing for this file');
    assert.ok(disable, 'no disable-for-file action');
    const once = applied(text, disable, uri);
    assert.match(once, /\?>\n<!-- ovfkit: disable=cloudcontrol\/manifest-missing -->\n<Envelope /);
    const after1 = await change(uri, once);
    assert.ok(!after1.some((x) => x.code === 'cloudcontrol/manifest-missing'));

    const hw = find(after1, 'cloudcontrol/hardware-version');
    const again = (await actionsFor(uri, hw)).find((a) => a.title === 'Disable cloudcontrol/hardware-version for this file')!;
    const twice = applied(once, again, uri);
    assert.match(twice, /<!-- ovfkit: disable=cloudcontrol\/manifest-missing,cloudcontrol\/hardware-version -->/);
    assert.equal(twice.match(/ovfkit: disable=/g)!.length, 1, 'a second comment was written');
    const after2 = await change(uri, twice);
    assert.ok(!after2.some((x) => x.code.startsWith('cloudcontrol/')), JSON.stringify(after2.map((x) => x.code)));

    const typo = await change(uri, twice.replace('hardware-version -->', 'hardware-versoin -->'));
    const unknown = find(typo, 'ovfkit/unknown-rule');
    assert.match(unknown.message, /'cloudcontrol\/hardware-versoin'/);
  });

  test('"Disable for this workspace" is the client command with the code and the document', async () => {
    const { uri, diagnostics } = await open('ws.ovf', descriptor());
    const d = find(diagnostics, 'cloudcontrol/manifest-missing');
    const actions = await actionsFor(uri, d);
    const ws = actions.find((a) => a.title === 'Disable cloudcontrol/manifest-missing for this workspace');
    assert.ok(ws, actions.map((a) => a.title).join(' | '));
    assert.deepEqual(ws.command, { title: ws.title, command: 'ovfkit.disableRuleInWorkspace', arguments: ['cloudcontrol/manifest-missing', uri] });
    assert.equal(actions.at(-1)!.title, ws.title, 'the disable actions come after the fixes');
  });

  test("each code links to its rule's row in the docs/RULES.md beside the server", async () => {
    const { diagnostics } = await open('links.ovf', descriptor({ systemType: 'vmx-99' }).replace('ovf:fileRef="file1"', 'ovf:fileRef="nofile"'));
    assert.ok(diagnostics.length >= 3);
    for (const d of diagnostics) {
      const href = d.codeDescription?.href;
      assert.ok(href, `${d.code} has no codeDescription`);
      const [file, fragment] = href.split('#');
      assert.equal(fileURLToPath(file), path.resolve('docs/RULES.md'));
      const line = Number(/^L(\d+)$/.exec(fragment)?.[1]);
      const row = readFileSync('docs/RULES.md', 'utf8').split('\n')[line - 1];
      assert.ok(row.startsWith(`| <a id="${ruleAnchor(d.code)}"></a>\`${d.code}\` |`), `${href} is "${row}"`);
    }
  });

  test('a manifest finding words its remedy for the editor and links to its row too', async () => {
    writeFileSync(path.join(dir, 'stale.ovf'), descriptor());
    const text = `SHA1(stale.ovf)= ${'0'.repeat(40)}\nSHA1(disk1.vmdk)= ${'0'.repeat(40)}\n`;
    const uri = pathToFileURL(path.join(dir, 'stale.mf')).toString();
    writeFileSync(path.join(dir, 'stale.mf'), text);
    const waiting = published(uri, (p) => p.diagnostics.length > 0);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf-manifest', version: 1, text } });
    const stale = find((await waiting).diagnostics, 'manifest/stale-descriptor');
    assert.match(stale.message, /no longer matches; run "ovfkit: Generate Manifest"$/);
    const line = Number(stale.codeDescription!.href.split('#L')[1]);
    assert.ok(readFileSync('docs/RULES.md', 'utf8').split('\n')[line - 1].includes('`manifest/stale-descriptor`'));
  });

  test('deleting </References> marks <References>, with the end tag that found it as related information', async () => {
    const text = descriptor().replace('\n  </References>', '');
    const { uri, diagnostics } = await open('unclosed.ovf', text);
    assert.deepEqual(diagnostics.map((d) => d.code), ['xml/malformed']);
    const [d] = diagnostics;
    const lines = new LineIndex(text);
    const at = offsetOf(text, '<References>') + 1;
    assert.deepEqual(d.range, { start: lines.positionAt(at), end: lines.positionAt(at + 'References'.length) });
    assert.match(d.message, /<References> is not closed/);
    const end = text.lastIndexOf('</Envelope>') + 2;
    assert.deepEqual(d.relatedInformation?.map((r) => [r.location.uri, r.location.range]), [[uri, { start: lines.positionAt(end), end: lines.positionAt(end + 'Envelope'.length) }]]);
    // Broken XML is not a rule one turns off.
    assert.deepEqual((await actionsFor(uri, d)).filter((a) => a.title.startsWith('Disable')), []);
  });
});
