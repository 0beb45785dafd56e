import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { Finding } from '../../server/src/ovf/findings';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { VerifyResult, verifyPackage } from '../../server/src/ovf/manifest/verifyPackage';
import { makePackage, TestPackage } from './manifestFixture';

const made: TestPackage[] = [];
async function generatedPackage(): Promise<TestPackage> {
  const p = makePackage({ files: { 'pkg-disk1.vmdk': randomBytes(300_000), 'pkg-disk2.vmdk': randomBytes(1000) } });
  made.push(p);
  await generateManifest(p.descriptorPath);
  return p;
}
after(() => made.forEach((p) => rmSync(p.dir, { recursive: true, force: true })));

const codes = (findings: Finding[] | undefined) => (findings ?? []).map((f) => f.code).sort();
const at = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);
const errors = (r: VerifyResult) => [...(r.manifest?.findings ?? []), ...r.descriptor.findings].filter((f) => f.severity === 'error');

describe('verifyPackage', () => {
  test('a freshly generated package verifies clean', async () => {
    const p = await generatedPackage();
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, true);
    assert.deepEqual(codes(r.manifest?.findings), []);
    assert.deepEqual(codes(r.descriptor.findings), []);
    assert.deepEqual({ checked: r.summary.checked, matched: r.summary.matched }, { checked: 3, matched: 3 });
  });

  test('a changed disk: digest-mismatch on the manifest digest and on the descriptor href', async () => {
    const p = await generatedPackage();
    appendFileSync(p.path('pkg-disk2.vmdk'), 'tampered');
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    assert.equal(r.summary.mismatched, 1);
    const [m] = r.manifest!.findings;
    assert.equal(m.code, 'manifest/digest-mismatch');
    assert.match(at(r.manifest!.text, m), /^[0-9a-f]{40}$/);
    assert.ok(r.manifest!.text.slice(0, m.span.start).endsWith('SHA1(pkg-disk2.vmdk)= '));
    const [d] = r.descriptor.findings;
    assert.equal(d.code, 'manifest/digest-mismatch');
    assert.equal(at(r.descriptor.text, d), 'pkg-disk2.vmdk');
    assert.equal(m.related?.[0].file, p.descriptorPath);
  });

  test('a changed descriptor: stale-descriptor on its line', async () => {
    const p = await generatedPackage();
    appendFileSync(p.descriptorPath, '<!-- edited -->\n');
    const r = await verifyPackage(p.descriptorPath);
    assert.deepEqual(codes(errors(r)), ['manifest/stale-descriptor']);
    assert.ok(r.manifest!.text.slice(0, r.manifest!.findings[0].span.start).endsWith('SHA1(pkg.ovf)= '));
  });

  test('a missing disk: missing-file on the manifest name and the descriptor href', async () => {
    const p = await generatedPackage();
    unlinkSync(p.path('pkg-disk1.vmdk'));
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    assert.equal(r.summary.missingFiles, 1);
    const m = r.manifest!.findings.find((f) => f.code === 'manifest/missing-file')!;
    assert.equal(at(r.manifest!.text, m), 'pkg-disk1.vmdk');
    assert.match(m.message, /'pkg-disk1\.vmdk' is missing/);
    const d = r.descriptor.findings.find((f) => f.code === 'manifest/missing-file')!;
    assert.equal(at(r.descriptor.text, d), 'pkg-disk1.vmdk');
  });

  test('a disk that is a folder: package/not-a-file naming it, on the manifest and the href', async () => {
    const p = await generatedPackage();
    unlinkSync(p.path('pkg-disk1.vmdk'));
    mkdirSync(p.path('pkg-disk1.vmdk'));
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    const m = r.manifest!.findings.find((f) => f.code === 'package/not-a-file')!;
    assert.match(m.message, /'pkg-disk1\.vmdk' is a folder, not a regular file/);
    const d = r.descriptor.findings.find((f) => f.code === 'package/not-a-file')!;
    assert.equal(at(r.descriptor.text, d), 'pkg-disk1.vmdk');
  });

  test('a referenced file with no manifest line: missing-entry on both files; an extra line: unknown-entry, never read', async () => {
    const p = await generatedPackage();
    const text = readFileSync(p.manifestPath, 'utf8').split('\n');
    // Drop disk2's line, add a line for a file outside the package.
    writeFileSync(p.manifestPath, [text[0], text[1], 'SHA1(../elsewhere.vmdk)= 0123456789012345678901234567890123456789', ''].join('\n'));
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.manifest!.findings), ['manifest/missing-entry', 'manifest/unknown-entry']);
    const unknown = r.manifest!.findings.find((f) => f.code === 'manifest/unknown-entry')!;
    assert.equal(unknown.severity, 'warning');
    assert.equal(at(r.manifest!.text, unknown), '../elsewhere.vmdk');
    const missing = r.descriptor.findings.find((f) => f.code === 'manifest/missing-entry')!;
    assert.equal(at(r.descriptor.text, missing), 'pkg-disk2.vmdk');
    assert.equal(r.summary.checked, 2);
    assert.equal(r.summary.missingEntries, 1);
  });

  test('the spaced form verifies (exit-worthy ok) with a warning only', async () => {
    const p = await generatedPackage();
    writeFileSync(p.manifestPath, readFileSync(p.manifestPath, 'utf8').replace(/^SHA1\((.*)\)= /gm, 'SHA1 ($1) = '));
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, true);
    assert.equal(r.summary.matched, 3);
    assert.deepEqual(codes(r.manifest!.findings), ['manifest/spaced-form', 'manifest/spaced-form', 'manifest/spaced-form']);
  });

  test('no manifest: an error on the descriptor', async () => {
    const p = await generatedPackage();
    unlinkSync(p.manifestPath);
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.descriptor.findings), ['manifest/no-manifest']);
  });
});
