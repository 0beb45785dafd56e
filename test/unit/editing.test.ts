// Editing features over the domain: cursor context, completion, hover, navigation, rename, and
// every quick fix (applying it removes its diagnostic and introduces none).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Finding, TextEdit } from '../../server/src/ovf/findings';
import { completionsAt } from '../../server/src/ovf/editing/completion';
import { cursorContext, openElements } from '../../server/src/ovf/editing/cursorContext';
import { hoverAt } from '../../server/src/ovf/editing/hover';
import { occurrencesOf, RenameError, renameEdits, symbolAt } from '../../server/src/ovf/editing/navigation';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { PackageFacts } from '../../server/src/ovf/package/packageFacts';
import { resolveSettings } from '../../server/src/ovf/settings';
import { runRules } from '../../server/src/ovf/validate';
import { descriptor, offsetOf } from '../support/descriptors';

const CURSOR = '|';

/** Text with one `|` marking the cursor -> [text without it, offset]. */
function at(marked: string): [string, number] {
  const offset = marked.indexOf(CURSOR);
  return [marked.slice(0, offset) + marked.slice(offset + 1), offset];
}

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const pkg: PackageFacts = {
  files: new Map([['disk1.vmdk', { status: 'present', size: 1024 }]]),
  manifestName: 'web.mf',
  manifestExists: true,
  manifestEntries: new Map([['web.ovf', 'SHA1'], ['disk1.vmdk', 'SHA1']]),
  siblings: [{ name: 'disk1.vmdk', size: 1024 }, { name: 'disk2.vmdk', size: 4096 }, { name: 'notes.txt', size: 3 }],
};

describe('cursor context, on broken text too', () => {
  test('element name after <, with the open parents', () => {
    const [text, offset] = at('<Envelope xmlns="x"><DiskSection><Info>x</Info><Di|');
    const c = cursorContext(text, offset);
    assert.equal(c.kind, 'elementName');
    assert.deepEqual(c.kind === 'elementName' && [c.typed, c.parents.map((p) => p.local)], ['Di', ['DiskSection', 'Envelope']]);
  });

  test('attribute name and attribute value', () => {
    const [a, ao] = at('<Envelope><DiskSection><Disk ovf:diskId="d1" ovf:ca|');
    const ca = cursorContext(a, ao);
    assert.deepEqual(ca.kind === 'attributeName' && [ca.element, ca.typed, ca.existing], ['Disk', 'ovf:ca', ['ovf:diskId']]);
    const [v, vo] = at('<Disk ovf:diskId="d1" ovf:fileRef="fi|" ovf:capacity="1"/>');
    const cv = cursorContext(v, vo);
    assert.deepEqual(cv.kind === 'attributeValue' && [cv.element, cv.attribute, cv.typed, v.slice(cv.replace.start, cv.replace.end)], ['Disk', 'ovf:fileRef', 'fi', 'fi']);
  });

  test('text content names its element; comments give nothing', () => {
    const [t, to] = at('<Item><rasd:ResourceType>1|</rasd:ResourceType></Item>');
    const ct = cursorContext(t, to);
    assert.deepEqual(ct.kind === 'text' && [ct.parents[0].name, ct.typed], ['rasd:ResourceType', '1']);
    const [c, co] = at('<a><!-- x | --></a>');
    assert.equal(cursorContext(c, co).kind, 'none');
  });

  test('closed siblings are skipped when finding the parent', () => {
    const text = '<A><B><C/><D>x</D><E>y</E>';
    assert.deepEqual(openElements(text, text.length).map((e) => e.name), ['B', 'A']);
  });
});

describe('completion', () => {
  const labels = (marked: string, model = parseDescriptor(descriptor())) => {
    const [text, offset] = at(marked);
    return completionsAt(text, offset, model, pkg).map((c) => c.label);
  };

  test('children valid in the parent, in the document\'s prefixes', () => {
    const base = descriptor();
    const marked = base.replace('<VirtualHardwareSection>\n      <Info>', '<VirtualHardwareSection>\n      <|<Info>');
    const items = labels(marked);
    assert.ok(items.includes('Item') && items.includes('System'), items.join());
    assert.ok(items.includes('Disk (File + Disk + Item)') && items.includes('NIC (network adapter Item)'));
    assert.ok(!items.includes('References'));
    const inItem = labels(base.replace('<rasd:ElementName>2 virtual CPUs', '<|<rasd:ElementName>2 virtual CPUs'));
    assert.ok(inItem.includes('rasd:ResourceType') && inItem.includes('rasd:HostResource'));
  });

  test('the disk snippet also declares its File and Disk, and the result validates', () => {
    const base = descriptor();
    const [text, offset] = at(base.replace('      <Item>\n        <rasd:ElementName>2 virtual CPUs', '      <|\n      <Item>\n        <rasd:ElementName>2 virtual CPUs'));
    const disk = completionsAt(text, offset, parseDescriptor(base), pkg).find((c) => c.label.startsWith('Disk ('))!;
    const plain = disk.insertText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d/g, '');
    const result = apply(text, [{ span: disk.replace, newText: plain }, ...disk.additionalEdits!]);
    const findings = runRules(parseDescriptor(result), resolveSettings({ targets: [] }), undefined);
    assert.deepEqual(findings.filter((f) => f.severity !== 'information').map((f) => `${f.code} ${f.message}`), []);
    assert.match(result, /<File ovf:href="vmdisk2.vmdk" ovf:id="file2"\/>/);
  });

  test('attribute names not yet present', () => {
    const items = labels('<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"><References><File ovf:id="a" |');
    assert.ok(items.includes('ovf:href') && items.includes('ovf:size'));
    assert.ok(!items.includes('ovf:id'));
  });

  test('ids that may be referenced, files beside the descriptor, ResourceType codes', () => {
    const base = descriptor();
    assert.deepEqual(labels(base.replace('ovf:fileRef="file1"', 'ovf:fileRef="|"')), ['file1']);
    assert.deepEqual(labels(base.replace('<rasd:HostResource>ovf:/disk/vmdisk1', '<rasd:HostResource>|')), ['ovf:/disk/vmdisk1', 'ovf:/file/file1']);
    assert.deepEqual(labels(base.replace('<rasd:Connection>VM Network', '<rasd:Connection>|')), ['VM Network']);
    assert.deepEqual(labels(base.replace('<rasd:Parent>3', '<rasd:Parent>|')), ['3']);
    const hrefs = labels(base.replace('ovf:href="disk1.vmdk"', 'ovf:href="|"'));
    assert.deepEqual(hrefs, ['disk1.vmdk', 'disk2.vmdk', 'notes.txt']);
    const types = labels(base.replace('<rasd:ResourceType>17', '<rasd:ResourceType>|'));
    assert.ok(types.includes('17 — Disk drive') && types.includes('10 — Ethernet adapter (network card)') && types.includes('3 — Processor (virtual CPUs)'), types.join());
  });

  test('ResourceType items read "17 — Disk drive", insert the code and filter by word', () => {
    const [text, offset] = at(descriptor().replace('<rasd:ResourceType>17', '<rasd:ResourceType>disk|'));
    const disk = completionsAt(text, offset, parseDescriptor(descriptor()), pkg).find((c) => c.label === '17 — Disk drive')!;
    assert.equal(disk.insertText, '17');
    assert.equal(text.slice(disk.replace.start, disk.replace.end), 'disk');
    assert.match(disk.filterText!, /^17 Disk drive$/);
    assert.ok(disk.filterText!.toLowerCase().includes('disk'));
  });

  test('attribute values from the schema table: booleans, bounds, property types', () => {
    const base = descriptor();
    assert.deepEqual(labels(base.replace('<Item>', '<Item ovf:bound="|">')), ['min', 'normal', 'max']);
    assert.deepEqual(labels(base.replace('<Item>', '<Item ovf:required="|">')), ['true', 'false']);
    const types = labels(base.replace('<Name>web01</Name>', '<Name>web01</Name><ProductSection><Info/><Property ovf:type="|"'));
    assert.ok(types.includes('string') && types.includes('uint16') && types.includes('boolean'), types.join());
  });

  test("only the vocabulary of the document's OVF version", () => {
    const hardware = (ns: string) => {
      const base = descriptor({ envelopeNs: ns });
      return labels(base.replace('<VirtualHardwareSection>\n      <Info>', '<VirtualHardwareSection>\n      <|<Info>'), parseDescriptor(base));
    };
    const v1 = hardware('http://schemas.dmtf.org/ovf/envelope/1');
    assert.ok(v1.includes('Item') && !v1.includes('StorageItem') && !v1.includes('EthernetPortItem'), v1.join());
    const v2 = hardware('http://schemas.dmtf.org/ovf/envelope/2');
    assert.ok(v2.includes('StorageItem') && v2.includes('EthernetPortItem'), v2.join());
    const system = (ns: string) => {
      const base = descriptor({ envelopeNs: ns });
      return labels(base.replace('<Name>web01</Name>', '<Name>web01</Name><|'), parseDescriptor(base));
    };
    assert.ok(!system('http://schemas.dmtf.org/ovf/envelope/1').includes('EnvironmentFilesSection'));
    assert.ok(system('http://schemas.dmtf.org/ovf/envelope/2').includes('EnvironmentFilesSection'));
    const attrs = labels('<Envelope xmlns="http://www.vmware.com/schema/ovf/1/envelope" xmlns:ovf="http://www.vmware.com/schema/ovf/1/envelope"><Property |');
    assert.ok(attrs.includes('ovf:key') && !attrs.includes('ovf:password'), attrs.join());
  });

  test('never throws on malformed or empty text', () => {
    const text = readFileSync(path.resolve('test/fixtures/corpus/files/ganeti__wrong_xml.ovf'), 'utf8');
    for (let offset = 0; offset <= text.length; offset += 97) completionsAt(text, offset, undefined, undefined);
    assert.deepEqual(completionsAt('', 0, undefined, undefined).map((c) => c.label), []);
    assert.deepEqual(labels('<|'), ['Envelope']);
  });
});

describe('hover', () => {
  const base = descriptor({ vsId: 'NewVirtualMachine1' });
  const doc = parseDescriptor(base);
  const hover = (needle: string, n = 0, shift = 1) => hoverAt(doc, offsetOf(base, needle, n) + shift, pkg)?.markdown ?? '';

  test('a File shows its size on disk and manifest state', () => {
    const h = hover('file1');
    assert.match(h, /declared size: 1 KiB/);
    assert.match(h, /on disk: 1 KiB ✓ matches ovf:size/);
    assert.match(h, /manifest: listed in web.mf \(SHA1\)/);
  });

  test('a Disk shows its capacity in human units and its file', () => {
    const h = hover('vmdisk1');
    assert.match(h, /\*\*Disk\*\* `vmdisk1` — 20 GiB/);
    assert.match(h, /file: `disk1.vmdk`, 1 KiB on disk/);
    assert.match(h, /attached to `NewVirtualMachine1` Hard disk 1/);
  });

  test('a VirtualSystem shows the VM name vCloud will give it', () => {
    assert.match(hover('NewVirtualMachine1'), /vCloud Director VM name: `NewVirtualMac001`/);
  });

  test('RASD codes, subtypes and hardware versions in words', () => {
    assert.match(hover('>17<', 0, 1), /Disk drive/);
    assert.match(hover('lsilogic'), /LSI Logic parallel SCSI/);
    assert.match(hover('vmx-13'), /ESXi 6\.5/);
    assert.match(hover('<rasd:VirtualQuantity>4096', 0, 23), /Memory\*\*: 4 GiB/);
  });

  test('element names from the schema table: meaning, what OVF requires, CIM property types', () => {
    const section = hover('<DiskSection>', 0, 2);
    assert.match(section, /\*\*DiskSection\*\*/);
    assert.match(section, /Requires `<Info>`/);
    assert.match(hover('<File ', 0, 2), /Requires `ovf:id`, `ovf:href`/);
    assert.match(hover('<rasd:VirtualQuantity>', 0, 3), /CIM uint64/);
    assert.match(hover('<rasd:InstanceID>', 0, 3), /CIM string, required/);
  });
});

describe('navigation and rename', () => {
  const text = descriptor();
  const doc = parseDescriptor(text);

  test('a reference leads to its definition, and a definition to its references', () => {
    const ref = symbolAt(doc, offsetOf(text, 'ovf:/disk/vmdisk1') + 12)!;
    assert.deepEqual([ref.kind, ref.name, ref.isDefinition], ['disk', 'vmdisk1', false]);
    const all = occurrencesOf(doc, ref);
    assert.deepEqual(all.map((o) => [o.isDefinition, text.slice(o.span.start, o.span.end)]), [[true, 'vmdisk1'], [false, 'vmdisk1']]);
    const net = symbolAt(doc, offsetOf(text, '>VM Network<') + 2)!;
    assert.equal(occurrencesOf(doc, net).length, 2);
    const parent = symbolAt(doc, offsetOf(text, '<rasd:Parent>3') + 13)!;
    assert.equal(occurrencesOf(doc, parent).filter((o) => o.isDefinition).length, 1);
  });

  test('rename changes every occurrence and keeps the document valid', () => {
    const file = symbolAt(doc, offsetOf(text, 'file1') + 1)!;
    const renamed = apply(text, renameEdits(doc, file, 'boot-disk'));
    assert.equal((renamed.match(/boot-disk/g) ?? []).length, 2);
    assert.deepEqual(runRules(parseDescriptor(renamed), resolveSettings({ targets: [] }), undefined), []);
    const instance = symbolAt(doc, offsetOf(text, '<rasd:InstanceID>3') + 17)!;
    const moved = apply(text, renameEdits(doc, instance, '30'));
    assert.match(moved, /<rasd:Parent>30<\/rasd:Parent>/);
  });

  test('a rename that would break the file is refused with a reason', () => {
    const file = symbolAt(doc, offsetOf(text, 'file1') + 1)!;
    assert.throws(() => renameEdits(doc, file, 'a"b'), RenameError);
    assert.throws(() => renameEdits(doc, file, ''), /cannot be empty/);
    const disk = symbolAt(doc, offsetOf(text, 'vmdisk1') + 1)!;
    assert.throws(() => renameEdits(doc, disk, 'two words'), /white space/);
  });
});

describe('every quick fix removes its diagnostic and introduces none', () => {
  const settings = resolveSettings({ targets: ['vcloud', 'cloudcontrol'] });
  const sizes = (s: Record<string, number>): PackageFacts => ({ ...pkg, files: new Map(Object.entries(s).map(([k, v]) => [k, { status: 'present', size: v }])) });
  const cases: Array<[string, string, PackageFacts]> = [
    ['ref/host-resource-prefix', descriptor().replace('ovf:/disk/vmdisk1', '/disk/vmdisk1'), pkg],
    ['package/size-mismatch', descriptor().replace('ovf:size="1024"', 'ovf:size="999"'), pkg],
    ['vcloud/compression', descriptor().replace('ovf:id="file1"', 'ovf:id="file1" ovf:compression="gzip"'), pkg],
    ['vcloud/id-too-long', descriptor({ vsId: 'NewVirtualMachine1' }), pkg],
    ['ref/file-ref', descriptor({ references: '<References>\n  </References>' }), sizes({ 'disk1.vmdk': 1024 })],
  ];
  const codes = (fs: Finding[]) => fs.map((f) => f.code).sort();
  for (const [code, text, facts] of cases) {
    test(code, () => {
      const before = runRules(parseDescriptor(text), settings, facts);
      const finding = before.find((f) => f.code === code);
      assert.ok(finding?.fixes?.length, `${code} has a fix`);
      const fixed = apply(text, finding!.fixes![0].edits);
      const after = runRules(parseDescriptor(fixed), settings, facts);
      assert.deepEqual(codes(after), codes(before.filter((f) => f !== finding)));
    });
  }
});
