// Protocol tests for completion, hover, definition, references, rename and fix-all, through the
// built server; malformed documents get sensible or empty answers, never errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../server/src/ovf/lineIndex';
import { descriptor, offsetOf } from '../support/descriptors';
import { LspClient } from '../support/lspClient';

describe('editing features over stdio', () => {
  let client: LspClient;
  let dir: string;
  let version = 1;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-lsp-edit-'));
    writeFileSync(path.join(dir, 'disk1.vmdk'), Buffer.alloc(1024));
    writeFileSync(path.join(dir, 'spare.vmdk'), Buffer.alloc(2048));
    client = new LspClient();
    client.requestHandlers.set('workspace/configuration', (p) => p.items.map(() => ({ targets: ['vcloud'] })));
    const init = await client.initialize({ workspace: { configuration: true } });
    for (const cap of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider']) assert.ok(init.capabilities[cap], cap);
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, text: string): Promise<{ uri: string; lines: LineIndex }> {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();
    const published = client.waitFor('textDocument/publishDiagnostics', (p: any) => p.uri === uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: version++, text } });
    await published;
    return { uri, lines: new LineIndex(text) };
  }

  test('completion of referable ids and file names, with ranges', async () => {
    const text = descriptor().replace('ovf:fileRef="file1"', 'ovf:fileRef=""');
    const { uri, lines } = await open('a.ovf', text);
    const position = lines.positionAt(offsetOf(text, 'ovf:fileRef=""') + 13);
    const items = await client.request<any[]>('textDocument/completion', { textDocument: { uri }, position });
    assert.deepEqual(items.map((i) => i.label), ['file1']);
    assert.deepEqual(items[0].textEdit.range, { start: position, end: position });
    const hrefAt = lines.positionAt(offsetOf(text, 'disk1.vmdk'));
    const files = await client.request<any[]>('textDocument/completion', { textDocument: { uri }, position: hrefAt });
    assert.deepEqual(files.map((i) => i.label).sort(), ['disk1.vmdk', 'spare.vmdk']);
  });

  test('completion while the document is broken still answers', async () => {
    const text = descriptor().replace('<rasd:ResourceType>17</rasd:ResourceType>', '<rasd:ResourceType>');
    const { uri, lines } = await open('b.ovf', text);
    const position = lines.positionAt(offsetOf(text, '<rasd:ResourceType>\n') + 19);
    const items = await client.request<any[]>('textDocument/completion', { textDocument: { uri }, position });
    const disk = items.find((i) => i.label === '17 — Disk drive');
    assert.ok(disk, items.map((i) => i.label).join());
    assert.equal(disk.textEdit.newText, '17');
    assert.match(disk.filterText, /Disk drive/);
  });

  test('hover on a Disk reference', async () => {
    const text = descriptor();
    const { uri, lines } = await open('c.ovf', text);
    const hover = await client.request<any>('textDocument/hover', { textDocument: { uri }, position: lines.positionAt(offsetOf(text, 'ovf:/disk/vmdisk1') + 12) });
    assert.match(hover.contents.value, /Disk\*\* `vmdisk1` — 20 GiB/);
    assert.match(hover.contents.value, /1 KiB on disk/);
    const at = offsetOf(text, 'vmdisk1', 1);
    assert.deepEqual(hover.range, { start: lines.positionAt(at), end: lines.positionAt(at + 7) });
  });

  test('definition, references and rename', async () => {
    const text = descriptor();
    const { uri, lines } = await open('d.ovf', text);
    const refPosition = lines.positionAt(offsetOf(text, 'ovf:fileRef="file1"') + 14);
    const defs = await client.request<any[]>('textDocument/definition', { textDocument: { uri }, position: refPosition });
    assert.deepEqual(defs.map((d) => d.range.start), [lines.positionAt(offsetOf(text, 'file1'))]);
    const refs = await client.request<any[]>('textDocument/references', { textDocument: { uri }, position: refPosition, context: { includeDeclaration: true } });
    assert.equal(refs.length, 2);
    const prepared = await client.request<any>('textDocument/prepareRename', { textDocument: { uri }, position: refPosition });
    assert.equal(prepared.placeholder, 'file1');
    const edit = await client.request<any>('textDocument/rename', { textDocument: { uri }, position: refPosition, newName: 'system-disk' });
    assert.equal(edit.changes[uri].length, 2);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: refPosition, newName: 'a<b' }), /cannot contain/);
  });

  test('navigation on a malformed document returns nothing instead of failing', async () => {
    const text = descriptor().replace('</References>', '');
    const { uri, lines } = await open('e.ovf', text);
    const position = lines.positionAt(offsetOf(text, 'file1') + 1);
    assert.deepEqual(await client.request('textDocument/definition', { textDocument: { uri }, position }), []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position }), null);
    assert.equal(await client.request('textDocument/prepareRename', { textDocument: { uri }, position }), null);
  });

  test('fix all of a kind in the file', async () => {
    const text = descriptor({ items: '<Item><rasd:HostResource>/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>1</rasd:InstanceID></Item><Item><rasd:HostResource>/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>2</rasd:InstanceID></Item>' });
    const file = path.join(dir, 'f.ovf');
    writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();
    const published = client.waitFor<any>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: 1, text } });
    const prefixDiags = (await published).diagnostics.filter((d: any) => d.code === 'ref/host-resource-prefix');
    assert.equal(prefixDiags.length, 2);
    const actions = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri }, range: prefixDiags[0].range, context: { diagnostics: [prefixDiags[0]] } });
    const all = actions.find((a) => /Fix all ref\/host-resource-prefix/.test(a.title));
    assert.ok(all, actions.map((a) => a.title).join());
    assert.equal(all.edit.changes[uri].length, 2);
  });
});
