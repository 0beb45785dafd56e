// Outline, folding and document links over the descriptor model: names people read, ranges that
// editors accept, and links only where the href stays inside the package.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DocumentSymbol, FoldingRange, Range, SymbolKind } from 'vscode-languageserver';
import { documentLinks } from '../../server/src/features/documentLinks';
import { documentSymbols } from '../../server/src/features/documentSymbols';
import { foldingRanges } from '../../server/src/features/foldingRanges';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { LineIndex } from '../../server/src/ovf/lineIndex';
import { descriptor, offsetOf } from '../support/descriptors';

const CORPUS = path.resolve('test/fixtures/corpus/files');

/** name → children, as nested arrays: [name, [children...]] or just name for leaves. */
type Tree = Array<string | [string, Tree]>;
function tree(symbols: DocumentSymbol[]): Tree {
  return symbols.map((s) => (s.children?.length ? [s.name, tree(s.children)] : s.name));
}

function find(symbols: DocumentSymbol[], name: string): DocumentSymbol {
  for (const s of symbols) {
    if (s.name === name) return s;
    const inner = s.children && findOrUndefined(s.children, name);
    if (inner) return inner;
  }
  throw new Error(`no symbol '${name}' in ${JSON.stringify(tree(symbols))}`);
}

function findOrUndefined(symbols: DocumentSymbol[], name: string): DocumentSymbol | undefined {
  try {
    return find(symbols, name);
  } catch {
    return undefined;
  }
}

const contains = (outer: Range, inner: Range) =>
  (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));

/** What an editor checks before showing symbols: names present, selection inside range, children inside parents. */
function assertWellFormed(symbols: DocumentSymbol[], parent?: DocumentSymbol): number {
  let count = 0;
  for (const s of symbols) {
    count++;
    assert.ok(s.name.trim().length > 0, 'a symbol has an empty name');
    assert.ok(contains(s.range, s.selectionRange), `selection of '${s.name}' lies outside its range`);
    if (parent) assert.ok(contains(parent.range, s.range), `'${s.name}' lies outside its parent '${parent.name}'`);
    count += assertWellFormed(s.children ?? [], s);
  }
  return count;
}

describe('outline (document symbols)', () => {
  test('the test descriptor: sections, then the VM with its devices named for people', () => {
    const symbols = documentSymbols(parseDescriptor(descriptor()));
    assert.deepEqual(tree(symbols), [
      ['Envelope', [
        ['References', ['disk1.vmdk — 1 KiB']],
        ['Disks', ['vmdisk1 — 20 GiB']],
        ['Networks', ['VM Network']],
        ['web01', ['Hardware vmx-13', '2 vCPU', '4096 MB memory', 'SCSI controller lsilogic', 'Disk 1 — 20 GiB', 'NIC VmxNet3 → VM Network']],
      ]],
    ]);
    assert.equal(symbols[0].detail, 'OVF 1.0');
  });

  test('ranges cover the element; the selection is its name or id', () => {
    const text = descriptor();
    const lines = new LineIndex(text);
    const symbols = documentSymbols(parseDescriptor(text));
    const rangeOf = (start: number, end: number) => ({ start: lines.positionAt(start), end: lines.positionAt(end) });

    const file = find(symbols, 'disk1.vmdk — 1 KiB');
    const fileStart = offsetOf(text, '<File ');
    assert.deepEqual(file.range, rangeOf(fileStart, text.indexOf('/>', fileStart) + 2));
    assert.deepEqual(file.selectionRange, rangeOf(offsetOf(text, 'disk1.vmdk'), offsetOf(text, 'disk1.vmdk') + 10));
    assert.equal(file.kind, SymbolKind.File);
    assert.equal(file.detail, 'file1');

    const disk = find(symbols, 'vmdisk1 — 20 GiB');
    assert.deepEqual(disk.selectionRange, rangeOf(offsetOf(text, '"vmdisk1"') + 1, offsetOf(text, '"vmdisk1"') + 8));
    assert.equal(disk.detail, 'disk1.vmdk');

    const vm = find(symbols, 'web01');
    assert.equal(vm.kind, SymbolKind.Class);
    const vsStart = offsetOf(text, '<VirtualSystem ');
    assert.deepEqual(vm.range, rangeOf(vsStart, offsetOf(text, '</VirtualSystem>') + '</VirtualSystem>'.length));
    assert.deepEqual(vm.selectionRange, rangeOf(offsetOf(text, 'web01'), offsetOf(text, 'web01') + 5));

    const nic = find(symbols, 'NIC VmxNet3 → VM Network');
    const nicItem = text.lastIndexOf('<Item>', offsetOf(text, 'VmxNet3'));
    assert.deepEqual(nic.range, rangeOf(nicItem, text.indexOf('</Item>', nicItem) + 7));
    assert.deepEqual(nic.selectionRange, rangeOf(offsetOf(text, 'Network adapter 1'), offsetOf(text, 'Network adapter 1') + 17));
    assert.equal(nic.detail, 'Network adapter 1');
    assert.equal(nic.kind, SymbolKind.Interface);
  });

  test('every RASD resource type the outline knows, and ElementName for the rest', () => {
    const item = (type: string, inner: string, id: number) =>
      `<Item><rasd:InstanceID>${id}</rasd:InstanceID>${inner}<rasd:ResourceType>${type}</rasd:ResourceType></Item>`;
    const items = [
      item('3', '<rasd:VirtualQuantity>8</rasd:VirtualQuantity>', 1),
      item('4', '<rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits><rasd:VirtualQuantity>2</rasd:VirtualQuantity>', 2),
      item('4', '<rasd:AllocationUnits>byte * 2^10</rasd:AllocationUnits><rasd:VirtualQuantity>1536</rasd:VirtualQuantity>', 3),
      item('5', '<rasd:ResourceSubType>PIIX4</rasd:ResourceSubType>', 4),
      item('6', '', 5),
      item('10', '<rasd:Connection>VM Network</rasd:Connection>', 6),
      item('10', '<rasd:ResourceSubType>E1000</rasd:ResourceSubType>', 7),
      item('14', '', 8),
      item('15', '<rasd:HostResource>ovf:/file/iso1</rasd:HostResource>', 9),
      item('16', '', 10),
      item('17', '<rasd:HostResource>ovf:/disk/big</rasd:HostResource>', 11),
      item('17', '<rasd:HostResource>ovf:/disk/ghost</rasd:HostResource>', 12),
      item('17', '', 13),
      item('20', '<rasd:ResourceSubType>vmware.sata.ahci</rasd:ResourceSubType>', 14),
      item('20', '<rasd:ResourceSubType>vmware.nvme.controller</rasd:ResourceSubType>', 15),
      item('23', '<rasd:ResourceSubType>vmware.usb.xhci</rasd:ResourceSubType>', 16),
      item('24', '', 17),
      item('35', '', 18),
      item('1', '<rasd:ElementName>VMCI device</rasd:ElementName>', 19),
      item('99', '', 20),
    ].join('\n');
    const text = descriptor({
      items,
      references: '<References><File ovf:href="disk1.vmdk" ovf:id="file1"/><File ovf:href="tools.iso" ovf:id="iso1"/></References>',
      disks: '<DiskSection><Info>d</Info><Disk ovf:diskId="big" ovf:fileRef="file1" ovf:capacity="42949672960"/></DiskSection>',
    });
    const vm = find(documentSymbols(parseDescriptor(text)), 'web01');
    assert.deepEqual(vm.children!.map((c) => c.name), [
      'Hardware vmx-13', '8 vCPU', '2048 MB memory', '1.5 MiB memory', 'IDE controller PIIX4', 'SCSI controller',
      'NIC → VM Network', 'NIC E1000', 'Floppy drive', 'CD/DVD drive — tools.iso', 'CD/DVD drive',
      'Disk 1 — 40 GiB', 'Disk 2 — ghost', 'Disk 3', 'SATA controller', 'NVMe controller', 'USB controller vmware.usb.xhci',
      'Graphics', 'Sound card', 'VMCI device', 'Item of ResourceType 99',
    ]);
    const kinds = Object.fromEntries(vm.children!.map((c) => [c.name, c.kind]));
    assert.equal(kinds['8 vCPU'], SymbolKind.Number);
    assert.equal(kinds['SCSI controller'], SymbolKind.Struct);
    assert.equal(kinds['Disk 1 — 40 GiB'], SymbolKind.Object);
  });

  test('collections nest their systems; several hardware sections each get a node', () => {
    const vs = (id: string, hw: string) => `<VirtualSystem ovf:id="${id}"><Info>i</Info>${hw}</VirtualSystem>`;
    const hw = (type: string, cpus: number) =>
      `<VirtualHardwareSection><Info>h</Info><System><vssd:VirtualSystemType>${type}</vssd:VirtualSystemType></System>` +
      `<Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>${cpus}</rasd:VirtualQuantity></Item></VirtualHardwareSection>`;
    const text = descriptor().replace(/<VirtualSystem [\s\S]*<\/VirtualSystem>/,
      `<VirtualSystemCollection ovf:id="vapp"><Info>c</Info><Name>My vApp</Name>${vs('db', hw('vmx-10', 2))}${vs('web', hw('vmx-10', 1) + hw('xen-3', 4))}</VirtualSystemCollection>`);
    const envelope = documentSymbols(parseDescriptor(text))[0];
    const vapp = envelope.children!.at(-1)!;
    assert.deepEqual(tree([vapp]), [
      ['vapp', [
        ['db', ['Hardware vmx-10', '2 vCPU']],
        ['web', [['Virtual hardware', ['Hardware vmx-10', '1 vCPU']], ['Virtual hardware', ['Hardware xen-3', '4 vCPU']]]],
      ]],
    ]);
    assert.equal(vapp.detail, 'My vApp');
    assert.equal(vapp.kind, SymbolKind.Package);
  });

  test('OVF 0.9 (Section xsi:type) and 2.x corpus files', () => {
    const v09 = documentSymbols(parseDescriptor(readFileSync(path.join(CORPUS, 'vbox__joomla-1.1.4-ovf_0.9.ovf'), 'utf8')));
    assert.equal(v09[0].detail, 'OVF 0.9');
    // Document order: this export writes the NetworkSection before the DiskSection.
    assert.deepEqual(v09[0].children!.map((c) => c.name), ['References', 'Networks', 'Disks', 'joomla-1.1.4-ovf']);
    assert.deepEqual(find(v09, 'joomla-1.1.4-ovf').children!.map((c) => c.name), [
      'Hardware vmx-04', '1 vCPU', '256 MB memory', 'Disk 1 — 1.5 GiB', 'Disk 2 — 10 GiB', 'SCSI controller lsilogic', 'NIC PCNet32 → Network 1',
    ]);
    const v2 = documentSymbols(parseDescriptor(readFileSync(path.join(CORPUS, 'cot__ubuntu.2.0.ovf'), 'utf8')));
    assert.equal(v2[0].detail, 'OVF 2.x');
    assert.deepEqual(find(v2, 'ubuntu').children!.map((c) => c.name).slice(0, 4), ['Hardware virtualbox-2.2', '1 vCPU', '512 MB memory', 'IDE controller PIIX4']);
    assert.ok(findOrUndefined(v2, 'Disk 1 — 8 GiB'));
  });

  test('deployment options list their configurations', () => {
    const symbols = documentSymbols(parseDescriptor(readFileSync(path.join(CORPUS, 'cot__c8000v.ovf'), 'utf8')));
    const options = find(symbols, 'Deployment options');
    assert.equal(options.children!.length, 8);
    assert.equal(find(symbols, '1CPU-4GB-16GB').detail, 'Small- 16GB Disk · default');
    assert.match(find(symbols, '8192 MB memory').detail ?? '', /for 4CPU-8GB-8GB 4CPU-8GB-16GB/);
  });

  test('every corpus descriptor gives a well-formed outline without throwing', () => {
    let total = 0;
    for (const name of readdirSync(CORPUS).filter((n) => n.endsWith('.ovf'))) {
      const doc = parseDescriptor(readFileSync(path.join(CORPUS, name), 'utf8'));
      const symbols = documentSymbols(doc);
      total += assertWellFormed(symbols);
      if (doc.isOvf && !doc.xml.error) assert.equal(symbols[0]?.name, 'Envelope', name);
    }
    assert.ok(total > 500, `only ${total} symbols over the corpus`);
  });

  test('not an envelope, or nothing parsed: no symbols', () => {
    assert.deepEqual(documentSymbols(parseDescriptor('<html><body/></html>')), []);
    assert.deepEqual(documentSymbols(parseDescriptor('')), []);
    assert.deepEqual(documentSymbols(parseDescriptor('vector field 0 0 1')), []);
  });
});

describe('folding ranges', () => {
  test('multi-line elements fold to the line before their end tag; comments fold whole', () => {
    const text = [
      '<?xml version="1.0"?>', //                                           0
      '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">', // 1
      '  <!-- a comment', //                                                 2
      '       over two lines -->', //                                        3
      '  <!-- one line -->', //                                              4
      '  <References>', //                                                   5
      '    <File ovf:id="f1"', //                                            6
      '          ovf:href="a.vmdk"/>', //                                    7
      '    <File ovf:id="f2" ovf:href="b.vmdk"/>', //                         8
      '  </References>', //                                                  9
      '  <VirtualSystem ovf:id="vm"><Info>one line</Info></VirtualSystem>', // 10
      '</Envelope>', //                                                      11
    ].join('\n');
    const ranges = foldingRanges(parseDescriptor(text));
    const expected: FoldingRange[] = [
      { startLine: 1, endLine: 10 },
      { startLine: 2, endLine: 3, kind: 'comment' },
      { startLine: 5, endLine: 8 },
      { startLine: 6, endLine: 7 },
    ];
    assert.deepEqual(ranges, expected);
  });

  test('the test descriptor and a corpus file: every range well-ordered, one per multi-line element', () => {
    const text = descriptor();
    const ranges = foldingRanges(parseDescriptor(text));
    const lines = text.split('\n');
    for (const r of ranges) assert.ok(r.endLine > r.startLine && r.endLine < lines.length);
    const items = ranges.filter((r) => lines[r.startLine].trim() === '<Item>');
    assert.equal(items.length, 5);
    assert.ok(ranges.some((r) => lines[r.startLine].includes('<VirtualHardwareSection>') && lines[r.endLine + 1].includes('</VirtualHardwareSection>')));

    const corpus = readFileSync(path.join(CORPUS, 'cot__c8000v.ovf'), 'utf8');
    const corpusRanges = foldingRanges(parseDescriptor(corpus));
    assert.ok(corpusRanges.length > 50);
    assert.ok(corpusRanges.every((r, i) => i === 0 || corpusRanges[i - 1].startLine <= r.startLine));
  });
});

describe('document links', () => {
  const dir = path.resolve('/tmp/pkg dir');
  const uri = pathToFileURL(path.join(dir, 'web.ovf')).toString();

  test('hrefs inside the package link to the file beside the descriptor; others get none', () => {
    const text = descriptor({
      references: `<References>
    <File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="2147483648"/>
    <File ovf:href="sub/disk 2.vmdk" ovf:id="file2"/>
    <File ovf:href="../escape.vmdk" ovf:id="file3"/>
    <File ovf:href="/etc/passwd" ovf:id="file4"/>
    <File ovf:href="http://example.com/x.vmdk" ovf:id="file5"/>
    <File ovf:href="" ovf:id="file6"/>
  </References>`,
    });
    const lines = new LineIndex(text);
    const links = documentLinks(parseDescriptor(text), uri);
    assert.equal(links.length, 2);
    const at = offsetOf(text, 'disk1.vmdk');
    assert.deepEqual(links[0].range, { start: lines.positionAt(at), end: lines.positionAt(at + 10) });
    assert.equal(links[0].target, pathToFileURL(path.join(dir, 'disk1.vmdk')).toString());
    assert.equal(links[0].tooltip, 'Open disk1.vmdk (declared 2 GiB), beside the descriptor');
    assert.equal(links[1].target, pathToFileURL(path.join(dir, 'sub', 'disk 2.vmdk')).toString());
    assert.equal(links[1].tooltip, 'Open sub/disk 2.vmdk, beside the descriptor');
  });

  test('an untitled descriptor has no folder, so no links', () => {
    assert.deepEqual(documentLinks(parseDescriptor(descriptor()), 'untitled:Untitled-1'), []);
  });
});
