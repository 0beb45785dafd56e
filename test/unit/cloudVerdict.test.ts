// The effective hardware of each deployment configuration, and the cloud and package rules that
// judge it the way the clouds do: per configuration, attached disks only, href policy by target,
// chunked files part by part (real files in a temporary folder).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { Finding } from '../../server/src/ovf/findings';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { effectiveHardware } from '../../server/src/ovf/model/effectiveHardware';
import { probePackage } from '../../server/src/ovf/package/packageFacts';
import { TargetName } from '../../server/src/ovf/rules/rule';
import { resolveSettings, ValidationSettings } from '../../server/src/ovf/settings';
import { runRules } from '../../server/src/ovf/validate';
import { DEFAULT_ITEMS, descriptor } from '../support/descriptors';

function check(text: string, targets: TargetName[], settings: Partial<ValidationSettings> = {}): Finding[] {
  return runRules(parseDescriptor(text), resolveSettings({ ...settings, targets }), undefined);
}
const only = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);

const OPTIONS = `<DeploymentOptionSection><Info>Sizes</Info>
    <Configuration ovf:id="small"><Label>Small</Label><Description>2 CPUs</Description></Configuration>
    <Configuration ovf:id="large" ovf:default="true"><Label>Large</Label><Description>8 CPUs</Description></Configuration>
    <Configuration ovf:id="huge"><Label>Huge</Label><Description>64 CPUs</Description></Configuration>
  </DeploymentOptionSection>`;

/** CPU Items per configuration sharing InstanceID 1 (the Cisco pattern), the rest of the default hardware. */
function sized(cpus: Record<string, number>): string {
  const cpuItems = Object.entries(cpus).map(([config, n]) => `
      <Item ovf:configuration="${config}">
        <rasd:ElementName>${n} virtual CPUs</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>${n}</rasd:VirtualQuantity>
      </Item>`).join('');
  const rest = DEFAULT_ITEMS.replace(/\s*<Item>\s*<rasd:ElementName>2 virtual CPUs[\s\S]*?<\/Item>/, '');
  return descriptor({ extraSections: OPTIONS, items: cpuItems + rest });
}

describe('effective hardware per deployment configuration', () => {
  test('the default configuration first, then the others in document order; no options: one configuration', () => {
    const model = effectiveHardware(parseDescriptor(sized({ small: 2, large: 8, huge: 64 })));
    assert.deepEqual(model.configurations.map((c) => [c.id, c.isDefault]), [['large', true], ['small', false], ['huge', false]]);
    const plain = effectiveHardware(parseDescriptor(descriptor()));
    assert.deepEqual(plain.configurations.map((c) => c.id), [undefined]);
    assert.equal(plain.hardware[0].items.length, 5);
  });

  test('without ovf:default the first Configuration is the default', () => {
    const text = sized({ small: 2 }).replace(' ovf:default="true"', '');
    assert.equal(effectiveHardware(parseDescriptor(text)).configurations[0].id, 'small');
  });

  test('a configuration-specific Item overrides the Item without ovf:configuration; others keep it', () => {
    const generic = `
      <Item>
        <rasd:ElementName>1 CPU</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>1</rasd:VirtualQuantity>
      </Item>
      <Item ovf:configuration="huge large">
        <rasd:ElementName>16 CPUs</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>16</rasd:VirtualQuantity>
      </Item>`;
    const model = effectiveHardware(parseDescriptor(descriptor({ extraSections: OPTIONS, items: generic })));
    const cpus = Object.fromEntries(model.hardware.map((hw) => [hw.configuration.id, hw.items.map((e) => e.item.virtualQuantity?.value)]));
    assert.deepEqual(cpus, { large: ['16'], small: ['1'], huge: ['16'] });
  });

  test('ovf:bound min and max Items bound the normal Item of their InstanceID instead of being devices', () => {
    const ranged = `
      <Item ovf:bound="min"><rasd:ElementName>min</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>512</rasd:VirtualQuantity></Item>
      <Item><rasd:ElementName>normal</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4096</rasd:VirtualQuantity></Item>
      <Item ovf:bound="max"><rasd:ElementName>max</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>999999</rasd:VirtualQuantity></Item>`;
    const [hw] = effectiveHardware(parseDescriptor(descriptor({ items: ranged }))).hardware;
    assert.equal(hw.items.length, 1);
    assert.equal(hw.items[0].item.virtualQuantity?.value, '4096');
    assert.equal(hw.items[0].min?.virtualQuantity?.value, '512');
    assert.equal(hw.items[0].max?.virtualQuantity?.value, '999999');
    // the min bound is under CloudControl's minimum and the max bound over its maximum: neither is judged
    assert.deepEqual(only(check(descriptor({ items: ranged }), ['cloudcontrol']), 'cloudcontrol/memory'), []);
  });
});

describe('cloud limits judged per configuration', () => {
  test('a limit broken only in a non-default configuration is a warning naming it; in the default an error', () => {
    const onlyHuge = only(check(sized({ small: 2, large: 8, huge: 64 }), ['cloudcontrol']), 'cloudcontrol/cpu-count');
    assert.equal(onlyHuge.length, 1);
    assert.equal(onlyHuge[0].severity, 'warning');
    assert.match(onlyHuge[0].message, /64 CPUs exceed the data centre's maximum of 16 \(ovfkit default, setting ovfkit\.cloudcontrol\.maxCpuCount\), only in the non-default deployment configuration 'huge'/);
    const inDefault = only(check(sized({ small: 2, large: 64, huge: 64 }), ['cloudcontrol']), 'cloudcontrol/cpu-count');
    assert.deepEqual(inDefault.map((f) => f.severity), ['error', 'warning'], "the default configuration's Item, then the one of 'huge' only");
    assert.match(inDefault[0].message, /\(in the default deployment configuration 'large'\)$/);
  });

  test('one generic Item broken in every configuration is one finding, an error', () => {
    const text = descriptor({ extraSections: OPTIONS }).replace('<rasd:VirtualQuantity>2</rasd:VirtualQuantity>', '<rasd:VirtualQuantity>40</rasd:VirtualQuantity>');
    const found = only(check(text, ['cloudcontrol']), 'cloudcontrol/cpu-count');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
  });

  test('memory under the minimum is a warning (a deploy limit), over the maximum an error; the origin is named', () => {
    const small = descriptor().replace('<rasd:VirtualQuantity>4096</rasd:VirtualQuantity>', '<rasd:VirtualQuantity>256</rasd:VirtualQuantity>');
    const [low] = only(check(small, ['cloudcontrol']), 'cloudcontrol/memory');
    assert.equal(low.severity, 'warning');
    assert.match(low.message, /256 MB of memory is under the data centre's minimum of 1024 MB \(ovfkit default, setting ovfkit\.cloudcontrol\.minMemoryMb\)/);
    const big = descriptor().replace('<rasd:VirtualQuantity>4096</rasd:VirtualQuantity>', '<rasd:VirtualQuantity>4096</rasd:VirtualQuantity>');
    const limits = { cloudcontrol: { maxHardwareVersion: 15, maxCpuCount: 16, minMemoryMb: 1024, maxMemoryMb: 2048, minDiskGb: 10, maxDiskGb: 1000 } };
    const [high] = only(check(big, ['cloudcontrol'], limits), 'cloudcontrol/memory');
    assert.equal(high.severity, 'error');
    assert.match(high.message, /maximum of 2048 MB \(your setting, setting ovfkit\.cloudcontrol\.maxMemoryMb\)/);
  });

  test('disks: only attached ones are judged; too small is a warning, too large an error', () => {
    const disks = `<DiskSection><Info>Disks</Info>
    <Disk ovf:capacity="20" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk1" ovf:fileRef="file1"/>
    <Disk ovf:capacity="2097152" ovf:diskId="spare"/>
    <Disk ovf:capacity="5000" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="unused-big"/>
  </DiskSection>`;
    assert.deepEqual(only(check(descriptor({ disks }), ['cloudcontrol']), 'cloudcontrol/disk-size'), [], 'unattached disks are not judged');
    const cd = '<Item><rasd:ElementName>CD</rasd:ElementName><rasd:HostResource>ovf:/disk/spare</rasd:HostResource><rasd:InstanceID>8</rasd:InstanceID><rasd:ResourceType>15</rasd:ResourceType></Item>';
    const iso = descriptor({ disks, items: DEFAULT_ITEMS + cd });
    assert.deepEqual(only(check(iso, ['cloudcontrol']), 'cloudcontrol/disk-size'), [], 'an image in a CD drive is no server disk');
    const tiny = descriptor().replace('ovf:capacity="20"', 'ovf:capacity="2"');
    const [small] = only(check(tiny, ['cloudcontrol']), 'cloudcontrol/disk-size');
    assert.equal(small.severity, 'warning');
    assert.match(small.message, /2 GB, under the data centre's minimum of 10 GB \(ovfkit default, setting ovfkit\.cloudcontrol\.minDiskGb\)/);
    const huge = descriptor().replace('ovf:capacity="20"', 'ovf:capacity="2000"');
    const [large] = only(check(huge, ['cloudcontrol']), 'cloudcontrol/disk-size');
    assert.equal(large.severity, 'error');
    assert.match(large.message, /over the data centre's maximum of 1000 GB \(ovfkit default, setting ovfkit\.cloudcontrol\.maxDiskGb\)/);
  });

  test('a disk attached only in a non-default configuration is a warning naming it', () => {
    const extraDisk = `
      <Item ovf:configuration="huge">
        <rasd:ElementName>Hard disk 2</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/data</rasd:HostResource>
        <rasd:InstanceID>9</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>`;
    const disks = `<DiskSection><Info>Disks</Info>
    <Disk ovf:capacity="20" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk1" ovf:fileRef="file1"/>
    <Disk ovf:capacity="4000" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="data"/>
  </DiskSection>`;
    const text = descriptor({ disks, extraSections: OPTIONS, items: DEFAULT_ITEMS + extraDisk });
    const found = only(check(text, ['cloudcontrol']), 'cloudcontrol/disk-size');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /Disk 'data' is 4000 GB.*only in the non-default deployment configuration 'huge'/);
  });
});

describe('system type', () => {
  for (const target of ['vcloud', 'cloudcontrol'] as const) {
    test(`${target}/system-type: no vmx-N value is an error; one vmx-N among several passes`, () => {
      for (const type of ['virtualbox-2.2', 'xen-3', 'garbage', '']) {
        const text = descriptor({ systemType: type });
        const found = only(check(text, [target]), `${target}/system-type`);
        assert.equal(found.length, 1, type);
        assert.equal(found[0].severity, 'error');
      }
      for (const type of ['vmx-13', 'vmx-08 vmx-09 Cisco:Internal:VMCloud-01', 'virtualbox-2.2 vmx-10']) {
        assert.deepEqual(only(check(descriptor({ systemType: type }), [target]), `${target}/system-type`), [], type);
      }
      assert.deepEqual(only(check(descriptor({ systemType: 'xen-3' }), []), `${target}/system-type`), [], 'not without the target');
    });
  }
});

describe('href policy by target', () => {
  const withHref = (href: string) => descriptor().replace('ovf:href="disk1.vmdk"', `ovf:href="${href}"`);
  test('URL, absolute and .. hrefs: a warning for the generic target, an error for each cloud target', () => {
    for (const href of ['https://example.com/d.vmdk', '../other/disk.vmdk', '/srv/disk.vmdk']) {
      const [generic] = only(check(withHref(href), []), 'package/unsafe-href');
      assert.equal(generic.severity, 'warning', href);
      assert.match(generic.message, /valid OVF, but ovfkit will not read, check or upload it/);
      for (const target of ['vcloud', 'cloudcontrol'] as const) {
        const [cloud] = only(check(withHref(href), [target]), 'package/unsafe-href');
        assert.equal(cloud.severity, 'error', `${href} ${target}`);
        assert.match(cloud.message, new RegExp(`${target} imports only files uploaded with the package`));
      }
    }
  });

  test('an empty href is an error for every target', () => {
    assert.equal(only(check(withHref(''), []), 'package/unsafe-href')[0].severity, 'error');
  });
});

describe('chunked files, part by part', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-chunks-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  /** A package folder with the given parts of disk1.vmdk and a descriptor declaring size and chunkSize. */
  async function packageWith(parts: Record<string, number>, size: number, chunkSize: number): Promise<Finding[]> {
    const dir = path.join(root, String(n++));
    mkdirSync(dir);
    for (const [name, bytes] of Object.entries(parts)) writeFileSync(path.join(dir, name), Buffer.alloc(bytes));
    writeFileSync(path.join(dir, 'pkg.mf'), '');
    const text = descriptor().replace('ovf:size="1024"', `ovf:size="${size}" ovf:chunkSize="${chunkSize}"`);
    const doc = parseDescriptor(text);
    const pkg = await probePackage(path.join(dir, 'pkg.ovf'), doc);
    return runRules(doc, resolveSettings({ targets: [] }), pkg).filter((f) => f.code.startsWith('package/'));
  }

  test('all parts present with the right sizes: no finding, not package/missing-file', async () => {
    assert.deepEqual(await packageWith({ 'disk1.vmdk.000000000': 400, 'disk1.vmdk.000000001': 400, 'disk1.vmdk.000000002': 224 }, 1024, 400), []);
  });

  test('a missing part is package/missing-chunk naming it', async () => {
    const found = await packageWith({ 'disk1.vmdk.000000000': 400, 'disk1.vmdk.000000001': 400 }, 1024, 400);
    assert.deepEqual(found.map((f) => f.code), ['package/missing-chunk']);
    assert.match(found[0].message, /needs 3 parts .* 'disk1\.vmdk\.000000002' is missing \(2 found\)/);
  });

  test('a part not chunkSize bytes, or a total not ovf:size, is package/chunk-size', async () => {
    const short = await packageWith({ 'disk1.vmdk.000000000': 300, 'disk1.vmdk.000000001': 400, 'disk1.vmdk.000000002': 324 }, 1024, 400);
    assert.deepEqual(short.map((f) => f.code), ['package/chunk-size']);
    assert.match(short[0].message, /'disk1\.vmdk\.000000000' is 300 bytes; every part but the last must be ovf:chunkSize \(400\)/);
    const total = await packageWith({ 'disk1.vmdk.000000000': 400, 'disk1.vmdk.000000001': 400, 'disk1.vmdk.000000002': 100, 'disk1.vmdk.000000003': 50 }, 1024, 400);
    assert.deepEqual(total.map((f) => f.code), ['package/chunk-size']);
    assert.match(total[0].message, /'disk1\.vmdk\.000000002' is 100 bytes; every part but the last/);
    const sum = await packageWith({ 'disk1.vmdk.000000000': 400, 'disk1.vmdk.000000001': 400, 'disk1.vmdk.000000002': 300 }, 1024, 400);
    assert.deepEqual(sum.map((f) => f.code), ['package/chunk-size']);
    assert.match(sum[0].message, /3 parts of 'disk1\.vmdk' hold 1100 bytes but ovf:size says 1024/);
    assert.equal(sum[0].fixes![0].edits[0].newText, '1100');
  });

  test('no parts at all is package/missing-file; the file stored whole is package/missing-chunk', async () => {
    assert.deepEqual((await packageWith({}, 1024, 400)).map((f) => f.code), ['package/missing-file']);
    const whole = await packageWith({ 'disk1.vmdk': 1024 }, 1024, 400);
    assert.deepEqual(whole.map((f) => f.code), ['package/missing-chunk']);
    assert.match(whole[0].message, /stored whole/);
  });
});

describe('effective hardware on hostile input', () => {
  test('thousands of configurations times thousands of Items: the work is bounded, the default configuration judged first', () => {
    const n = 1000;
    const configurations = Array.from({ length: n }, (_, i) => `<Configuration ovf:id="c${i}"${i === 7 ? ' ovf:default="true"' : ''}><Label>c</Label><Description>d</Description></Configuration>`).join('');
    const items = Array.from({ length: n }, (_, i) => `<Item ovf:configuration="c${i}"><rasd:ElementName>m</rasd:ElementName><rasd:InstanceID>${i}</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>1024</rasd:VirtualQuantity></Item>`).join('');
    const text = `<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"><References/><DeploymentOptionSection><Info>x</Info>${configurations}</DeploymentOptionSection><VirtualSystem ovf:id="vm"><Info>x</Info><VirtualHardwareSection><Info>x</Info>${items}</VirtualHardwareSection></VirtualSystem></Envelope>`;
    const model = effectiveHardware(parseDescriptor(text));
    assert.equal(model.configurations[0].id, 'c7');
    assert.ok(model.configurations.length * n <= 200_000, `judged ${model.configurations.length} configurations of ${n} Items each`);
    assert.equal(model.configurations.length + model.unjudged.length, n);
    assert.equal(model.hardware.length, model.configurations.length);
    // The user is told which configurations went unchecked, at the first of them, as information.
    const told = runRules(parseDescriptor(text), resolveSettings({}), undefined).filter((f) => f.code === 'ovf/configurations-not-judged');
    assert.equal(told.length, 1);
    assert.equal(told[0].severity, 'information');
    assert.match(told[0].message, new RegExp(`^The hardware of ${model.unjudged.length} of ${n} deployment configurations was not checked \\('${model.unjudged[0].id}', `));
    assert.equal(text.slice(told[0].span.start, told[0].span.end), model.unjudged[0].id, 'the finding stands on the first unchecked configuration\'s ovf:id');
  });

  test('a descriptor within the bound gets no such finding', () => {
    const findings = runRules(parseDescriptor(descriptor({})), resolveSettings({}), undefined);
    assert.ok(!findings.some((f) => f.code === 'ovf/configurations-not-judged'));
  });
});
