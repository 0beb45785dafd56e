// Each rule with a failing and a passing case, checking code, severity and the exact span.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Finding } from '../../server/src/ovf/findings';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { PackageFacts } from '../../server/src/ovf/package/packageFacts';
import { RULES, SYNTAX_RULES } from '../../server/src/ovf/rules/index';
import { TargetName } from '../../server/src/ovf/rules/rule';
import { resolveSettings, ValidationSettings } from '../../server/src/ovf/settings';
import { runRules } from '../../server/src/ovf/validate';
import { descriptor, offsetOf } from '../support/descriptors';

const ALL: TargetName[] = ['vcloud', 'cloudcontrol'];

function check(text: string, options: { targets?: TargetName[]; pkg?: PackageFacts; settings?: Partial<ValidationSettings> } = {}): Finding[] {
  const settings = resolveSettings({ ...options.settings, targets: options.targets ?? ALL });
  return runRules(parseDescriptor(text), settings, options.pkg);
}

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** Asserts exactly one finding of `code`, spanning `needle` in `text`, and returns it. */
function expectOne(text: string, findings: Finding[], code: string, needle: string, n = 0): Finding {
  const found = only(findings, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(found.map((f) => f.message))}`);
  const start = offsetOf(text, needle, n);
  assert.deepEqual(found[0].span, { start, end: start + needle.length }, `span of ${code}`);
  return found[0];
}

const okPkg = (sizes: Record<string, number> = { 'disk1.vmdk': 1024 }, manifest = true): PackageFacts => ({
  files: new Map(Object.entries(sizes).map(([k, v]) => [k, { status: 'present', size: v }])),
  manifestName: 'pkg.mf',
  manifestExists: manifest,
});

test('the base descriptor is clean for every target with a complete package', () => {
  assert.deepEqual(check(descriptor(), { pkg: okPkg() }), []);
});

test('every rule has a unique code, a target, a severity and a description', () => {
  const codes = new Set<string>();
  for (const r of RULES) {
    assert.ok(!codes.has(r.code), `duplicate code ${r.code}`);
    codes.add(r.code);
    assert.match(r.code, /^(ovf|ref|package|ova|vcloud|cloudcontrol)\/[a-z0-9.-]+$/);
    assert.ok(r.description.length > 20, r.code);
    assert.ok(r.source.length > 10, `${r.code} names its source`);
  }
  for (const r of SYNTAX_RULES) assert.ok(r.source.length > 10, `${r.code} names its source`);
});

describe('structure', () => {
  test('ovf/not-an-envelope: another root, or an Envelope in an unknown namespace', () => {
    const other = '<?xml version="1.0"?>\n<Project xmlns="urn:x"/>\n';
    expectOne(other, check(other), 'ovf/not-an-envelope', 'Project');
    const v3 = descriptor({ envelopeNs: 'http://schemas.dmtf.org/ovf/envelope/3' });
    const f = expectOne(v3, check(v3), 'ovf/not-an-envelope', 'Envelope');
    assert.match(f.message, /envelope\/3/);
    assert.equal(only(check(descriptor()), 'ovf/not-an-envelope').length, 0);
  });

  test('ovf/missing-section: References and a VirtualSystem are required', () => {
    const noRefs = descriptor({ references: '' });
    assert.match(expectOne(noRefs, check(noRefs), 'ovf/missing-section', 'Envelope').message, /References/);
    const noVs = descriptor().replace(/<VirtualSystem[\s\S]*<\/VirtualSystem>/, '');
    assert.match(expectOne(noVs, check(noVs), 'ovf/missing-section', 'Envelope').message, /VirtualSystem/);
  });

  test('ovf/missing-attribute names the element and attribute', () => {
    const text = descriptor({ references: '<References><File ovf:href="disk1.vmdk"/></References>', disks: '' });
    const f = expectOne(text, check(text, { targets: [] }), 'ovf/missing-attribute', 'File');
    assert.match(f.message, /ovf:id/);
  });

  test('ovf/missing-capacity is a warning on the Disk', () => {
    const text = descriptor({ disks: '<DiskSection><Info/><Disk ovf:diskId="vmdisk1" ovf:fileRef="file1"/></DiskSection>' });
    assert.equal(expectOne(text, check(text, { targets: [] }), 'ovf/missing-capacity', 'Disk', 1).severity, 'warning');
  });

  test('ovf/duplicate-id points at the second id with the first as related information', () => {
    const text = descriptor({
      references: '<References><File ovf:href="a.vmdk" ovf:id="file1"/><File ovf:href="b.vmdk" ovf:id="file1"/></References>',
    });
    const f = expectOne(text, check(text, { targets: [] }), 'ovf/duplicate-id', 'file1', 1);
    assert.equal(f.related?.[0].span.start, offsetOf(text, 'file1'));
  });

  test('ovf/duplicate-instance-id, but not for per-configuration overrides', () => {
    const dup = descriptor({ items: '<Item><rasd:InstanceID>7</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType></Item><Item><rasd:InstanceID>7</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType></Item>' });
    expectOne(dup, check(dup, { targets: [] }), 'ovf/duplicate-instance-id', '7', 1);
    const overrides = descriptor({ items: '<Item><rasd:InstanceID>7</rasd:InstanceID></Item><Item ovf:configuration="big"><rasd:InstanceID>7</rasd:InstanceID></Item><Item ovf:configuration="small"><rasd:InstanceID>7</rasd:InstanceID></Item>' });
    assert.equal(only(check(overrides, { targets: [] }), 'ovf/duplicate-instance-id').length, 0);
    const clash = descriptor({ items: '<Item ovf:configuration="a big"><rasd:InstanceID>7</rasd:InstanceID></Item><Item ovf:configuration="big"><rasd:InstanceID>7</rasd:InstanceID></Item>' });
    expectOne(clash, check(clash, { targets: [] }), 'ovf/duplicate-instance-id', '7', 1);
  });
});

describe('references', () => {
  test('ref/file-ref: a Disk naming no File, with related information on References', () => {
    const text = descriptor().replace('ovf:fileRef="file1"', 'ovf:fileRef="file9"');
    const f = expectOne(text, check(text), 'ref/file-ref', 'file9');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /'file1'/);
    assert.equal(f.related?.[0].span.start, offsetOf(text, 'References') );
  });

  test('ref/file-ref: an empty fileRef is a warning-worthy error with a fix that removes it', () => {
    const text = descriptor().replace('ovf:fileRef="file1"', 'ovf:fileRef=""');
    const f = only(check(text), 'ref/file-ref')[0];
    assert.ok(f.fixes?.[0]);
    const edit = f.fixes![0].edits[0];
    const fixed = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    assert.ok(!fixed.includes('fileRef'));
  });

  test('ref/parent-ref', () => {
    const text = descriptor().replace('ovf:diskId="vmdisk1"', 'ovf:diskId="vmdisk1" ovf:parentRef="base"');
    expectOne(text, check(text), 'ref/parent-ref', 'base');
    const ok = descriptor().replace('ovf:diskId="vmdisk1"', 'ovf:diskId="vmdisk1" ovf:parentRef="vmdisk1"');
    assert.equal(only(check(ok), 'ref/parent-ref').length, 0);
  });

  test('ref/host-resource: disk and file forms, the span is the id', () => {
    const text = descriptor().replace('ovf:/disk/vmdisk1', 'ovf:/disk/vmdisk2');
    expectOne(text, check(text), 'ref/host-resource', 'vmdisk2');
    const file = descriptor().replace('ovf:/disk/vmdisk1', 'ovf:/file/iso');
    expectOne(file, check(file), 'ref/host-resource', 'iso');
  });

  test('ref/host-resource-prefix: a warning with a fix adding ovf:', () => {
    const text = descriptor().replace('ovf:/disk/vmdisk1', '/disk/vmdisk1');
    const f = expectOne(text, check(text), 'ref/host-resource-prefix', '/disk/vmdisk1');
    assert.equal(f.severity, 'warning');
    const edit = f.fixes![0].edits[0];
    const fixed = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    assert.deepEqual(check(fixed, { pkg: okPkg() }), []);
  });

  test('ref/connection: a NIC on an undeclared network', () => {
    const text = descriptor().replace('<rasd:Connection>VM Network</rasd:Connection>', '<rasd:Connection>DMZ</rasd:Connection>');
    expectOne(text, check(text), 'ref/connection', 'DMZ');
  });

  test('ref/parent: a device whose controller does not exist', () => {
    const text = descriptor().replace('<rasd:Parent>3</rasd:Parent>', '<rasd:Parent>ctrl9</rasd:Parent>');
    expectOne(text, check(text), 'ref/parent', 'ctrl9');
  });

  test('ref/unreferenced-file and ref/unused-disk are information', () => {
    const text = descriptor({
      references: '<References><File ovf:href="disk1.vmdk" ovf:id="file1"/><File ovf:href="notes.txt" ovf:id="notes"/></References>',
      disks: '<DiskSection><Info/><Disk ovf:capacity="1" ovf:diskId="vmdisk1" ovf:fileRef="file1"/><Disk ovf:capacity="1" ovf:diskId="spare"/></DiskSection>',
    });
    assert.equal(expectOne(text, check(text), 'ref/unreferenced-file', 'notes', 1).severity, 'information');
    assert.equal(expectOne(text, check(text), 'ref/unused-disk', 'spare').severity, 'information');
  });
});

describe('package files', () => {
  test('package/unsafe-href: absolute paths, URLs and .. escapes', () => {
    for (const href of ['/etc/passwd', '../other/disk.vmdk', 'https://example.com/d.vmdk', 'C:\\disk.vmdk', 'sub/../../x']) {
      const text = descriptor().replace('ovf:href="disk1.vmdk"', `ovf:href="${href}"`);
      const f = expectOne(text, check(text), 'package/unsafe-href', href);
      assert.equal(f.severity, 'error');
    }
    const sub = descriptor().replace('ovf:href="disk1.vmdk"', 'ovf:href="disks/disk1.vmdk"');
    assert.equal(only(check(sub), 'package/unsafe-href').length, 0);
  });

  test('package/missing-file needs package facts', () => {
    const text = descriptor();
    const pkg: PackageFacts = { files: new Map([['disk1.vmdk', { status: 'missing' }]]), manifestName: 'x.mf', manifestExists: true };
    expectOne(text, check(text, { pkg }), 'package/missing-file', 'disk1.vmdk');
    assert.equal(only(check(text), 'package/missing-file').length, 0, 'no facts, no finding');
  });

  test('package/size-mismatch with a fix to the real size', () => {
    const text = descriptor();
    const f = expectOne(text, check(text, { pkg: okPkg({ 'disk1.vmdk': 2048 }) }), 'package/size-mismatch', '1024');
    assert.equal(f.fixes![0].edits[0].newText, '2048');
  });
});

describe('vCloud target', () => {
  test('vcloud/ovf-version: 0.9 and 2.x are refused, 1.0 passes', () => {
    const v2 = descriptor({ envelopeNs: 'http://schemas.dmtf.org/ovf/envelope/2', versionAttr: 'ovf:version="2.0"' });
    expectOne(v2, check(v2, { targets: ['vcloud'] }), 'vcloud/ovf-version', '2.0');
    const v09 = descriptor({ envelopeNs: 'http://www.vmware.com/schema/ovf/1/envelope', versionAttr: 'ovf:version="0.9"' });
    expectOne(v09, check(v09, { targets: ['vcloud'] }), 'vcloud/ovf-version', '0.9');
    assert.equal(only(check(descriptor(), { targets: ['vcloud'] }), 'vcloud/ovf-version').length, 0);
    assert.equal(only(check(v2, { targets: [] }), 'vcloud/ovf-version').length, 0, 'not without the target');
  });

  test('vcloud/ovf-1.1 warns that 1.1 content is lost', () => {
    const text = descriptor({ versionAttr: 'ovf:version="1.1"' });
    assert.equal(expectOne(text, check(text, { targets: ['vcloud'] }), 'vcloud/ovf-1.1', '1.1').severity, 'warning');
  });

  test('vcloud/compression refuses gzip, with a fix removing the attribute; identity passes', () => {
    const text = descriptor().replace('ovf:id="file1"', 'ovf:id="file1" ovf:compression="gzip"');
    const f = expectOne(text, check(text, { targets: ['vcloud'] }), 'vcloud/compression', 'gzip');
    const edit = f.fixes![0].edits[0];
    const fixed = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    assert.equal(fixed, descriptor());
    const identity = descriptor().replace('ovf:id="file1"', 'ovf:id="file1" ovf:compression="identity"');
    assert.equal(only(check(identity, { targets: ['vcloud'] }), 'vcloud/compression').length, 0);
  });

  test('vcloud/id-too-long gives the exact names of the seed, numbered in document order', () => {
    const text = descriptor({
      vsId: 'NewVirtualMachine1',
      afterVirtualSystem: '',
    }).replace('<VirtualSystem ovf:id="NewVirtualMachine1">', '<VirtualSystemCollection ovf:id="vapp"><Info/><VirtualSystem ovf:id="NewVirtualMachine1">')
      .replace('</VirtualSystem>', '</VirtualSystem><VirtualSystem ovf:id="short"><Info/></VirtualSystem><VirtualSystem ovf:id="NewVirtualMachine2"><Info/><VirtualHardwareSection><Info/></VirtualHardwareSection></VirtualSystem></VirtualSystemCollection>');
    const found = only(check(text, { targets: ['vcloud'] }), 'vcloud/id-too-long');
    assert.equal(found.length, 2);
    assert.match(found[0].message, /'NewVirtualMac001'/);
    assert.match(found[1].message, /'NewVirtualMac002'/);
    assert.deepEqual(found[0].span, { start: offsetOf(text, 'NewVirtualMachine1'), end: offsetOf(text, 'NewVirtualMachine1') + 18 });
    assert.equal(only(check(descriptor({ vsId: 'thirteen-char' }), { targets: ['vcloud'] }), 'vcloud/id-too-long').length, 0);
  });

  test('vcloud/id-too-long fix renames the id and the StartupSection entry naming it', () => {
    const text = descriptor({ vsId: 'NewVirtualMachine1' })
      .replace('</VirtualSystem>', '</VirtualSystem>')
      .replace('<VirtualSystem ovf:id="NewVirtualMachine1">', '<VirtualSystemCollection ovf:id="vapp"><Info/><StartupSection><Info/><Item ovf:id="NewVirtualMachine1" ovf:order="0"/></StartupSection><VirtualSystem ovf:id="NewVirtualMachine1">')
      .replace('</VirtualSystem>', '</VirtualSystem></VirtualSystemCollection>');
    const f = only(check(text, { targets: ['vcloud'] }), 'vcloud/id-too-long')[0];
    const edits = [...f.fixes![0].edits].sort((a, b) => b.span.start - a.span.start);
    let fixed = text;
    for (const e of edits) fixed = fixed.slice(0, e.span.start) + e.newText + fixed.slice(e.span.end);
    assert.ok(!fixed.includes('NewVirtualMachine1"'));
    assert.equal((fixed.match(/ovf:id="NewVirtualMac"/g) ?? []).length, 2);
    assert.equal(only(check(fixed, { targets: ['vcloud'] }), 'vcloud/id-too-long').length, 0);
  });

  test('vcloud/deployment-options', () => {
    const text = descriptor({ extraSections: '<DeploymentOptionSection><Info/><Configuration ovf:id="small"><Label>Small</Label><Description/></Configuration></DeploymentOptionSection>' });
    expectOne(text, check(text, { targets: ['vcloud'] }), 'vcloud/deployment-options', 'DeploymentOptionSection');
  });

  test('vcloud/descriptor-too-large uses the configured limit in UTF-8 bytes', () => {
    const text = descriptor();
    const bytes = Buffer.byteLength(text);
    assert.equal(only(check(text, { targets: ['vcloud'], settings: { vcloud: { maxDescriptorBytes: bytes, maxHardwareVersion: 0 } } }), 'vcloud/descriptor-too-large').length, 0);
    expectOne(text, check(text, { targets: ['vcloud'], settings: { vcloud: { maxDescriptorBytes: bytes - 1, maxHardwareVersion: 0 } } }), 'vcloud/descriptor-too-large', 'Envelope');
  });

  test('vcloud/hardware-version only when a maximum is configured; one acceptable value of several passes', () => {
    const limit = { vcloud: { maxDescriptorBytes: 1e9, maxHardwareVersion: 17 } };
    const text = descriptor({ systemType: 'vmx-18 vmx-19' });
    assert.equal(only(check(text, { targets: ['vcloud'] }), 'vcloud/hardware-version').length, 0);
    const f = expectOne(text, check(text, { targets: ['vcloud'], settings: limit }), 'vcloud/hardware-version', 'vmx-18 vmx-19');
    assert.match(f.message, /vmx-18 is newer than the VDC's highest, vmx-17 \(your setting, setting ovfkit\.vcloud\.maxHardwareVersion\)/);
    const mixed = descriptor({ systemType: 'vmx-10 vmx-19' });
    assert.equal(only(check(mixed, { targets: ['vcloud'], settings: limit }), 'vcloud/hardware-version').length, 0);
  });
});

describe('CloudControl target', () => {
  test('cloudcontrol/manifest-missing', () => {
    const text = descriptor();
    expectOne(text, check(text, { targets: ['cloudcontrol'], pkg: okPkg(undefined, false) }), 'cloudcontrol/manifest-missing', 'Envelope');
    assert.equal(only(check(text, { targets: ['cloudcontrol'], pkg: okPkg() }), 'cloudcontrol/manifest-missing').length, 0);
  });

  test('cloudcontrol/disk-not-vmdk: a disk without file, or backed by another format', () => {
    const iso = descriptor().replace('ovf:href="disk1.vmdk"', 'ovf:href="disk1.img"');
    expectOne(iso, check(iso, { targets: ['cloudcontrol'] }), 'cloudcontrol/disk-not-vmdk', 'disk1.img');
    const blank = descriptor().replace(' ovf:fileRef="file1"', '');
    assert.equal(only(check(blank, { targets: ['cloudcontrol'] }), 'cloudcontrol/disk-not-vmdk').length, 1);
  });

  test('cloudcontrol limits: hardware version, CPUs, memory, disk size', () => {
    const text = descriptor({ systemType: 'vmx-19' })
      .replace('<rasd:VirtualQuantity>2</rasd:VirtualQuantity>', '<rasd:VirtualQuantity>32</rasd:VirtualQuantity>')
      .replace('<rasd:VirtualQuantity>4096</rasd:VirtualQuantity>', '<rasd:VirtualQuantity>512</rasd:VirtualQuantity>')
      .replace('ovf:capacity="20"', 'ovf:capacity="2000"');
    const found = check(text, { targets: ['cloudcontrol'] });
    expectOne(text, found, 'cloudcontrol/hardware-version', 'vmx-19');
    expectOne(text, found, 'cloudcontrol/cpu-count', '32');
    expectOne(text, found, 'cloudcontrol/memory', '512');
    expectOne(text, found, 'cloudcontrol/disk-size', '2000');
    const raised = check(text, { targets: ['cloudcontrol'], settings: { cloudcontrol: { maxHardwareVersion: 19, maxCpuCount: 32, minMemoryMb: 512, maxMemoryMb: 4096, minDiskGb: 1, maxDiskGb: 4096 } } });
    assert.deepEqual(raised.filter((f) => f.code.startsWith('cloudcontrol/')), []);
  });
});

describe('settings and directives', () => {
  test('severity overrides change or silence a rule', () => {
    const text = descriptor({ vsId: 'a-very-long-virtual-machine-id' });
    const base = { targets: ['vcloud'] as TargetName[] };
    assert.equal(only(check(text, { ...base, settings: { severity: { 'vcloud/id-too-long': 'error' } } }), 'vcloud/id-too-long')[0].severity, 'error');
    assert.equal(only(check(text, { ...base, settings: { severity: { 'vcloud/id-too-long': 'off' } } }), 'vcloud/id-too-long').length, 0);
  });

  test('an ovfkit: targets= comment overrides the configured targets', () => {
    const text = '<!-- ovfkit: targets=cloudcontrol -->\n' + descriptor({ vsId: 'a-very-long-virtual-machine-id' }).replace(/^<\?xml[^>]*>\n/, '');
    assert.equal(only(check(text, { targets: ['vcloud'] }), 'vcloud/id-too-long').length, 0);
    const unknown = '<!-- ovfkit: targets=azure -->\n' + descriptor().replace(/^<\?xml[^>]*>\n/, '');
    assert.equal(only(check(unknown), 'ovfkit/unknown-target').length, 1);
  });

  test('a non-XML .ovf (OOMMF) gets one information note and nothing else', () => {
    const found = check('# OOMMF OVF 2.0\n# Segment count: 1\n');
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['ovf/not-xml', 'information']]);
  });
});
