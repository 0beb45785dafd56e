// A chosen CloudControl data centre's limits (read from the API) replace ovfkit's defaults, with
// the origin in the message; a chosen data centre whose limits are unknown gives one note.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { readDatacenterLimits } from '../../client/src/cli/datacenterLimits';
import { Finding } from '../../server/src/ovf/findings';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { resolveSettings } from '../../server/src/ovf/settings';
import { readDatacenterDirective } from '../../server/src/ovf/targets/datacenterDirective';
import { runRules } from '../../server/src/ovf/validate';
import { descriptor } from '../support/descriptors';

const NA9 = { city: 'Ashburn', readAt: '2026-12-01T10:00:00.000Z', limits: { maxCpuCount: 1, minMemoryMb: 8192, maxMemoryMb: 65536, minDiskGb: 50, maxDiskGb: 500 } };

function check(text: string, cloudcontrol: Record<string, unknown>): Finding[] {
  return runRules(parseDescriptor(text), resolveSettings({ targets: ['cloudcontrol'], cloudcontrol }), undefined);
}
const only = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);
const withDirective = (id: string) => descriptor().replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}\n<!-- ovfkit: datacenter=${id} -->`);

describe('data centre limits', () => {
  test('the chosen data centre (setting) replaces the defaults and is named with the time read', () => {
    const findings = check(descriptor(), { datacenter: 'NA9', datacenters: { NA9 } });
    const [cpu] = only(findings, 'cloudcontrol/cpu-count');
    assert.equal(cpu.severity, 'error');
    assert.match(cpu.message, /2 CPUs exceed the data centre's maximum of 1 \(data centre NA9 \(Ashburn\), read from the CloudControl API on 2026-12-01T10:00:00\.000Z\)/);
    const [memory] = only(findings, 'cloudcontrol/memory');
    assert.equal(memory.severity, 'warning', 'a minimum stays a warning: no source says the import refuses it');
    assert.match(memory.message, /under the data centre's minimum of 8192 MB \(data centre NA9 \(Ashburn\)/);
    const [disk] = only(findings, 'cloudcontrol/disk-size');
    assert.equal(disk.severity, 'warning');
    assert.match(disk.message, /20 GB, under the data centre's minimum of 50 GB \(data centre NA9/);
    assert.deepEqual(only(findings, 'cloudcontrol/datacenter-unknown'), []);
  });

  test('without a chosen data centre the defaults judge, even when limits are known', () => {
    const findings = check(descriptor(), { datacenters: { NA9 } });
    assert.deepEqual(only(findings, 'cloudcontrol/cpu-count'), []);
    assert.deepEqual(only(findings, 'cloudcontrol/datacenter-unknown'), []);
  });

  test("a file's datacenter comment wins over the setting", () => {
    const EU6 = { city: 'Frankfurt', limits: { maxCpuCount: 32 } };
    const findings = check(withDirective('EU6'), { datacenter: 'NA9', datacenters: { NA9, EU6 } });
    assert.deepEqual(only(findings, 'cloudcontrol/cpu-count'), [], 'EU6 allows 32 CPUs');
    assert.deepEqual(only(findings, 'cloudcontrol/memory'), [], 'EU6 reports no memory limit: the default (1024 MB minimum) stays');
  });

  test('limits a data centre does not report keep the default, and say so', () => {
    const big = descriptor().replace('ovf:capacity="20"', 'ovf:capacity="2000"');
    const [disk] = only(check(big, { datacenter: 'EU6', datacenters: { EU6: { limits: { maxCpuCount: 32 } } } }), 'cloudcontrol/disk-size');
    assert.match(disk.message, /maximum of 1000 GB \(ovfkit default, setting ovfkit\.cloudcontrol\.maxDiskGb\)/);
  });

  test('a chosen data centre whose limits are unknown gives one information finding, at the comment', () => {
    const text = withDirective('AU10');
    const [note, ...rest] = only(check(text, {}), 'cloudcontrol/datacenter-unknown');
    assert.equal(rest.length, 0);
    assert.equal(note.severity, 'information');
    assert.match(note.message, /This file names data centre AU10, whose limits ovfkit has not read yet/);
    assert.equal(text.slice(note.span.start, note.span.end), '<!-- ovfkit: datacenter=AU10 -->');
    const [bySetting] = only(check(descriptor(), { datacenter: 'AU10' }), 'cloudcontrol/datacenter-unknown');
    assert.match(bySetting.message, /The setting ovfkit\.cloudcontrol\.datacenter names data centre AU10/);
  });

  test('the note is a CloudControl rule: not reported when only vCloud is checked', () => {
    const findings = runRules(parseDescriptor(withDirective('AU10')), resolveSettings({ targets: ['vcloud'] }), undefined);
    assert.deepEqual(only(findings, 'cloudcontrol/datacenter-unknown'), []);
  });

  test('junk in the settings is ignored', () => {
    const s = resolveSettings({ cloudcontrol: { datacenter: 'NA9 <script>', datacenters: { NA9: { city: 7, limits: { maxCpuCount: -1, maxDiskGb: 'x', minDiskGb: 20 } }, X: null } } });
    assert.equal(s.datacenter, undefined);
    assert.deepEqual(s.datacenters, { NA9: { limits: { minDiskGb: 20 } } });
  });

  test('the directive reader: last one wins', () => {
    const doc = parseDescriptor(withDirective('NA9').replace('<!-- ovfkit: datacenter=NA9 -->', '<!-- ovfkit: datacenter=NA9 --><!-- ovfkit: datacenter=NA12 -->'));
    assert.equal(readDatacenterDirective(doc.xml.comments)?.id, 'NA12');
    assert.equal(doc.directives.datacenter?.id, 'NA12');
  });
});

describe('validate --datacenter-limits FILE', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-dc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('reads a data-centre list (array or { datacenters }) and the settings form', async () => {
    const list = [{ id: 'NA9', displayName: 'US - East 3', city: 'Ashburn', country: 'US', ftpsHost: 'ftps-na.cloud-vpn.net', limits: NA9.limits, readAt: NA9.readAt }];
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(list));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ datacenters: list }));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ NA9 }));
    for (const f of ['a.json', 'b.json', 'c.json']) {
      const known = await readDatacenterLimits(path.join(dir, f));
      const s = resolveSettings({ datacenter: 'NA9', datacenters: known });
      assert.deepEqual(s.datacenters.NA9, NA9, f);
    }
  });

  test('bad files are refused saying which and why', async () => {
    writeFileSync(path.join(dir, 'bad.json'), '{ nope');
    await assert.rejects(readDatacenterLimits(path.join(dir, 'bad.json')), /bad\.json is not JSON/);
    await assert.rejects(readDatacenterLimits(path.join(dir, 'missing.json')), /cannot read .*missing\.json/);
    await assert.rejects(readDatacenterLimits(dir), /not a regular file/);
  });
});
