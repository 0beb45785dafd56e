// Protocol test: the editor's diagnostics (the server's package facts) flag a package file that is
// a symlink leading outside the package, or a FIFO, at its href, and go away when it is replaced
// by a real file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../server/src/ovf/lineIndex';
import { descriptor, offsetOf } from '../support/descriptors';
import { LspClient } from '../support/lspClient';

interface Diag { range: { start: { line: number; character: number } }; code: string; severity: number; message: string }
interface Published { uri: string; diagnostics: Diag[] }

describe('language server: symlinks and special files in a package', () => {
  let client: LspClient;
  let dir: string;
  let outside: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-lsp-pkg-'));
    outside = mkdtempSync(path.join(tmpdir(), 'ovfkit-lsp-outside-'));
    writeFileSync(path.join(outside, 'secret'), 'secret');
    client = new LspClient();
    client.requestHandlers.set('workspace/configuration', (params) => params.items.map(() => ({ targets: [] })));
    client.requestHandlers.set('client/registerCapability', () => null);
    await client.initialize({ workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } });
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  function open(name: string, text: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: 1, text } });
    return uri;
  }
  const published = (uri: string, match: (p: Published) => boolean) => client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && match(p));

  test('a symlink out of the package: package/outside-package at the href; a real file in its place clears it', async () => {
    symlinkSync(path.join(outside, 'secret'), path.join(dir, 'linked.vmdk'));
    const text = descriptor().replace(/disk1\.vmdk/g, 'linked.vmdk');
    const uri = open('a.ovf', text);
    const first = await published(uri, (p) => p.diagnostics.some((d) => d.code === 'package/outside-package'));
    const d = first.diagnostics.find((x) => x.code === 'package/outside-package')!;
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range.start, new LineIndex(text).positionAt(offsetOf(text, 'linked.vmdk')));
    rmSync(path.join(dir, 'linked.vmdk'));
    writeFileSync(path.join(dir, 'linked.vmdk'), Buffer.alloc(1024));
    const cleared = published(uri, (p) => !p.diagnostics.some((x) => x.code === 'package/outside-package'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'linked.vmdk')).toString(), type: 2 }] });
    await cleared;
  });

  test('a FIFO: package/not-a-file, and the server keeps answering (it never opened the pipe)', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.vmdk')]);
    const uri = open('b.ovf', descriptor().replace(/disk1\.vmdk/g, 'pipe.vmdk'));
    const p = await published(uri, (x) => x.diagnostics.some((d) => d.code === 'package/not-a-file'));
    assert.match(p.diagnostics.find((d) => d.code === 'package/not-a-file')!.message, /FIFO/);
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols.length, 1);
  });
});
