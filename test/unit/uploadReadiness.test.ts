// Which findings block an upload, which need the user's go-ahead: one decision for the editor
// commands and the CLI, on real packages written to a temporary folder.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assessUploadReadiness } from '../../server/src/ovf/upload/planUpload';
import { formatUploadProblem, judgeUploadReadiness } from '../../server/src/ovf/upload/uploadReadiness';
import { ReportedFinding } from '../../server/src/ovf/validate';
import { makePackage, TestPackage } from './manifestFixture';

const finding = (code: string, severity: ReportedFinding['severity'] = 'error'): ReportedFinding => ({
  code, severity, message: `${code} message`, span: { start: 0, end: 1 }, range: { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } },
});

describe('upload readiness (pure decision)', () => {
  it('a cloud refusal for certain blocks; a limit from settings needs the go-ahead; warnings pass', () => {
    const r = judgeUploadReadiness({
      target: 'vcloud', descriptorPath: '/p/a.ovf', unreadable: [],
      findings: [finding('vcloud/compression'), finding('vcloud/hardware-version'), finding('vcloud/id-too-long', 'warning')],
    });
    assert.equal(r.verdict, 'blocked');
    assert.deepEqual(r.blockers.map((b) => b.code), ['vcloud/compression']);
    assert.deepEqual(r.needsGoAhead.map((b) => b.code), ['vcloud/hardware-version']);
    assert.equal(formatUploadProblem(r.blockers[0], '/p'), 'a.ovf:5:3: vcloud/compression message');
  });

  it('the same code blocks only where that cloud refuses it: a size mismatch for vCloud, not for CloudControl', () => {
    const vcloud = judgeUploadReadiness({ target: 'vcloud', descriptorPath: '/p/a.ovf', unreadable: [], findings: [finding('package/size-mismatch')] });
    const cloudcontrol = judgeUploadReadiness({ target: 'cloudcontrol', descriptorPath: '/p/a.ovf', unreadable: [], findings: [finding('package/size-mismatch')] });
    assert.equal(vcloud.verdict, 'blocked');
    assert.equal(cloudcontrol.verdict, 'confirm');
  });

  it('an unreadable file blocks, named; a clean package is ready', () => {
    const r = judgeUploadReadiness({ target: 'cloudcontrol', descriptorPath: '/p/a.ovf', findings: [], unreadable: [{ file: '/p/disk1.vmdk', reason: 'permission denied' }] });
    assert.equal(r.verdict, 'blocked');
    assert.equal(formatUploadProblem(r.blockers[0]), '/p/disk1.vmdk: cannot read disk1.vmdk: permission denied');
    assert.equal(judgeUploadReadiness({ target: 'vcloud', descriptorPath: '/p/a.ovf', findings: [finding('ref/connection', 'warning')], unreadable: [] }).verdict, 'ready');
  });
});

describe('upload readiness of packages on disk', () => {
  const made: TestPackage[] = [];
  const pkg = (spec: Parameters<typeof makePackage>[0]) => {
    const p = makePackage(spec);
    made.push(p);
    return p;
  };
  after(() => {
    for (const p of made) rmSync(p.dir, { recursive: true, force: true });
  });

  it('a missing disk blocks both clouds, with the line and column of its href', async () => {
    const p = pkg({ files: { 'disk1.vmdk': 'x' }, hrefs: ['disk1.vmdk', 'disk2.vmdk'] });
    for (const target of ['vcloud', 'cloudcontrol'] as const) {
      const r = await assessUploadReadiness(p.descriptorPath, target);
      assert.equal(r.verdict, 'blocked', target);
      const missing = r.blockers.find((b) => b.code === 'package/missing-file');
      assert.ok(missing, `${target}: ${JSON.stringify(r.blockers)}`);
      assert.match(formatUploadProblem(missing, p.dir), /^pkg\.ovf:\d+:\d+: File 'disk2\.vmdk' does not exist/);
    }
  });

  it('a folder where a disk should be blocks', async () => {
    const p = pkg({ files: { 'disk1.vmdk': 'x' }, hrefs: ['disk1.vmdk', 'disk2.vmdk'] });
    mkdirSync(path.join(p.dir, 'disk2.vmdk'));
    const r = await assessUploadReadiness(p.descriptorPath, 'vcloud');
    assert.equal(r.verdict, 'blocked');
    assert.match(r.blockers.map((b) => b.message).join('\n'), /disk2\.vmdk' is a folder, not a regular file/);
  });

  it('a descriptor that cannot be read blocks instead of throwing', async () => {
    const r = await assessUploadReadiness('/nonexistent/nothing.ovf', 'cloudcontrol');
    assert.equal(r.verdict, 'blocked');
    assert.match(r.blockers[0].message, /cannot read nothing\.ovf: .*no such file/);
  });

  it('CloudControl without a manifest blocks (its import needs one); vCloud, where it is optional, does not', async () => {
    const p = pkg({ files: { 'disk1.vmdk': 'x' } });
    rmSync(p.manifestPath, { force: true });
    const cc = await assessUploadReadiness(p.descriptorPath, 'cloudcontrol');
    assert.ok(cc.blockers.some((b) => b.code === 'cloudcontrol/manifest-missing'), JSON.stringify(cc.blockers));
    const vc = await assessUploadReadiness(p.descriptorPath, 'vcloud');
    assert.deepEqual(vc.blockers, []);
  });
});
