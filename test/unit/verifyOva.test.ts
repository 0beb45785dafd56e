// `verify app.ova` in place: OVAs written by GNU tar (ustar/GNU) and Python's tarfile (PAX) at
// test time verify member by member from the tar; a changed byte inside a member, a missing
// member and a descriptor that is not first are found; chunked parts are checked one by one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { indexOva } from '../../server/src/ovf/ova/ovaIndex';
import { verifyOva } from '../../server/src/ovf/ova/verifyOva';
import { makePackage, TestPackage } from './manifestFixture';

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function signedLessPackage(): Promise<TestPackage> {
  // Sizes that are not multiples of 512, and one over a hashing chunk, so ranges end mid-block.
  const pkg = makePackage({ name: 'app.ovf', files: { 'disk.vmdk': Buffer.alloc(5 * 1024 * 1024 + 77, 7), 'small.iso': 'iso data\n' } });
  made.push(pkg.dir);
  await generateManifest(pkg.descriptorPath);
  return pkg;
}

function gnuTar(pkg: TestPackage, names: string[], format = 'gnu'): string {
  const ova = pkg.path('app.ova');
  execFileSync('tar', [`--format=${format}`, '-cf', ova, '-C', pkg.dir, ...names]);
  return ova;
}

function pythonTar(pkg: TestPackage, names: string[]): string {
  const ova = pkg.path('app-py.ova');
  const script = 'import sys, tarfile\nwith tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:\n    [t.add(sys.argv[2] + "/" + n, arcname=n) for n in sys.argv[3:]]';
  execFileSync('python3', ['-c', script, ova, pkg.dir, ...names]);
  return ova;
}

describe('verify app.ova in place', () => {
  test('GNU tar, POSIX tar and Python tarfile (PAX) OVAs verify member by member', async () => {
    const pkg = await signedLessPackage();
    const members = ['app.ovf', 'app.mf', 'disk.vmdk', 'small.iso'];
    for (const ova of [gnuTar(pkg, members), gnuTar(pkg, members, 'posix'), pythonTar(pkg, members)]) {
      const { result, cert } = await verifyOva(ova);
      assert.equal(result.ok, true, JSON.stringify(result.descriptor.findings.concat(result.manifest?.findings ?? [])));
      assert.equal(result.summary.checked, 3, ova);
      assert.equal(result.summary.matched, 3, ova);
      assert.equal(result.descriptorPath, `${ova}(app.ovf)`);
      assert.equal(result.manifestPath, `${ova}(app.mf)`);
      assert.equal(cert, undefined);
    }
  });

  test('a changed byte inside a member is a mismatch on that member; the OVA is not changed or unpacked', async () => {
    const pkg = await signedLessPackage();
    const ova = gnuTar(pkg, ['app.ovf', 'app.mf', 'disk.vmdk', 'small.iso']);
    const disk = (await indexOva(ova)).members.find((m) => m.name === 'disk.vmdk')!;
    const fd = openSync(ova, 'r+');
    writeSync(fd, Buffer.from([1]), 0, 1, disk.dataOffset + disk.size - 1); // the member's last byte
    closeSync(fd);
    const { result } = await verifyOva(ova);
    assert.equal(result.ok, false);
    assert.equal(result.summary.mismatched, 1);
    const mismatch = result.manifest!.findings.find((f) => f.code === 'manifest/digest-mismatch');
    assert.match(mismatch!.message, /'disk\.vmdk' does not match/);
    assert.deepEqual(execFileSync('tar', ['-tf', ova], { encoding: 'utf8' }).trim().split('\n').length, 4);
  });

  test('a member the descriptor references but the OVA lacks is missing; a descriptor not first is an error', async () => {
    const pkg = await signedLessPackage();
    const ova = gnuTar(pkg, ['app.mf', 'app.ovf', 'disk.vmdk']);
    const { result } = await verifyOva(ova);
    assert.equal(result.ok, false);
    assert.equal(result.summary.missingFiles, 1);
    const codes = result.descriptor.findings.map((f) => f.code);
    assert.ok(codes.includes('ova/descriptor-not-first'), codes.join());
    assert.ok(codes.includes('manifest/missing-file'), codes.join());
  });

  test('chunked files: every part is listed in the generated manifest and checked inside the OVA', async () => {
    const pkg = makePackage({ name: 'app.ovf', files: { 'disk.vmdk.000000000': Buffer.alloc(1024, 1), 'disk.vmdk.000000001': Buffer.alloc(300, 2) }, hrefs: ['disk.vmdk'] });
    made.push(pkg.dir);
    writeFileSync(pkg.descriptorPath, readFileSync(pkg.descriptorPath, 'utf8').replace('ovf:href="disk.vmdk"', 'ovf:href="disk.vmdk" ovf:size="1324" ovf:chunkSize="1024"'));
    await generateManifest(pkg.descriptorPath);
    const manifest = readFileSync(pkg.manifestPath, 'utf8');
    assert.match(manifest, /^SHA\d+\(disk\.vmdk\.000000000\)= /m);
    assert.match(manifest, /^SHA\d+\(disk\.vmdk\.000000001\)= /m);
    assert.doesNotMatch(manifest, /\(disk\.vmdk\)=/);
    const ova = gnuTar(pkg, ['app.ovf', 'app.mf', 'disk.vmdk.000000000', 'disk.vmdk.000000001']);
    const { result } = await verifyOva(ova);
    assert.equal(result.ok, true, JSON.stringify(result.manifest?.findings));
    assert.equal(result.summary.matched, 3);
  });
});
