// Hover: what the thing under the cursor means, in words, with what ovfkit knows about it (size on
// disk, manifest state, the name vCloud will give a VM). Pure: package facts are passed in.
import { Span } from '../findings';
import { cimPropertiesOf, ElementSpec, elementSpec, familyOf, knownIn, vocabularyOf } from '../knowledge/schema';
import { describeSubType, RESOURCE_TYPES, VMX_VERSIONS } from '../knowledge/rasd';
import { Descriptor, DiskDef, FileRef, HardwareItem, kindOf } from '../model/descriptor';
import { bytesPerUnit, formatBytes, toBytes } from '../model/units';
import { PackageFacts } from '../package/packageFacts';
import { allSystems } from '../rules/structure';
import { vcloudVmNames, VCLOUD_MAX_ID_LENGTH } from '../targets/vcloudNames';
import { elementAt, XmlElement } from '../xml/xmlTree';
import { Occurrence, symbolAt } from './navigation';

export interface HoverInfo {
  markdown: string;
  span: Span;
}

export function hoverAt(doc: Descriptor, offset: number, pkg: PackageFacts | undefined): HoverInfo | undefined {
  const symbol = symbolAt(doc, offset);
  if (symbol) {
    const markdown = describeSymbol(doc, symbol, pkg);
    if (markdown) return { markdown, span: symbol.span };
  }
  const element = elementAt(doc.root, offset);
  if (!element) return undefined;
  const attr = element.attributes.find((a) => offset >= a.nameSpan.start && offset <= a.valueSpan.end);
  if (attr) {
    const span = { start: attr.nameSpan.start, end: attr.valueSpan.end + 1 };
    if (element.local === 'File') {
      const file = doc.files.find((f) => f.element === element);
      if (file) return { markdown: describeFile(doc, file, pkg), span };
    }
    if (element.local === 'Disk') {
      const disk = doc.disks.find((d) => d.element === element);
      if (disk) return { markdown: describeDisk(doc, disk, pkg), span };
    }
    return undefined;
  }
  if (element.children.length === 0 && offset >= element.textSpan.start && offset <= element.textSpan.end && element.text !== '') {
    const markdown = describeValue(doc, element);
    if (markdown) return { markdown, span: element.textSpan };
  }
  if (offset >= element.nameSpan.start && offset <= element.nameSpan.end) {
    const markdown = describeElement(doc, element);
    if (markdown) return { markdown, span: element.nameSpan };
  }
  return undefined;
}

/** What the schema table says about an element: its meaning, what it requires, or a CIM property's type. */
function describeElement(doc: Descriptor, element: XmlElement): string | undefined {
  const parentKind = element.parent ? kindOf(element.parent) : undefined;
  const vocabulary = vocabularyOf(element.ns);
  if (vocabulary && vocabulary !== 'ovf') {
    const property = parentKind ? cimPropertiesOf(parentKind)?.[element.local] : undefined;
    return property && `**${element.name}**: CIM ${property.type}${property.required ? ', required' : ''}`;
  }
  const kind = kindOf(element);
  const spec = elementSpec(kind, parentKind);
  return spec && `**${kind}**\n\n${spec.documentation}${requirements(spec, doc)}`;
}

function requirements(spec: ElementSpec, doc: Descriptor): string {
  const family = familyOf(doc.version);
  const needed = [
    ...spec.children.filter((c) => c.required && knownIn(c, family)).map((c) => `<${c.name}>`),
    ...spec.attributes.filter((a) => a.required && knownIn(a, family)).map((a) => `ovf:${a.name}`),
  ];
  const parts = needed.length ? [`Requires ${needed.map((n) => `\`${n}\``).join(', ')}.`] : [];
  if (spec.section) parts.push('A section: `ovf:required` (default true) tells importers that cannot honour it to refuse the package.');
  return parts.length ? `\n\n${parts.join(' ')}` : '';
}

function describeSymbol(doc: Descriptor, symbol: Occurrence, pkg: PackageFacts | undefined): string | undefined {
  switch (symbol.kind) {
    case 'file': {
      const file = doc.files.find((f) => f.id?.value === symbol.name);
      return file ? describeFile(doc, file, pkg) : `**File** \`${symbol.name}\`: not declared in References`;
    }
    case 'disk': {
      const disk = doc.disks.find((d) => d.diskId?.value === symbol.name);
      return disk ? describeDisk(doc, disk, pkg) : `**Disk** \`${symbol.name}\`: not declared in DiskSection`;
    }
    case 'network': {
      const network = doc.networks.find((n) => n.name?.value === symbol.name);
      if (!network) return `**Network** \`${symbol.name}\`: not declared in NetworkSection`;
      const description = network.element.children.find((c) => c.local === 'Description')?.text;
      const users = doc.virtualSystems.flatMap((vs) => vs.hardware.flatMap((hw) => hw.items.filter((i) => i.connections.some((c) => c.value === symbol.name)).map(() => vs.id?.value ?? '?')));
      return [`**Network** \`${symbol.name}\``, description && `\n${description}`, users.length ? `\n- connected: ${[...new Set(users)].map((u) => `\`${u}\``).join(', ')}` : '\n- no network adapter connects to it'].filter(Boolean).join('\n');
    }
    case 'instance': {
      const item = symbol.scope?.items.find((i) => i.instanceId?.value === symbol.name);
      return item ? `**InstanceID** \`${symbol.name}\`: ${describeItem(item)}` : `**InstanceID** \`${symbol.name}\`: no item of this hardware section has it`;
    }
    case 'system':
      return describeSystem(doc, symbol.name);
  }
}

function describeSystem(doc: Descriptor, id: string): string {
  const systems = doc.virtualSystems.filter((vs) => vs.id);
  const names = vcloudVmNames(systems.map((vs) => vs.id!.value));
  const i = systems.findIndex((vs) => vs.id!.value === id);
  const collection = allSystems(doc).find((vs) => vs.id?.value === id && vs.kind === 'VirtualSystemCollection');
  if (collection) return `**VirtualSystemCollection** \`${id}\`: ${collection.children.length} member(s)`;
  if (i === -1) return `**VirtualSystem** \`${id}\``;
  const renamed = names[i] !== id;
  return `**VirtualSystem** \`${id}\`\n\n- vCloud Director VM name: \`${names[i]}\`${renamed ? ` (ids longer than ${VCLOUD_MAX_ID_LENGTH} characters are cut and numbered)` : ' (kept)'}`;
}

function describeFile(doc: Descriptor, file: FileRef, pkg: PackageFacts | undefined): string {
  const href = file.href?.value;
  const lines = [`**File** \`${file.id?.value ?? '?'}\`${href ? ` → \`${href}\`` : ''}`, ''];
  const declared = file.size && /^\d+$/.test(file.size.value) ? Number(file.size.value) : undefined;
  if (declared !== undefined) lines.push(`- declared size: ${formatBytes(declared)} (${declared} bytes)`);
  if (file.compression) lines.push(`- compression: ${file.compression.value}`);
  const facts = href !== undefined ? pkg?.files.get(href) : undefined;
  if (facts?.status === 'present') {
    const verdict = declared === undefined ? '' : declared === facts.size ? ' ✓ matches ovf:size' : ' ✗ differs from ovf:size';
    lines.push(`- on disk: ${formatBytes(facts.size)}${verdict}`);
  } else if (facts?.status === 'missing') {
    lines.push('- on disk: **missing** beside the descriptor');
  } else if (facts?.status === 'unsafe') {
    lines.push(`- not read: ${facts.reason}`);
  }
  if (pkg && href !== undefined) {
    const algorithm = pkg.manifestEntries?.get(href);
    lines.push(!pkg.manifestExists ? `- manifest: none (${pkg.manifestName})` : algorithm ? `- manifest: listed in ${pkg.manifestName} (${algorithm})` : `- manifest: **not listed** in ${pkg.manifestName}`);
  }
  const users = doc.disks.filter((d) => d.fileRef?.value === file.id?.value && file.id).map((d) => `Disk \`${d.diskId?.value}\``);
  lines.push(users.length ? `- backs ${users.join(', ')}` : '- no Disk refers to it');
  return lines.join('\n');
}

function describeDisk(doc: Descriptor, disk: DiskDef, pkg: PackageFacts | undefined): string {
  const bytes = toBytes(disk.capacity?.value, disk.capacityUnits?.value);
  const lines = [`**Disk** \`${disk.diskId?.value ?? '?'}\`${bytes !== undefined ? ` — ${formatBytes(bytes)}` : ''}`, ''];
  if (disk.capacity) lines.push(`- capacity: ${disk.capacity.value} × ${disk.capacityUnits?.value ?? 'bytes'}`);
  const file = doc.files.find((f) => f.id && f.id.value === disk.fileRef?.value);
  if (file) {
    const facts = file.href ? pkg?.files.get(file.href.value) : undefined;
    lines.push(`- file: \`${file.href?.value ?? '?'}\`${facts?.status === 'present' ? `, ${formatBytes(facts.size)} on disk` : facts?.status === 'missing' ? ', **missing**' : ''}`);
  } else if (!disk.fileRef || disk.fileRef.value === '') {
    lines.push('- no file: a blank disk created on import');
  }
  if (disk.format) lines.push(`- format: ${disk.format.value.replace(/^.*#/, '')}`);
  const users = doc.virtualSystems.flatMap((vs) =>
    vs.hardware.flatMap((hw) => hw.items.filter((i) => i.hostResources.some((h) => h.value.endsWith(`/disk/${disk.diskId?.value}`))).map((i) => `\`${vs.id?.value ?? '?'}\` ${i.elementName?.value ?? ''}`.trim())),
  );
  lines.push(users.length ? `- attached to ${users.join(', ')}` : '- not attached to any VM');
  return lines.join('\n');
}

function describeItem(item: HardwareItem): string {
  const type = item.resourceType ? RESOURCE_TYPES[item.resourceType.value] : undefined;
  const sub = item.resourceSubType ? ` ${item.resourceSubType.value}` : '';
  return `${item.elementName?.value ?? 'item'}${type ? ` (${type}${sub})` : ''}`;
}

function describeValue(doc: Descriptor, element: XmlElement): string | undefined {
  const value = element.text;
  switch (element.local) {
    case 'ResourceType': {
      const name = RESOURCE_TYPES[value];
      return name ? `**ResourceType ${value}**: ${name}` : `**ResourceType ${value}**: not a CIM resource type ovfkit knows`;
    }
    case 'ResourceSubType': {
      const what = describeSubType(value);
      return what ? `**${value}**: ${what}` : undefined;
    }
    case 'VirtualSystemType': {
      const parts = value.split(/\s+/).map((t) => {
        const m = /^vmx-(\d+)$/.exec(t);
        if (!m) return `- \`${t}\``;
        const esxi = VMX_VERSIONS[Number(m[1])];
        return `- \`${t}\`: virtual hardware version ${Number(m[1])}${esxi ? `, runs on ${esxi} and later` : ''}`;
      });
      return `**Virtual hardware family**\n\n${parts.join('\n')}\n\nThe target must support the highest listed version.`;
    }
    case 'AllocationUnits': {
      const per = bytesPerUnit(value);
      return per !== undefined && /byte/i.test(value) ? `**${value}**: units of ${formatBytes(per)}` : /hertz/i.test(value) ? `**${value}**: CPU frequency units` : undefined;
    }
    case 'VirtualQuantity': {
      const item = doc.virtualSystems.flatMap((vs) => vs.hardware.flatMap((hw) => hw.items)).find((i) => i.virtualQuantity?.element === element);
      if (item?.resourceType?.value === '4') {
        const bytes = toBytes(value, item.allocationUnits?.value ?? 'byte * 2^20');
        return bytes !== undefined ? `**Memory**: ${formatBytes(bytes)}` : undefined;
      }
      if (item?.resourceType?.value === '3') return `**Processors**: ${value} virtual CPU(s)`;
      return undefined;
    }
  }
  return undefined;
}
