// The outline (document symbols): Envelope → References, Disks, Networks, VirtualSystems and
// collections → hardware items, named the way people talk about a VM ("2 vCPU", "Disk 1 — 40 GiB").
// Breadcrumbs and "go to symbol" read the same tree.
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { Span } from '../ovf/findings';
import { Attr, Descriptor, DiskDef, FileRef, HardwareItem, kindOf, NetworkDef, ovfAttr, TextValue, VirtualHardwareSection, VirtualSystemDef } from '../ovf/model/descriptor';
import { indexOf, parseHostResource } from '../ovf/model/references';
import { formatBytes, toBytes } from '../ovf/model/units';
import { DEVICE_NAMES, storageControllerName } from '../ovf/knowledge/rasd';
import { XmlElement } from '../ovf/xml/xmlTree';

export function documentSymbols(doc: Descriptor): DocumentSymbol[] {
  const root = doc.root;
  if (!root || root.local !== 'Envelope') return [];
  const children: DocumentSymbol[] = [];
  if (doc.references) children.push(section(doc, doc.references, 'References', doc.files.map((f) => fileSymbol(doc, f))));
  if (doc.diskSection) children.push(section(doc, doc.diskSection, 'Disks', doc.disks.map((d) => diskSymbol(doc, d))));
  if (doc.networkSection) children.push(section(doc, doc.networkSection, 'Networks', doc.networks.map((n) => networkSymbol(doc, n))));
  if (doc.deploymentOptionSection?.parent === root) children.push(deploymentOptions(doc, doc.deploymentOptionSection));
  if (doc.content) children.push(systemSymbol(doc, doc.content));
  // Document order, whatever order the sections are written in (OVF 0.9 puts networks first).
  children.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return [symbol(doc, root, 'Envelope', SymbolKind.Module, root.nameSpan, children, versionDetail(doc))];
}

function versionDetail(doc: Descriptor): string | undefined {
  return doc.version === 'unknown' ? undefined : `OVF ${doc.version}`;
}

function section(doc: Descriptor, element: XmlElement, name: string, children: DocumentSymbol[]): DocumentSymbol {
  return symbol(doc, element, name, SymbolKind.Namespace, element.nameSpan, children, `${children.length}`);
}

function fileSymbol(doc: Descriptor, f: FileRef): DocumentSymbol {
  const label = nonEmpty(f.href) ?? nonEmpty(f.id) ?? 'File';
  const bytes = toBytes(f.size?.value, undefined);
  const name = bytes === undefined ? label : `${label} — ${formatBytes(bytes)}`;
  const detail = [f.id && f.id.value !== label ? f.id.value : undefined, nonEmpty(f.compression)].filter(Boolean).join(' · ');
  return symbol(doc, f.element, name, SymbolKind.File, selection(f.element, f.href, f.id), [], detail);
}

function diskSymbol(doc: Descriptor, d: DiskDef): DocumentSymbol {
  const label = nonEmpty(d.diskId) ?? 'Disk';
  const bytes = toBytes(d.capacity?.value, d.capacityUnits?.value);
  // A capacity that is a ${property} (templates) is shown as written rather than dropped.
  const size = bytes !== undefined ? formatBytes(bytes) : d.capacity?.value;
  const name = size ? `${label} — ${size}` : label;
  const file = d.fileRef && indexOf(doc).files.get(d.fileRef.value)?.[0];
  return symbol(doc, d.element, name, SymbolKind.Object, selection(d.element, d.diskId), [], nonEmpty(file?.href) ?? nonEmpty(d.fileRef));
}

function networkSymbol(doc: Descriptor, n: NetworkDef): DocumentSymbol {
  const description = n.element.children.find((c) => c.local === 'Description')?.text;
  return symbol(doc, n.element, nonEmpty(n.name) ?? 'Network', SymbolKind.Interface, selection(n.element, n.name), [], description);
}

function deploymentOptions(doc: Descriptor, element: XmlElement): DocumentSymbol {
  const configs = element.children
    .filter((c) => c.local === 'Configuration')
    .map((c) => {
      const id = ovfAttr(c, 'id');
      const label = c.children.find((l) => l.local === 'Label')?.text;
      const isDefault = ovfAttr(c, 'default')?.value === 'true';
      return symbol(doc, c, nonEmpty(id) ?? 'Configuration', SymbolKind.EnumMember, selection(c, id), [], [label, isDefault ? 'default' : undefined].filter(Boolean).join(' · '));
    });
  return symbol(doc, element, 'Deployment options', SymbolKind.Enum, element.nameSpan, configs, `${configs.length}`);
}

function systemSymbol(doc: Descriptor, vs: VirtualSystemDef): DocumentSymbol {
  const id = nonEmpty(vs.id);
  const shownName = vs.name?.value && vs.name.value !== id ? vs.name.value : undefined;
  const children: DocumentSymbol[] = [];
  if (vs.kind === 'VirtualSystemCollection') {
    children.push(...vs.children.map((child) => systemSymbol(doc, child)));
    return symbol(doc, vs.element, id ?? 'VirtualSystemCollection', SymbolKind.Package, selection(vs.element, vs.id), children, shownName ?? 'collection');
  }
  // One hardware section (the usual case) lists its devices directly under the VM; several
  // (per transport or hardware family) each get a node so the devices stay apart.
  if (vs.hardware.length === 1) children.push(...hardwareChildren(doc, vs.hardware[0]));
  else children.push(...vs.hardware.map((hw) => hardwareSymbol(doc, hw)));
  return symbol(doc, vs.element, id ?? 'VirtualSystem', SymbolKind.Class, selection(vs.element, vs.id), children, shownName);
}

function hardwareSymbol(doc: Descriptor, hw: VirtualHardwareSection): DocumentSymbol {
  return symbol(doc, hw.element, 'Virtual hardware', SymbolKind.Namespace, hw.element.nameSpan, hardwareChildren(doc, hw), hw.systemType?.value);
}

function hardwareChildren(doc: Descriptor, hw: VirtualHardwareSection): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const type = hw.systemType;
  if (type?.value) {
    const system = type.element.parent ?? type.element;
    out.push(symbol(doc, system, `Hardware ${type.value}`, SymbolKind.Property, type.span, []));
  }
  let diskNumber = 0;
  for (const item of hw.items) {
    const code = item.resourceType?.value.trim();
    const name = code === '17' ? diskName(doc, item, ++diskNumber) : itemName(doc, item, code);
    // Items of deployment options (Cisco appliances) differ only by configuration: say which.
    const configuration = item.configuration?.value.trim();
    const detail = [item.elementName?.value !== name ? item.elementName?.value : undefined, configuration && `for ${configuration}`].filter(Boolean).join(' · ');
    out.push(symbol(doc, item.element, name, itemKind(code), selection(item.element, item.elementName, item.instanceId), [], detail));
  }
  return out;
}

/** "Disk 1 — 40 GiB", from the capacity of the Disk its HostResource names. */
function diskName(doc: Descriptor, item: HardwareItem, n: number): string {
  const base = `Disk ${n}`;
  const ref = item.hostResources.map(parseHostResource).find((r) => r !== undefined);
  if (!ref) return base;
  if (ref.kind === 'file') {
    const file = indexOf(doc).files.get(ref.id)?.[0];
    return `${base} — ${nonEmpty(file?.href) ?? ref.id}`;
  }
  const disk = indexOf(doc).disks.get(ref.id)?.[0];
  if (!disk) return `${base} — ${ref.id}`;
  const bytes = toBytes(disk.capacity?.value, disk.capacityUnits?.value);
  return `${base} — ${bytes !== undefined ? formatBytes(bytes) : ref.id}`;
}

function itemName(doc: Descriptor, item: HardwareItem, code: string | undefined): string {
  const sub = item.resourceSubType?.value.trim() || undefined;
  const name = code !== undefined ? DEVICE_NAMES[code] : undefined;
  switch (code) {
    case '3': {
      const n = plainNumber(item.virtualQuantity);
      return n !== undefined ? `${n} ${name}` : name!;
    }
    case '4':
      return memoryName(item);
    case '10': {
      const network = item.connections.find((c) => c.value !== '')?.value;
      return `${withSubType(name!, sub)}${network ? ` → ${network}` : ''}`;
    }
    case '15':
    case '16': {
      const iso = mediaFile(doc, item);
      return iso ? `${name} — ${iso}` : name!;
    }
    case '20': {
      const bus = storageControllerName(sub);
      return bus === name ? withSubType(bus, sub) : bus;
    }
    // The subtype says which controller or card it is; for ports and drives it adds nothing.
    case '5': case '6': case '23': case '35':
      return withSubType(name!, sub);
  }
  if (name) return name;
  return item.elementName?.value || (code ? `Item of ResourceType ${code}` : `Item ${item.instanceId?.value ?? ''}`.trim());
}

function withSubType(name: string, sub: string | undefined): string {
  return sub ? `${name} ${sub}` : name;
}

/** "4096 MB memory"; quantities that are not whole megabytes in the largest fitting unit. */
function memoryName(item: HardwareItem): string {
  // Memory without AllocationUnits is in megabytes by the convention every exporter follows.
  const bytes = toBytes(item.virtualQuantity?.value, item.allocationUnits?.value ?? 'byte * 2^20');
  if (bytes === undefined) return item.virtualQuantity?.value ? `${item.virtualQuantity.value} memory` : 'Memory';
  const mb = bytes / 2 ** 20;
  return Number.isInteger(mb) ? `${mb} MB memory` : `${formatBytes(bytes)} memory`;
}

/** The file an optical drive is backed by (`ovf:/file/ID`), by its href. */
function mediaFile(doc: Descriptor, item: HardwareItem): string | undefined {
  for (const hr of item.hostResources) {
    const ref = parseHostResource(hr);
    if (ref?.kind === 'file') return nonEmpty(indexOf(doc).files.get(ref.id)?.[0]?.href) ?? ref.id;
  }
  return undefined;
}

function itemKind(code: string | undefined): SymbolKind {
  switch (code) {
    case '3':
    case '4':
      return SymbolKind.Number;
    case '5':
    case '6':
    case '20':
    case '23':
      return SymbolKind.Struct;
    case '10':
      return SymbolKind.Interface;
    case '14':
    case '15':
    case '16':
    case '17':
      return SymbolKind.Object;
    default:
      return SymbolKind.Field;
  }
}

function plainNumber(v: TextValue | undefined): number | undefined {
  return v && /^\d+$/.test(v.value) ? Number(v.value) : undefined;
}

function nonEmpty(v: Attr | TextValue | undefined): string | undefined {
  return v && v.value.trim() !== '' ? v.value : undefined;
}

/** The span to select: the first named value that is written, else the element's name. */
function selection(element: XmlElement, ...candidates: Array<Attr | TextValue | undefined>): Span {
  for (const c of candidates) if (c && c.span.end > c.span.start) return c.span;
  return element.nameSpan;
}

function symbol(doc: Descriptor, element: XmlElement, name: string, kind: SymbolKind, select: Span, children: DocumentSymbol[], detail?: string): DocumentSymbol {
  const range = doc.lines.rangeOf(element.span);
  // Editors reject an empty name or a selection outside the range; neither may reach them.
  const inside = select.start >= element.span.start && select.end <= element.span.end;
  const selectionRange = doc.lines.rangeOf(inside ? select : element.nameSpan);
  const s: DocumentSymbol = { name: oneLine(name) || element.local || kindOf(element), kind, range, selectionRange, children };
  if (detail) s.detail = oneLine(detail);
  return s;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
