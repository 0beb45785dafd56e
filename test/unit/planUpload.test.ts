// The upload plan both front ends render: file order, blocking findings, the go-ahead, vCloud
// renames, the certificate and chunked files, on real packages in a temporary folder.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { planUpload } from '../../server/src/ovf/upload/planUpload';
import { makePackage, TestPackage } from './manifestFixture';

describe('planUpload', () => {
  const made: TestPackage[] = [];
  const pkg = (spec: Parameters<typeof makePackage>[0]) => {
    const p = makePackage(spec);
    made.push(p);
    return p;
  };
  after(() => {
    for (const p of made) rmSync(p.dir, { recursive: true, force: true });
  });

  it('orders descriptor, manifest, certificate, then References order; the quick scope keeps descriptor and manifest', async () => {
    const p = pkg({ files: { 'b.vmdk': 'b', 'a.vmdk': 'a' } });
    writeFileSync(p.manifestPath, '');
    writeFileSync(p.path('pkg.cert'), '');
    const plan = await planUpload(p.descriptorPath, 'vcloud');
    assert.deepEqual(plan.files.map((f) => f.name), ['pkg.ovf', 'pkg.mf', 'pkg.cert', 'b.vmdk', 'a.vmdk']);
    assert.equal(plan.manifestPath, p.manifestPath);
    const quick = await planUpload(p.descriptorPath, 'cloudcontrol', { scope: 'descriptorAndManifest' });
    assert.deepEqual(quick.files.map((f) => f.name), ['pkg.ovf', 'pkg.mf']);
  });

  it('a missing disk blocks, with the position of its href', async () => {
    const p = pkg({ files: { 'a.vmdk': 'a' }, hrefs: ['a.vmdk', 'gone.vmdk'] });
    const plan = await planUpload(p.descriptorPath, 'cloudcontrol');
    assert.equal(plan.readiness.verdict, 'blocked');
    assert.ok(plan.readiness.blockers.some((b) => b.code === 'package/missing-file'));
  });

  it('names the VMs vCloud renames, only for vCloud', async () => {
    const p = pkg({ files: { 'a.vmdk': 'a' } });
    writeFileSync(p.descriptorPath, readFileSync(p.descriptorPath, 'utf8').replace('ovf:id="vm"', 'ovf:id="a-very-long-system-id"'));
    assert.deepEqual((await planUpload(p.descriptorPath, 'vcloud')).renames, [{ id: 'a-very-long-system-id', name: 'a-very-long-s001' }]);
    assert.deepEqual((await planUpload(p.descriptorPath, 'cloudcontrol')).renames, []);
  });

  it('a chunked File goes up as its parts, in order', async () => {
    const p = pkg({ files: { 'big.vmdk.000000000': 'aa', 'big.vmdk.000000001': 'b' }, hrefs: ['big.vmdk'] });
    const text = readFileSync(p.descriptorPath, 'utf8').replace('ovf:href="big.vmdk"', 'ovf:href="big.vmdk" ovf:size="3" ovf:chunkSize="2"');
    writeFileSync(p.descriptorPath, text);
    const plan = await planUpload(p.descriptorPath, 'vcloud');
    assert.deepEqual(plan.files.filter((f) => f.role === 'file').map((f) => [f.name, f.partOf]), [['big.vmdk.000000000', 'big.vmdk'], ['big.vmdk.000000001', 'big.vmdk']]);
  });

  it('a descriptor that cannot be read blocks without throwing', async () => {
    const gone = await planUpload('/nonexistent/nothing.ovf', 'vcloud');
    assert.equal(gone.readiness.verdict, 'blocked');
    assert.deepEqual(gone.files, []);
  });
});
