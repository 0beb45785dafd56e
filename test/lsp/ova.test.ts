// A descriptor read from an OVA (the editor's read-only `ovfkit-ova:` document): the server judges
// its package by the OVA's members, and follows the OVA when it changes on disk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { descriptor } from '../support/descriptors';
import { LspClient } from '../support/lspClient';

interface Published { uri: string; diagnostics: Array<{ code: string; message: string }> }

let client: LspClient;
const dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-lsp-ova-'));

before(async () => {
  client = new LspClient();
  client.requestHandlers.set('workspace/configuration', (params) => params.items.map(() => ({ targets: [] })));
  client.requestHandlers.set('client/registerCapability', () => null);
  await client.initialize({ workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } });
});
after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('package findings come from the OVA members, and change when the OVA does', async () => {
  const text = descriptor();
  writeFileSync(path.join(dir, 'app.ovf'), text);
  writeFileSync(path.join(dir, 'disk1.vmdk'), Buffer.alloc(1024, 9));
  writeFileSync(path.join(dir, 'extra.txt'), 'x');
  const ova = path.join(dir, 'app.ova');
  execFileSync('tar', ['-cf', ova, '-C', dir, 'app.ovf', 'extra.txt']);
  const uri = `ovfkit-ova:${encodeURI(`${ova}/app.ovf`)}`;

  const first = client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: 1, text } });
  const codes = (await first).diagnostics.map((d) => d.code);
  assert.ok(codes.includes('package/missing-file'), codes.join(', '));
  assert.ok(codes.includes('ova/unreferenced-member'), codes.join(', '));

  // disk1.vmdk has been in the folder all along: only the OVA counts.
  execFileSync('tar', ['-cf', ova, '-C', dir, 'app.ovf', 'disk1.vmdk']);
  const second = client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && !p.diagnostics.some((d) => d.code === 'package/missing-file'));
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(ova).toString(), type: 2 }] });
  const after = (await second).diagnostics.map((d) => d.code);
  assert.ok(!after.includes('ova/unreferenced-member'), after.join(', '));
});
