// The OVF structure from the schema table: required elements and attributes, placement, value
// types, ovf:required, ProductSection properties, id and InstanceID semantics per DSP0243, and
// the references these rules understand. Each case checks the code, severity and exact span.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Finding, Severity } from '../../server/src/ovf/findings';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { combineItems } from '../../server/src/ovf/model/itemMerge';
import { resolveSettings } from '../../server/src/ovf/settings';
import { runRules } from '../../server/src/ovf/validate';
import { descriptor, offsetOf } from '../support/descriptors';

const V2 = 'http://schemas.dmtf.org/ovf/envelope/2';

function findings(text: string, code: string): Finding[] {
  return runRules(parseDescriptor(text), resolveSettings({ targets: [] }), undefined).filter((f) => f.code === code);
}

/** Exactly one `code` finding, of `severity`, spanning the n-th `needle` (or `needle` inside the first `[anchor, needle]`). */
function one(text: string, code: string, target: string | [string, string], severity: Severity = 'error', n = 0): Finding {
  const found = findings(text, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(found.map((f) => f.message))}`);
  const needle = typeof target === 'string' ? target : target[1];
  const start = typeof target === 'string' ? offsetOf(text, needle, n) : offsetOf(text, target[0]) + target[0].indexOf(needle);
  assert.deepEqual(found[0].span, { start, end: start + needle.length }, `span of ${code}: ${found[0].message}`);
  assert.equal(found[0].severity, severity, found[0].message);
  return found[0];
}

function none(text: string, code: string): void {
  assert.deepEqual(findings(text, code).map((f) => f.message), []);
}

const item = (id: string, type: string, attrs = '', extra = '') =>
  `<Item ${attrs}><rasd:ElementName>device</rasd:ElementName><rasd:InstanceID>${id}</rasd:InstanceID><rasd:ResourceType>${type}</rasd:ResourceType>${extra}</Item>`;

describe('required elements (ovf/missing-element)', () => {
  test("a section without Info, at the section's name", () => {
    const text = descriptor().replace('<Info>Virtual disks</Info>', '');
    assert.match(one(text, 'ovf/missing-element', 'DiskSection').message, /<DiskSection> has no <Info>/);
  });

  test("an Item without InstanceID, ResourceType or ElementName; an empty System", () => {
    const text = descriptor({ items: '<Item><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>' });
    const found = findings(text, 'ovf/missing-element');
    assert.deepEqual(found.map((f) => /rasd:(\w+)/.exec(f.message)![1]).sort(), ['ElementName', 'InstanceID', 'ResourceType']);
    for (const f of found) assert.equal(f.span.start, offsetOf(text, 'Item>') );
    const empty = descriptor().replace(/<System>[\s\S]*?<\/System>/, '<System/>');
    assert.deepEqual(findings(empty, 'ovf/missing-element').map((f) => /vssd:(\w+)/.exec(f.message)?.[1]).sort(), ['ElementName', 'InstanceID']);
  });

  test('OVF 0.9 spells InstanceId and has no ElementName; VirtualBox 2.x Items have no ElementName', () => {
    const v09 = descriptor({ envelopeNs: 'http://www.vmware.com/schema/ovf/1/envelope', versionAttr: 'ovf:version="0.9"', items: '<Item><rasd:Caption>cpu</rasd:Caption><rasd:InstanceId>1</rasd:InstanceId><rasd:ResourceType>3</rasd:ResourceType></Item>' })
      .replace(/<vssd:ElementName>[^<]*<\/vssd:ElementName>/, '');
    none(v09, 'ovf/missing-element');
    const v2 = descriptor({ envelopeNs: V2, items: '<Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType></Item>' });
    none(v2, 'ovf/missing-element');
  });

  test('a missing References is ovf/missing-section only, not reported twice', () => {
    const text = descriptor({ references: '' });
    none(text, 'ovf/missing-element');
    assert.equal(findings(text, 'ovf/missing-section').length, 1);
  });

  test('a VirtualSystem without Info; a Configuration without Label', () => {
    const text = descriptor().replace('<Info>A virtual machine</Info>', '');
    one(text, 'ovf/missing-element', ['<VirtualSystem ', 'VirtualSystem']);
    const options = descriptor({ extraSections: '<DeploymentOptionSection><Info/><Configuration ovf:id="small"><Description>d</Description></Configuration></DeploymentOptionSection>' });
    assert.match(one(options, 'ovf/missing-element', ['<Configuration ', 'Configuration']).message, /Label/);
  });
});

describe('OVF 0.9 (Section and Content with xsi:type)', () => {
  const v09 = readFileSync(path.resolve('test/fixtures/corpus/files/cot__v0.9.ovf'), 'utf8');

  test("VMware's 0.9 fixture is clean, and its sections are judged by their xsi:type", () => {
    for (const code of ['ovf/missing-element', 'ovf/misplaced-section', 'ovf/unknown-required', 'ovf/invalid-value']) none(v09, code);
    const noInfo = v09.replace('<ovf:Info>Meta-information about the virtual disks</ovf:Info>', '');
    const f = one(noInfo, 'ovf/missing-element', ['<ovf:Section xsi:type="ovf:DiskSection_Type">', 'ovf:Section']);
    assert.match(f.message, /<DiskSection> has no <Info>/);
    const misplaced = v09.replace('<ovf:Info>A virtual machine</ovf:Info>', '<ovf:Info>A virtual machine</ovf:Info><ovf:Section xsi:type="ovf:NetworkSection_Type"><ovf:Info>n</ovf:Info></ovf:Section>');
    assert.match(one(misplaced, 'ovf/misplaced-section', ['<ovf:Section xsi:type="ovf:NetworkSection_Type"><ovf:Info>n', 'ovf:Section']).message, /<NetworkSection> is not allowed in <VirtualSystem>/);
  });
});

describe('required attributes (ovf/missing-attribute)', () => {
  test('from the schema table: OperatingSystemSection ovf:id, StartupSection Item ovf:order', () => {
    const os = descriptor().replace('<Name>web01</Name>', '<Name>web01</Name><OperatingSystemSection><Info>os</Info></OperatingSystemSection>');
    assert.match(one(os, 'ovf/missing-attribute', 'OperatingSystemSection').message, /ovf:id/);
    const startup = descriptor()
      .replace('<VirtualSystem ovf:id="web01">', '<VirtualSystemCollection ovf:id="app"><Info>vApp</Info><StartupSection><Info>order</Info><Item ovf:id="web01"/></StartupSection><VirtualSystem ovf:id="web01">')
      .replace('</VirtualSystem>', '</VirtualSystem></VirtualSystemCollection>');
    assert.match(one(startup, 'ovf/missing-attribute', 'Item').message, /ovf:order/);
  });
});

describe('placement (ovf/misplaced-section)', () => {
  test('a DiskSection inside a VirtualSystem is an error naming where it belongs', () => {
    const text = descriptor().replace('<Name>web01</Name>', '<Name>web01</Name><DiskSection><Info>d</Info></DiskSection>');
    assert.match(one(text, 'ovf/misplaced-section', 'DiskSection', 'error', 2).message, /<Envelope>/);
  });

  test('a ResourceAllocationSection in a VirtualSystem is a warning (OpenStack Glance reads it), its content unchecked', () => {
    const text = descriptor().replace('<Name>web01</Name>', '<Name>web01</Name><ResourceAllocationSection><Item/></ResourceAllocationSection>');
    one(text, 'ovf/misplaced-section', 'ResourceAllocationSection', 'warning');
    none(text, 'ovf/missing-element');
  });
});

describe('ovf:required (ovf/unknown-required)', () => {
  const withSection = (section: string) => descriptor().replace('<Name>web01</Name>', `<Name>web01</Name>${section}`).replace('xmlns:vssd', 'xmlns:acme="urn:acme" xmlns:vssd');

  test('an unknown OVF element is an error unless marked ovf:required="false"', () => {
    const text = withSection('<FancySection><Info>x</Info></FancySection>');
    assert.match(one(text, 'ovf/unknown-required', 'FancySection').message, /the default/);
    none(withSection('<FancySection ovf:required="false"><Info>x</Info></FancySection>'), 'ovf/unknown-required');
  });

  test('an OVF 2.x section in a 1.x descriptor is unknown there, known in 2.x', () => {
    const section = '<EnvironmentFilesSection><Info>files</Info></EnvironmentFilesSection>';
    assert.match(one(withSection(section), 'ovf/unknown-required', 'EnvironmentFilesSection').message, /OVF 2\.x element/);
    none(withSection(section).replaceAll('http://schemas.dmtf.org/ovf/envelope/1', V2), 'ovf/unknown-required');
  });

  test('a finding with its own severity still yields to the ovfkit.severity setting', () => {
    const text = withSection('<acme:Boot/>');
    const run = (severity: Record<string, 'error' | 'off'>) => runRules(parseDescriptor(text), resolveSettings({ targets: [], severity }), undefined).filter((f) => f.code === 'ovf/unknown-required');
    assert.deepEqual(run({ 'ovf/unknown-required': 'error' }).map((f) => f.severity), ['error']);
    assert.deepEqual(run({ 'ovf/unknown-required': 'off' }), []);
    assert.equal(run({})[0].severity, 'warning');
  });

  test('OVF 2.x sections with their own content: environment files, shared disks, CIM boot settings', () => {
    const v2 = descriptor({ envelopeNs: V2 })
      .replace('<Name>web01</Name>', '<Name>web01</Name><EnvironmentFilesSection><Info>files</Info><File ovf:fileRef="file1" ovf:path="setup.iso"/></EnvironmentFilesSection>')
      .replace('</System>', '</System><BootDeviceSection><Info>boot</Info><bootc:CIM_BootConfigSetting xmlns:bootc="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_BootConfigSetting"/></BootDeviceSection>')
      .replace('<VirtualSystem ', '<SharedDiskSection><Info>shared</Info><SharedDisk ovf:capacity="1" ovf:diskId="shared1" ovf:readOnly="false"/></SharedDiskSection><VirtualSystem ');
    for (const code of ['ovf/missing-attribute', 'ovf/missing-element', 'ovf/misplaced-section', 'ovf/unknown-required', 'ovf/invalid-value']) none(v2, code);
    assert.match(one(v2.replace(' ovf:path="setup.iso"', ''), 'ovf/missing-attribute', ['<File ovf:fileRef', 'File']).message, /ovf:path/);
  });

  test('a vendor extension: explicit true is an error, the default a warning, VMware extensions understood', () => {
    one(withSection('<acme:Boot ovf:required="true"/>'), 'ovf/unknown-required', 'acme:Boot');
    one(withSection('<acme:Boot/>'), 'ovf/unknown-required', 'acme:Boot', 'warning');
    none(withSection('<acme:Boot ovf:required="false"/>'), 'ovf/unknown-required');
    const vmw = descriptor().replace('xmlns:vssd', 'xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:vssd').replace('</System>', '</System><vmw:Config vmw:key="firmware" vmw:value="efi"/>');
    none(vmw, 'ovf/unknown-required');
  });
});

describe('value types (ovf/invalid-value)', () => {
  test('non-numeric or negative size, capacity and chunkSize', () => {
    for (const [from, to, needle] of [
      ['ovf:size="1024"', 'ovf:size="1 KB"', '1 KB'],
      ['ovf:size="1024"', 'ovf:size="-5"', '-5'],
      ['ovf:capacity="20"', 'ovf:capacity="twenty"', 'twenty'],
      ['ovf:size="1024"', 'ovf:size="1024" ovf:chunkSize="-2"', '-2'],
    ]) {
      one(descriptor().replace(from, to), 'ovf/invalid-value', needle);
    }
    const zero = descriptor().replace('ovf:size="1024"', 'ovf:size="1024" ovf:chunkSize="0"');
    assert.deepEqual(findings(zero, 'ovf/invalid-value').map((f) => f.span.start), [offsetOf(zero, 'chunkSize="0"') + 11]);
    none(descriptor().replace('ovf:capacity="20"', 'ovf:capacity="${disk_gb}"'), 'ovf/invalid-value');
  });

  test('non-integer RASD quantities and bad booleans, at the value', () => {
    const text = descriptor().replace('<rasd:VirtualQuantity>2</rasd:VirtualQuantity>', '<rasd:VirtualQuantity>2.5</rasd:VirtualQuantity>');
    assert.match(one(text, 'ovf/invalid-value', '2.5').message, /VirtualQuantity/);
    const bool = descriptor({ items: item('1', '10', 'ovf:required="yes"', '<rasd:AutomaticAllocation>True</rasd:AutomaticAllocation>') });
    const found = findings(bool, 'ovf/invalid-value');
    assert.deepEqual(found.map((f) => bool.slice(f.span.start, f.span.end)), ['yes', 'True']);
    none(descriptor({ items: item('1', '10', '', '<rasd:Reservation xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>') }), 'ovf/invalid-value');
  });

  test('ovf/populated-size: more data than the capacity, in the capacity units', () => {
    const over = descriptor().replace('ovf:capacity="20"', `ovf:capacity="20" ovf:populatedSize="${21 * 2 ** 30}"`);
    one(over, 'ovf/populated-size', String(21 * 2 ** 30));
    none(descriptor().replace('ovf:capacity="20"', `ovf:capacity="20" ovf:populatedSize="${2 ** 30}"`), 'ovf/populated-size');
  });
});

describe('ProductSection properties', () => {
  const product = (properties: string) => descriptor().replace('<Name>web01</Name>', `<Name>web01</Name><ProductSection><Info>app</Info>${properties}</ProductSection>`);

  test('ovf/property-key and ovf/property-type: missing key or type', () => {
    one(product('<Property ovf:type="string"/>'), 'ovf/property-key', 'Property');
    one(product('<Property ovf:key="hostname"/>'), 'ovf/property-type', 'Property');
    none(product('<Property ovf:key="hostname"/>'), 'ovf/missing-attribute');
  });

  test('ovf/property-type: an unknown type, a vSphere type (warning), a value not of its type', () => {
    one(product('<Property ovf:key="a" ovf:type="integer"/>'), 'ovf/property-type', 'integer');
    one(product('<Property ovf:key="a" ovf:type="ip"/>'), 'ovf/property-type', ['"ip"', 'ip'], 'warning');
    one(product('<Property ovf:key="port" ovf:type="uint16" ovf:value="70000"/>'), 'ovf/property-type', '70000');
    one(product('<Property ovf:key="on" ovf:type="boolean" ovf:value="true"><Value ovf:value="maybe" ovf:configuration="x"/></Property>'), 'ovf/property-type', 'maybe');
    none(product('<Property ovf:key="n" ovf:type="sint8" ovf:value="-12"/><Property ovf:key="r" ovf:type="real64" ovf:value="1.5e3"/><Property ovf:key="e" ovf:type="uint8" ovf:value=""/>'), 'ovf/property-type');
  });

  test('ovf/duplicate-property: one key twice in a product, at the second key', () => {
    const text = product('<Property ovf:key="dns" ovf:type="string"/><Property ovf:key="dns" ovf:type="string"/>');
    const f = one(text, 'ovf/duplicate-property', 'dns', 'error', 1);
    assert.equal(f.related?.[0].span.start, offsetOf(text, 'dns'));
    const classes = descriptor().replace('<Name>web01</Name>', '<Name>web01</Name><ProductSection ovf:class="a"><Info>a</Info><Property ovf:key="dns" ovf:type="string"/></ProductSection><ProductSection ovf:class="b"><Info>b</Info><Property ovf:key="dns" ovf:type="string"/></ProductSection>');
    none(classes, 'ovf/duplicate-property');
  });
});

describe('ids per DSP0243 (ovf/duplicate-id, ovf/duplicate-href)', () => {
  const collection = (outer: string, inner: string[]) => descriptor({ vsId: inner[0] })
    .replace(`<VirtualSystem ovf:id="${inner[0]}">`, `<VirtualSystemCollection ovf:id="${outer}"><Info>vApp</Info><VirtualSystem ovf:id="${inner[0]}">`)
    .replace('</VirtualSystem>', `</VirtualSystem>${inner.slice(1).map((id) => `<VirtualSystem ovf:id="${id}"><Info>vm</Info></VirtualSystem>`).join('')}</VirtualSystemCollection>`);

  test('a collection may share its id with its VM (vCloud Director exports); two sibling VMs may not', () => {
    none(collection('web01', ['web01']), 'ovf/duplicate-id');
    const twins = collection('app', ['web01', 'web01']);
    assert.match(one(twins, 'ovf/duplicate-id', 'web01', 'error', 2).message, /in this collection/);
  });

  test('Disk ids across the envelope, and two Files with one href', () => {
    const disks = descriptor().replace('</DiskSection>', '<Disk ovf:capacity="1" ovf:diskId="vmdisk1"/></DiskSection>');
    one(disks, 'ovf/duplicate-id', 'vmdisk1', 'error', 1);
    const hrefs = descriptor({ references: '<References><File ovf:href="disk1.vmdk" ovf:id="file1"/><File ovf:href="disk1.vmdk" ovf:id="file2"/></References>' });
    const f = one(hrefs, 'ovf/duplicate-href', 'disk1.vmdk', 'error', 1);
    assert.equal(f.related?.[0].span.start, offsetOf(hrefs, 'disk1.vmdk'));
  });
});

describe('InstanceIDs merged by bound and configuration (DSP0243 clauses 8.4, 9.8)', () => {
  test('min/normal/max of one InstanceID combine; a max with no normal Item is ovf/bound-without-normal', () => {
    const ranged = descriptor({ items: item('cpu1', '3', 'ovf:bound="min"') + item('cpu1', '3') + item('cpu1', '3', 'ovf:bound="max"') });
    none(ranged, 'ovf/duplicate-instance-id');
    none(ranged, 'ovf/bound-without-normal');
    const lonely = descriptor({ items: item('cpu1', '3', 'ovf:bound="max"') });
    one(lonely, 'ovf/bound-without-normal', 'max');
    const twoMax = descriptor({ items: item('cpu1', '3') + item('cpu1', '3', 'ovf:bound="max"') + item('cpu1', '3', 'ovf:bound="max"') });
    assert.match(one(twoMax, 'ovf/duplicate-instance-id', 'cpu1', 'error', 2).message, /max range marker/);
  });

  test('disagreeing ResourceType is an error; two unconditional Items of one type a warning; overrides per configuration pass', () => {
    const clash = descriptor({ items: item('dev7', '3') + item('dev7', '4') });
    one(clash, 'ovf/duplicate-instance-id', 'dev7', 'error', 1);
    const replaced = descriptor({ items: item('dev7', '17') + item('dev7', '17') });
    one(replaced, 'ovf/duplicate-instance-id', 'dev7', 'warning', 1);
    const overrides = descriptor({ items: item('dev7', '3') + item('dev7', '3', 'ovf:configuration="big"') + item('dev7', '3', 'ovf:configuration="small"') });
    none(overrides, 'ovf/duplicate-instance-id');
  });

  test('ovf/bound-range: a max below the normal value, at the marker, also per configuration', () => {
    const quantity = (n: number) => `<rasd:VirtualQuantity>${n}</rasd:VirtualQuantity>`;
    const below = descriptor({ items: item('cpu1', '3', '', quantity(4)) + item('cpu1', '3', 'ovf:bound="max"', quantity(3)) });
    const f = one(below, 'ovf/bound-range', ['<rasd:VirtualQuantity>3', '3']);
    assert.equal(f.related?.[0].span.start, offsetOf(below, '<rasd:VirtualQuantity>4') + 22);
    none(descriptor({ items: item('cpu1', '3', 'ovf:bound="min"', quantity(1)) + item('cpu1', '3', '', quantity(4)) + item('cpu1', '3', 'ovf:bound="max"', quantity(8)) }), 'ovf/bound-range');
    const options = '<DeploymentOptionSection><Info>sizes</Info><Configuration ovf:id="big"><Label>B</Label><Description>b</Description></Configuration></DeploymentOptionSection>';
    const big = descriptor({ extraSections: options, items: item('cpu1', '3', '', quantity(2)) + item('cpu1', '3', 'ovf:configuration="big"', quantity(16)) + item('cpu1', '3', 'ovf:bound="max"', quantity(8)) });
    assert.match(one(big, 'ovf/bound-range', ['<rasd:VirtualQuantity>8', '8']).message, /configuration 'big'/);
  });

  test('combineItems: later children win per name, per configuration and bound', () => {
    const doc = parseDescriptor(descriptor({
      items: item('1', '3', '', '<rasd:VirtualQuantity>2</rasd:VirtualQuantity>') + item('1', '3', 'ovf:configuration="big"', '<rasd:VirtualQuantity>8</rasd:VirtualQuantity>') + item('1', '3', 'ovf:bound="max"', '<rasd:VirtualQuantity>16</rasd:VirtualQuantity>'),
    }));
    const items = doc.virtualSystems[0].hardware[0].items;
    const quantity = (config: string | undefined, bound: string) => combineItems(items, config).find((c) => c.bound === bound)?.properties.get('VirtualQuantity')?.[0].text;
    assert.equal(quantity(undefined, 'normal'), '2');
    assert.equal(quantity('big', 'normal'), '8');
    assert.equal(quantity('big', 'max'), '16');
    assert.equal(combineItems(items, 'big').find((c) => c.bound === 'normal')?.items.length, 2);
  });
});

describe('references', () => {
  test('ref/extra-config-file: vmw:ExtraConfig ovf:/file/ID naming no File, at the id', () => {
    const extra = (id: string) => descriptor().replace('xmlns:vssd', 'xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:vssd')
      .replace('</System>', `</System><vmw:ExtraConfig ovf:required="false" vmw:key="nvram" vmw:value="ovf:/file/${id}"/>`);
    one(extra('nvram9'), 'ref/extra-config-file', 'nvram9');
    none(extra('file1'), 'ref/extra-config-file');
  });

  test('ref/configuration: a configuration list naming an undeclared Configuration, at the name', () => {
    const options = '<DeploymentOptionSection><Info>sizes</Info><Configuration ovf:id="small"><Label>S</Label><Description>s</Description></Configuration></DeploymentOptionSection>';
    const text = descriptor({ extraSections: options, items: item('cpu1', '3') + item('cpu1', '3', 'ovf:configuration="small huge"') });
    one(text, 'ref/configuration', 'huge');
    none(descriptor({ extraSections: options, items: item('cpu1', '3') + item('cpu1', '3', 'ovf:configuration="small"') }), 'ref/configuration');
  });

  test("ref/host-resource understands OVF 0.9's ovf://disk/ID", () => {
    const ok = descriptor().replace('ovf:/disk/vmdisk1', 'ovf://disk/vmdisk1');
    none(ok, 'ref/host-resource');
    none(ok, 'ref/host-resource-prefix');
    none(ok, 'ref/unused-disk');
    one(descriptor().replace('ovf:/disk/vmdisk1', 'ovf://disk/vmdisk7'), 'ref/host-resource', 'vmdisk7');
  });
});
