// The typed model of an OVF descriptor, built once per document version from the XML tree. Every
// value keeps its source span, so rules, hover, rename and completion all read the same model.
import { Span } from '../findings';
import { LineIndex } from '../lineIndex';
import { parseXml } from '../xml/parseXml';
import { XmlAttribute, XmlDocument, XmlElement } from '../xml/xmlTree';
import { readTargetsDirective, TargetsDirective } from '../targets/targetsDirective';
import { DatacenterDirective, readDatacenterDirective } from '../targets/datacenterDirective';
import { detectVersion, isOvfNamespace, OvfVersion } from './version';

export interface Attr {
  value: string;
  attribute: XmlAttribute;
  /** The value as written between the quotes. */
  span: Span;
}

export interface TextValue {
  value: string;
  span: Span;
  element: XmlElement;
}

export interface FileRef {
  element: XmlElement;
  id?: Attr;
  href?: Attr;
  size?: Attr;
  compression?: Attr;
  chunkSize?: Attr;
}

export interface DiskDef {
  element: XmlElement;
  diskId?: Attr;
  fileRef?: Attr;
  parentRef?: Attr;
  capacity?: Attr;
  capacityUnits?: Attr;
  format?: Attr;
}

export interface NetworkDef {
  element: XmlElement;
  name?: Attr;
}

export interface HardwareItem {
  element: XmlElement;
  instanceId?: TextValue;
  resourceType?: TextValue;
  resourceSubType?: TextValue;
  elementName?: TextValue;
  parent?: TextValue;
  hostResources: TextValue[];
  connections: TextValue[];
  virtualQuantity?: TextValue;
  allocationUnits?: TextValue;
  addressOnParent?: TextValue;
  /** `ovf:configuration`: the deployment options this item belongs to (space separated). */
  configuration?: Attr;
  /** `ovf:bound`: min or max for a range marker, normal (the default) otherwise. */
  bound?: Attr;
}

export interface VirtualHardwareSection {
  element: XmlElement;
  /** `System/vssd:VirtualSystemType`, e.g. `vmx-13` or `vmx-10 vmx-11`. */
  systemType?: TextValue;
  items: HardwareItem[];
}

export interface VirtualSystemDef {
  element: XmlElement;
  kind: 'VirtualSystem' | 'VirtualSystemCollection';
  id?: Attr;
  name?: TextValue;
  hardware: VirtualHardwareSection[];
  children: VirtualSystemDef[];
}

export interface Directives {
  /** Targets named by a `<!-- ovfkit: targets=vcloud,cloudcontrol -->` comment. */
  targets?: TargetsDirective;
  /** The CloudControl data centre named by a `<!-- ovfkit: datacenter=NA9 -->` comment. */
  datacenter?: DatacenterDirective;
  /** Rule codes turned off for this file by `<!-- ovfkit: disable=CODE,CODE -->` comments. */
  disabled: Set<string>;
  /** Each disable comment: its codes as written and the span of the list (where a fix appends). */
  disableComments: Array<{ codes: string[]; span: Span; listSpan: Span }>;
}

export interface Descriptor {
  text: string;
  xml: XmlDocument;
  lines: LineIndex;
  root: XmlElement | undefined;
  /** The root is an `Envelope` in a known OVF namespace. */
  isOvf: boolean;
  version: OvfVersion;
  versionAttr?: Attr;
  references?: XmlElement;
  files: FileRef[];
  diskSection?: XmlElement;
  disks: DiskDef[];
  networkSection?: XmlElement;
  networks: NetworkDef[];
  deploymentOptionSection?: XmlElement;
  /** The top-level VirtualSystem or VirtualSystemCollection. */
  content?: VirtualSystemDef;
  /** Every VirtualSystem (not collections), in document order. */
  virtualSystems: VirtualSystemDef[];
  directives: Directives;
}

export function parseDescriptor(text: string): Descriptor {
  const xml = parseXml(text);
  const root = xml.root;
  const version = detectVersion(root);
  const d: Descriptor = {
    text, xml, lines: new LineIndex(text), root,
    isOvf: !!root && root.local === 'Envelope' && isOvfNamespace(root.ns),
    version,
    versionAttr: root ? ovfAttr(root, 'version') : undefined,
    files: [], disks: [], networks: [], virtualSystems: [],
    directives: readDirectives(xml),
  };
  if (!root) return d;
  for (const section of root.children) {
    switch (kindOf(section)) {
      case 'References':
        d.references = section;
        for (const f of section.children) {
          if (f.local !== 'File') continue;
          d.files.push({
            element: f, id: ovfAttr(f, 'id'), href: ovfAttr(f, 'href'), size: ovfAttr(f, 'size'),
            compression: ovfAttr(f, 'compression'), chunkSize: ovfAttr(f, 'chunkSize'),
          });
        }
        break;
      case 'DiskSection':
        d.diskSection = section;
        for (const disk of section.children) {
          if (disk.local !== 'Disk') continue;
          d.disks.push({
            element: disk, diskId: ovfAttr(disk, 'diskId'), fileRef: ovfAttr(disk, 'fileRef'),
            parentRef: ovfAttr(disk, 'parentRef'), capacity: ovfAttr(disk, 'capacity'),
            capacityUnits: ovfAttr(disk, 'capacityAllocationUnits'), format: ovfAttr(disk, 'format'),
          });
        }
        break;
      case 'NetworkSection':
        d.networkSection = section;
        for (const n of section.children) {
          if (n.local === 'Network') d.networks.push({ element: n, name: ovfAttr(n, 'name') });
        }
        break;
      case 'DeploymentOptionSection':
        d.deploymentOptionSection = section;
        break;
      case 'VirtualSystem':
      case 'VirtualSystemCollection':
        if (!d.content) d.content = readVirtualSystem(section, d);
        break;
    }
  }
  return d;
}

function readVirtualSystem(element: XmlElement, d: Descriptor): VirtualSystemDef {
  const kind = kindOf(element) === 'VirtualSystemCollection' ? 'VirtualSystemCollection' : 'VirtualSystem';
  const vs: VirtualSystemDef = { element, kind, id: ovfAttr(element, 'id'), hardware: [], children: [] };
  if (kind === 'VirtualSystem') d.virtualSystems.push(vs);
  for (const child of element.children) {
    const k = kindOf(child);
    if (k === 'Name') vs.name = textValue(child);
    else if (k === 'VirtualHardwareSection') vs.hardware.push(readHardware(child));
    else if ((k === 'VirtualSystem' || k === 'VirtualSystemCollection') && kind === 'VirtualSystemCollection') {
      vs.children.push(readVirtualSystem(child, d));
    } else if (k === 'DeploymentOptionSection' && !d.deploymentOptionSection) {
      d.deploymentOptionSection = child;
    }
  }
  return vs;
}

const ITEM_KINDS = new Set(['Item', 'StorageItem', 'EthernetPortItem']);

function readHardware(element: XmlElement): VirtualHardwareSection {
  const hw: VirtualHardwareSection = { element, items: [] };
  for (const child of element.children) {
    if (child.local === 'System') {
      const type = child.children.find((c) => c.local === 'VirtualSystemType');
      if (type) hw.systemType = textValue(type);
    } else if (ITEM_KINDS.has(child.local)) {
      hw.items.push(readItem(child));
    }
  }
  return hw;
}

function readItem(element: XmlElement): HardwareItem {
  const item: HardwareItem = { element, hostResources: [], connections: [], configuration: ovfAttr(element, 'configuration') };
  item.bound = ovfAttr(element, 'bound');
  for (const c of element.children) {
    switch (c.local) {
      case 'InstanceID':
      case 'InstanceId': // OVF 0.9 spelling
        item.instanceId = textValue(c);
        break;
      case 'ResourceType': item.resourceType = textValue(c); break;
      case 'ResourceSubType': item.resourceSubType = textValue(c); break;
      case 'ElementName': item.elementName = textValue(c); break;
      case 'Parent': item.parent = textValue(c); break;
      case 'HostResource': item.hostResources.push(textValue(c)); break;
      case 'Connection': item.connections.push(textValue(c)); break;
      case 'VirtualQuantity': item.virtualQuantity = textValue(c); break;
      case 'AllocationUnits': item.allocationUnits = textValue(c); break;
      case 'AddressOnParent': item.addressOnParent = textValue(c); break;
    }
  }
  return item;
}

/** The OVF kind of an element: its local name, or for OVF 0.9's `Section`/`Content` its xsi:type. */
export function kindOf(element: XmlElement): string {
  if (element.local === 'Section' || element.local === 'Content') {
    const type = element.attributes.find((a) => a.local === 'type' && a.prefix !== '' && a.prefix !== 'xmlns');
    if (type) return type.value.replace(/^.*:/, '').replace(/_Type$/, '');
  }
  return element.local;
}

/** An OVF attribute such as `ovf:id`: in an OVF namespace, or unprefixed as lenient readers accept. */
export function ovfAttr(element: XmlElement, local: string): Attr | undefined {
  const attributes = element.attributes;
  // Most elements have none (the reader's shared empty array): asked for every element of a large descriptor.
  if (attributes.length === 0) return undefined;
  let fallback: XmlAttribute | undefined;
  for (const a of attributes) {
    if (a.local !== local) continue;
    if (a.prefix && isOvfNamespace(a.ns)) return { value: a.value, attribute: a, span: a.valueSpan };
    if (!a.prefix) fallback = a;
  }
  return fallback && { value: fallback.value, attribute: fallback, span: fallback.valueSpan };
}

function textValue(element: XmlElement): TextValue {
  return { value: element.text, span: element.textSpan, element };
}

function readDirectives(xml: XmlDocument): Directives {
  // The targets comment has its own reader (and writer): ovf/targets/targetsDirective.ts.
  const directives: Directives = { disabled: new Set(), disableComments: [], targets: readTargetsDirective(xml.comments), datacenter: readDatacenterDirective(xml.comments) };
  for (const c of xml.comments) {
    const m = /^\s*ovfkit:\s*disable\s*=\s*([\w\s,/.-]*?)\s*$/d.exec(c.text);
    if (!m) continue;
    const names = m[1].split(/[\s,]+/).filter(Boolean);
    // The list's offsets in the document: the comment's text starts after '<!--'.
    const [start, end] = m.indices![1];
    directives.disableComments.push({ codes: names, span: c.span, listSpan: { start: c.span.start + 4 + start, end: c.span.start + 4 + end } });
    for (const code of names) directives.disabled.add(code);
  }
  return directives;
}
