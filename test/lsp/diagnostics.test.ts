// Protocol tests: the built server over stdio publishes diagnostics with exact ranges, updates
// them on edits and on package changes, answers quick fixes, and reads settings.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { descriptor, offsetOf } from '../support/descriptors';
import { LspClient } from '../support/lspClient';
import { LineIndex } from '../../server/src/ovf/lineIndex';

interface Diag { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; severity: number; message: string; source: string; data?: unknown; relatedInformation?: Array<{ location: { uri: string; range: unknown }; message: string }> }
interface Published { uri: string; version?: number; diagnostics: Diag[] }

describe('language server over stdio', () => {
  let client: LspClient;
  let dir: string;
  let settings: Record<string, unknown> = { targets: ['vcloud', 'cloudcontrol'] };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-lsp-'));
    client = new LspClient();
    client.requestHandlers.set('workspace/configuration', (params) => params.items.map(() => settings));
    client.requestHandlers.set('client/registerCapability', () => null);
    const init = await client.initialize({ workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } });
    assert.ok(init.capabilities.codeActionProvider);
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function open(name: string, text: string, version = 1): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version, text } });
    return uri;
  }

  const published = (uri: string, match: (p: Published) => boolean = () => true) =>
    client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && match(p));

  test('diagnostics on open, with codes and exact ranges', async () => {
    const text = descriptor({ vsId: 'NewVirtualMachine1' }).replace('ovf:fileRef="file1"', 'ovf:fileRef="nofile"');
    writeFileSync(path.join(dir, 'disk1.vmdk'), Buffer.alloc(1024));
    writeFileSync(path.join(dir, 'a.mf'), '');
    const waiting = published(pathToFileURL(path.join(dir, 'a.ovf')).toString());
    const uri = open('a.ovf', text);
    const { diagnostics } = await waiting;
    const lines = new LineIndex(text);
    const byCode = new Map(diagnostics.map((d) => [d.code, d]));
    const ref = byCode.get('ref/file-ref')!;
    assert.ok(ref, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.equal(ref.severity, 1);
    assert.equal(ref.source, 'ovfkit');
    const at = offsetOf(text, 'nofile');
    assert.deepEqual(ref.range, { start: lines.positionAt(at), end: lines.positionAt(at + 6) });
    assert.equal(ref.relatedInformation?.[0].location.uri, uri);
    const long = byCode.get('vcloud/id-too-long')!;
    assert.equal(long.severity, 2);
    assert.match(long.message, /'NewVirtualMac001'/);
    const idAt = offsetOf(text, 'NewVirtualMachine1');
    assert.deepEqual(long.range, { start: lines.positionAt(idAt), end: lines.positionAt(idAt + 18) });
  });

  test('an edit re-validates; the published version matches', async () => {
    const text = descriptor();
    writeFileSync(path.join(dir, 'b.mf'), '');
    const uri = open('b.ovf', text);
    await published(uri);
    const at = new LineIndex(text).positionAt(offsetOf(text, 'ovf:/disk/vmdisk1') + 10);
    const waiting = published(uri, (p) => p.version === 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + 7 } }, text: 'ghost' }],
    });
    const { diagnostics } = await waiting;
    assert.deepEqual(diagnostics.filter((d) => d.severity === 1).map((d) => d.code), ['ref/host-resource']);
  });

  test('malformed XML: one error at the unclosed start tag, the end tag that found it as related information', async () => {
    const uri = open('c.ovf', '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1">\n  <References>\n</Envelope>\n');
    const { diagnostics } = await published(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start]), [['xml/malformed', { line: 1, character: 3 }]]);
    assert.deepEqual(diagnostics[0].relatedInformation?.map((r) => [r.location.uri, r.location.range]), [[uri, { start: { line: 2, character: 2 }, end: { line: 2, character: 10 } }]]);
  });

  test('a quick fix edits the document so the diagnostic disappears', async () => {
    const text = descriptor().replace('ovf:/disk/vmdisk1', '/disk/vmdisk1');
    const uri = open('d.ovf', text);
    const { diagnostics } = await published(uri);
    const d = diagnostics.find((x) => x.code === 'ref/host-resource-prefix')!;
    const all = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const actions = all.filter((a) => !a.title.startsWith('Disable '));
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'quickfix');
    const edits = actions[0].edit.changes[uri];
    const lines = new LineIndex(text);
    let fixed = text;
    for (const e of [...edits].reverse()) fixed = fixed.slice(0, lines.offsetAt(e.range.start)) + e.newText + fixed.slice(lines.offsetAt(e.range.end));
    const waiting = published(uri, (p) => p.version === 2);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await waiting;
    assert.ok(!after.diagnostics.some((x) => x.code === 'ref/host-resource-prefix'));
  });

  test('a disk appearing beside the descriptor re-validates it (watched files)', async () => {
    const text = descriptor().replace(/disk1\.vmdk/g, 'late.vmdk');
    const uri = open('e.ovf', text);
    const first = await published(uri);
    assert.ok(first.diagnostics.some((d) => d.code === 'package/missing-file'));
    const disk = path.join(dir, 'late.vmdk');
    writeFileSync(disk, Buffer.alloc(1024));
    const waiting = published(uri, (p) => !p.diagnostics.some((d) => d.code === 'package/missing-file'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(disk).toString(), type: 1 }] });
    await waiting;
  });

  test('changed settings re-validate open documents', async () => {
    const text = descriptor({ vsId: 'a-very-long-vm-name' });
    const uri = open('f.ovf', text);
    assert.ok((await published(uri)).diagnostics.some((d) => d.code === 'vcloud/id-too-long'));
    settings = { targets: ['cloudcontrol'], severity: { 'cloudcontrol/manifest-missing': 'off' } };
    const waiting = published(uri, (p) => !p.diagnostics.some((d) => d.code === 'vcloud/id-too-long'));
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const { diagnostics } = await waiting;
    assert.ok(!diagnostics.some((d) => d.code === 'cloudcontrol/manifest-missing'));
  });

  test('a chosen data centre: unknown limits give a note; limits in the settings judge and are named', async () => {
    const text = descriptor({ vsId: 'dc' });
    settings = { targets: ['cloudcontrol'], cloudcontrol: { datacenter: 'NA9' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const uri = open('dc.ovf', text);
    const first = await published(uri, (p) => p.diagnostics.some((d) => d.code === 'cloudcontrol/datacenter-unknown'));
    assert.equal(first.diagnostics.find((d) => d.code === 'cloudcontrol/datacenter-unknown')!.severity, 3, 'information');
    // What the extension passes once it has read the data centres from the API.
    settings = { targets: ['cloudcontrol'], cloudcontrol: { datacenter: 'NA9', datacenters: { NA9: { city: 'Ashburn', readAt: '2026-12-01T10:00:00Z', limits: { maxCpuCount: 1 } } } } };
    const waiting = published(uri, (p) => p.diagnostics.some((d) => d.code === 'cloudcontrol/cpu-count'));
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const { diagnostics } = await waiting;
    assert.ok(!diagnostics.some((d) => d.code === 'cloudcontrol/datacenter-unknown'));
    assert.match(diagnostics.find((d) => d.code === 'cloudcontrol/cpu-count')!.message, /maximum of 1 \(data centre NA9 \(Ashburn\), read from the CloudControl API on 2026-12-01T10:00:00Z\)/);
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = open('g.ovf', '<broken');
    assert.equal((await published(uri)).diagnostics.length, 1);
    const waiting = published(uri, (p) => p.diagnostics.length === 0);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await waiting;
  });
});
