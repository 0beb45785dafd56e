// Protocol tests: the built server answers documentSymbol, foldingRange and documentLink over
// stdio, on the test descriptor and on a real export, and keeps answering (from the last
// well-formed model, or with nothing) while an edit breaks the XML.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { descriptor, offsetOf } from '../support/descriptors';
import { LspClient } from '../support/lspClient';
import { LineIndex } from '../../server/src/ovf/lineIndex';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface Symbol { name: string; detail?: string; kind: number; range: Range; selectionRange: Range; children?: Symbol[] }
interface Folding { startLine: number; endLine: number; kind?: string }
interface Link { range: Range; target?: string; tooltip?: string }

const CORPUS = path.resolve('test/fixtures/corpus/files');

function names(symbols: Symbol[]): unknown[] {
  return symbols.map((s) => (s.children?.length ? [s.name, names(s.children)] : s.name));
}

describe('outline, folding and links over stdio', () => {
  let client: LspClient;
  let dir: string;
  let init: any;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-outline-'));
    client = new LspClient();
    client.requestHandlers.set('workspace/configuration', (params) => params.items.map(() => ({})));
    init = await client.initialize({ workspace: { configuration: true } });
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function open(name: string, text: string, languageId = 'ovf'): string {
    // The file need not exist: the server works on the text it is sent.
    const uri = pathToFileURL(path.join(dir, name)).toString();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  const symbols = (uri: string) => client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const folding = (uri: string) => client.request<Folding[]>('textDocument/foldingRange', { textDocument: { uri } });
  const links = (uri: string) => client.request<Link[]>('textDocument/documentLink', { textDocument: { uri } });

  test('the server announces the three capabilities', () => {
    assert.equal(init.capabilities.documentSymbolProvider, true);
    assert.equal(init.capabilities.foldingRangeProvider, true);
    assert.ok(init.capabilities.documentLinkProvider);
  });

  test('documentSymbol on the test descriptor: names and exact ranges', async () => {
    const text = descriptor();
    const uri = open('a.ovf', text);
    const result = await symbols(uri);
    assert.deepEqual(names(result), [
      ['Envelope', [
        ['References', ['disk1.vmdk — 1 KiB']],
        ['Disks', ['vmdisk1 — 20 GiB']],
        ['Networks', ['VM Network']],
        ['web01', ['Hardware vmx-13', '2 vCPU', '4096 MB memory', 'SCSI controller lsilogic', 'Disk 1 — 20 GiB', 'NIC VmxNet3 → VM Network']],
      ]],
    ]);
    const lines = new LineIndex(text);
    const envelope = result[0];
    assert.deepEqual(envelope.range, { start: lines.positionAt(offsetOf(text, '<Envelope')), end: lines.positionAt(offsetOf(text, '</Envelope>') + 11) });
    const disk = envelope.children![3].children!.find((c) => c.name === 'Disk 1 — 20 GiB')!;
    const name = offsetOf(text, 'Hard disk 1');
    assert.deepEqual(disk.selectionRange, { start: lines.positionAt(name), end: lines.positionAt(name + 11) });
    assert.equal(disk.detail, 'Hard disk 1');
  });

  test('documentSymbol on a real export (Cisco C8000V, deployment options, ISO, three NICs)', async () => {
    const text = readFileSync(path.join(CORPUS, 'cot__c8000v.ovf'), 'utf8');
    const uri = open('c8000v.ovf', text);
    const [envelope] = await symbols(uri);
    assert.deepEqual(envelope.children!.map((c) => c.name), ['References', 'Disks', 'Networks', 'Deployment options', 'com.cisco.c8000v']);
    const vm = envelope.children!.at(-1)!;
    assert.equal(vm.detail, 'Cisco Catalyst 8000V Edge Router');
    const vmNames = vm.children!.map((c) => c.name);
    assert.ok(vmNames.includes('CD/DVD drive — c8000v-universalk9_vga.17.05.01a.iso'), vmNames.join(', '));
    assert.deepEqual(vmNames.filter((n) => n.startsWith('NIC')), ['NIC VMXNET3 → GigabitEthernet1', 'NIC VMXNET3 → GigabitEthernet2', 'NIC VMXNET3 → GigabitEthernet3']);
    const lines = new LineIndex(text);
    const at = offsetOf(text, 'ovf:id="com.cisco.c8000v"') + 8;
    assert.deepEqual(vm.selectionRange, { start: lines.positionAt(at), end: lines.positionAt(at + 'com.cisco.c8000v'.length) });
  });

  test('foldingRange: elements fold to the line before their end tag, comments whole', async () => {
    const text = descriptor({ extraSections: '<!-- first line\n  second line -->' });
    const uri = open('b.ovf', text);
    const result = await folding(uri);
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle));
    assert.ok(result.some((r) => r.startLine === lineOf('<Envelope') && r.endLine === lineOf('</Envelope>') - 1));
    assert.ok(result.some((r) => r.startLine === lineOf('<VirtualHardwareSection>') && r.endLine === lineOf('</VirtualHardwareSection>') - 1));
    assert.deepEqual(result.filter((r) => r.kind === 'comment'), [{ startLine: lineOf('first line'), endLine: lineOf('second line -->'), kind: 'comment' }]);
    assert.equal(result.filter((r) => lines[r.startLine].trim() === '<Item>').length, 5);
  });

  test('documentLink: hrefs inside the package link to the file beside the descriptor', async () => {
    const text = descriptor({
      references: '<References>\n    <File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="1024"/>\n    <File ovf:href="../other/x.vmdk" ovf:id="file2"/>\n  </References>',
    });
    const uri = open('links.ovf', text);
    const result = await links(uri);
    assert.equal(result.length, 1);
    assert.equal(result[0].target, pathToFileURL(path.join(dir, 'disk1.vmdk')).toString());
    assert.equal(result[0].tooltip, 'Open disk1.vmdk (declared 1 KiB), beside the descriptor');
    const lines = new LineIndex(text);
    const at = offsetOf(text, 'disk1.vmdk');
    assert.deepEqual(result[0].range, { start: lines.positionAt(at), end: lines.positionAt(at + 10) });
  });

  test('a malformed edit: the outline, folding and links come from the last well-formed text', async () => {
    const text = descriptor();
    const uri = open('c.ovf', text);
    const good = await symbols(uri);
    const goodFolding = await folding(uri);
    const at = new LineIndex(text).positionAt(offsetOf(text, '<NetworkSection>'));
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: at, end: at }, text: '<Broken attr=>' }],
    });
    assert.deepEqual(await symbols(uri), good);
    assert.deepEqual(await folding(uri), goodFolding);
    assert.equal((await links(uri)).length, 1);
    // Once the text is well-formed again, the answers follow it.
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: text.replace('vsId', '').replace(/web01/g, 'db02') }],
    });
    assert.equal((await symbols(uri))[0].children!.at(-1)!.name, 'db02');
  });

  test('broken from the start, not XML at all, or a manifest: empty answers, never an error', async () => {
    const broken = open('d.ovf', descriptor().slice(0, 600));
    assert.deepEqual(await symbols(broken), []);
    assert.deepEqual(await folding(broken), []);
    assert.deepEqual(await links(broken), []);
    const vectorField = open('e.ovf', '# OOMMF OVF 2.0\n# Segment count: 1\n');
    assert.deepEqual(await symbols(vectorField), []);
    const manifest = open('e.mf', 'SHA1(e.ovf)= 0000\n', 'ovf-manifest');
    assert.deepEqual(await symbols(manifest), []);
    assert.deepEqual(await folding(manifest), []);
    assert.deepEqual(await links(manifest), []);
    // Unknown documents too.
    assert.deepEqual(await symbols(pathToFileURL(path.join(dir, 'never-opened.ovf')).toString()), []);
  });
});
