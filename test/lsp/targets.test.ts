// Targets over the protocol: the server tells the extension which targets are in force (its own
// directive reader), computes the edit that writes or removes the targets comment, and offers
// "Check this file against <other cloud> only" on every cloud finding, which takes effect.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../server/src/ovf/lineIndex';
import { descriptor } from '../support/descriptors';
import { LspClient } from '../support/lspClient';

interface Diag { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string }
interface Published { uri: string; version?: number; diagnostics: Diag[] }
interface Edit { range: Diag['range']; newText: string }

function applyEdits(text: string, edits: Edit[]): string {
  const lines = new LineIndex(text);
  let out = text;
  for (const e of [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))) {
    out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  }
  return out;
}

describe('targets over the protocol', () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-targets-'));
    writeFileSync(path.join(dir, 'disk1.vmdk'), Buffer.alloc(1024));
    client = new LspClient();
    client.requestHandlers.set('workspace/configuration', (params) => params.items.map(() => ({ targets: ['vcloud', 'cloudcontrol'] })));
    client.requestHandlers.set('client/registerCapability', () => null);
    await client.initialize({ workspace: { configuration: true } });
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a descriptor and follows its text through the edits the test applies. */
  async function openDescriptor(name: string, text: string) {
    const uri = pathToFileURL(path.join(dir, name)).toString();
    writeFileSync(path.join(dir, name), text);
    let version = 1;
    let current = text;
    const published = (v: number) => client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === v);
    const first = published(1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version, text } });
    let diagnostics = (await first).diagnostics;
    return {
      uri,
      text: () => current,
      diagnostics: () => diagnostics,
      async apply(edits: Edit[]) {
        current = applyEdits(current, edits);
        const waiting = published(++version);
        client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: current }] });
        diagnostics = (await waiting).diagnostics;
      },
      actions: (d: Diag) => client.request<any[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }),
      targets: () => client.request('ovfkit/targets', { uri }),
    };
  }

  test('a vCloud finding offers "against NTT CloudControl only"; applied, only CloudControl rules run', async () => {
    const doc = await openDescriptor('long.ovf', descriptor({ vsId: 'a-very-long-vm-name' }));
    assert.deepEqual(await doc.targets(), { targets: ['vcloud', 'cloudcontrol'], fromDescriptor: false, cloudFindings: doc.diagnostics().filter((d) => /^(vcloud|cloudcontrol)\//.test(d.code)).length });
    const long = doc.diagnostics().find((d) => d.code === 'vcloud/id-too-long')!;
    assert.ok(long);
    const actions = await doc.actions(long);
    const only = actions.find((a) => a.title === 'Check this file against NTT CloudControl only');
    assert.ok(only, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(!actions.some((a) => a.title.includes('vCloud Director only')), 'not the cloud the finding is about');
    await doc.apply(only.edit.changes[doc.uri]);
    assert.match(doc.text(), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!-- ovfkit: targets=cloudcontrol -->\n<Envelope /);
    assert.deepEqual(doc.diagnostics().filter((d) => d.code.startsWith('vcloud/')), []);
    assert.ok(doc.diagnostics().some((d) => d.code === 'cloudcontrol/manifest-missing'), 'CloudControl rules still run');
    assert.deepEqual(await doc.targets(), { targets: ['cloudcontrol'], fromDescriptor: true, cloudFindings: doc.diagnostics().filter((d) => d.code.startsWith('cloudcontrol/')).length });

    // From a CloudControl finding, the way back: the comment is rewritten, not added twice.
    const missing = doc.diagnostics().find((d) => d.code === 'cloudcontrol/manifest-missing')!;
    const back = (await doc.actions(missing)).find((a) => a.title === 'Check this file against vCloud Director only');
    assert.ok(back);
    await doc.apply(back.edit.changes[doc.uri]);
    assert.equal(doc.text().match(/ovfkit: targets=/g)?.length, 1);
    assert.match(doc.text(), /<!-- ovfkit: targets=vcloud -->/);
    assert.deepEqual(doc.diagnostics().filter((d) => d.code.startsWith('cloudcontrol/')), []);
    assert.ok(doc.diagnostics().some((d) => d.code === 'vcloud/id-too-long'));
  });

  test('generic findings get no target fix', async () => {
    const doc = await openDescriptor('dangling.ovf', descriptor().replace('ovf:fileRef="file1"', 'ovf:fileRef="nofile"'));
    const ref = doc.diagnostics().find((d) => d.code === 'ref/file-ref')!;
    assert.ok(ref);
    assert.deepEqual((await doc.actions(ref)).filter((a) => /^Check this file against/.test(a.title)), []);
  });

  test('ovfkit/targetsEdit writes, rewrites and removes the comment; the server reads it back', async () => {
    const doc = await openDescriptor('edit.ovf', descriptor());
    await doc.apply((await client.request('ovfkit/targetsEdit', { uri: doc.uri, targets: ['vcloud', 'cloudcontrol'] })).edits);
    assert.match(doc.text(), /<!-- ovfkit: targets=vcloud,cloudcontrol -->\n<Envelope/);
    assert.deepEqual(await doc.targets(), { targets: ['vcloud', 'cloudcontrol'], fromDescriptor: true, cloudFindings: 1 });
    await doc.apply((await client.request('ovfkit/targetsEdit', { uri: doc.uri, targets: [] })).edits);
    assert.match(doc.text(), /<!-- ovfkit: targets=generic -->/);
    assert.deepEqual(await doc.targets(), { targets: [], fromDescriptor: true, cloudFindings: 0 });
    await doc.apply((await client.request('ovfkit/targetsEdit', { uri: doc.uri, targets: null })).edits);
    assert.equal(doc.text(), descriptor(), 'removing the comment restores the text exactly');
    assert.deepEqual(await doc.targets(), { targets: ['vcloud', 'cloudcontrol'], fromDescriptor: false, cloudFindings: 1 });
  });
});
