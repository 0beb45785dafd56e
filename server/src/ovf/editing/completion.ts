// Completion: element and attribute names from the OVF vocabulary, values the cursor position
// calls for (ResourceType codes, ids that may be referenced, files beside the descriptor), and
// snippets. Reads the cursor context from the text (it is usually broken while typing) and ids
// from the last well-formed model.
import { Span, TextEdit } from '../findings';
import { ELEMENTS, elementSpec, Family, knownIn, PROPERTY_TYPES, Vocabulary } from '../knowledge/schema';
import { RESOURCE_SUBTYPES, RESOURCE_TYPES, VMX_VERSIONS } from '../knowledge/rasd';
import { Descriptor } from '../model/descriptor';
import { EPASD_NS, OVF_NS_1, OVF_NS_2, OVF_NS_09, RASD_NS, SASD_NS, VSSD_NS } from '../model/version';
import { formatBytes } from '../model/units';
import { PackageFacts } from '../package/packageFacts';
import { cursorContext, OpenElement, rootNamespaces, RootNamespaces } from './cursorContext';

export type CompletionKind = 'element' | 'attribute' | 'value' | 'reference' | 'file' | 'snippet';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Replaces `replace`; a snippet when `snippet` is true ($1, $0 placeholders). */
  insertText: string;
  snippet?: boolean;
  replace: Span;
  /** Edits elsewhere in the document (a disk snippet also adds its File and Disk). */
  additionalEdits?: TextEdit[];
  sortText?: string;
  /** What the typed word is matched against, when not the label (`17 Disk drive` finds 17 by "disk"). */
  filterText?: string;
}

export function completionsAt(text: string, offset: number, model: Descriptor | undefined, pkg: PackageFacts | undefined): Completion[] {
  const context = cursorContext(text, offset);
  const ns = rootNamespaces(text);
  switch (context.kind) {
    case 'elementName':
      return elementCompletions(text, context.parents[0], context.replace, ns, model);
    case 'attributeName': {
      const local = context.element.replace(/^.*:/, '');
      const prefix = ovfPrefix(ns);
      const family = familyOfText(ns);
      return (ELEMENTS[local]?.attributes ?? [])
        .filter((a) => knownIn(a, family) && !context.existing.some((e) => e.replace(/^.*:/, '') === a.name))
        .map((a) => ({ label: `${prefix}:${a.name}`, kind: 'attribute', insertText: `${prefix}:${a.name}="$1"$0`, snippet: true, replace: context.replace }));
    }
    case 'attributeValue':
      return attributeValueCompletions(context.element.replace(/^.*:/, ''), context.attribute.replace(/^.*:/, ''), context.replace, model, pkg);
    case 'text':
      return context.parents[0] ? textCompletions(context.parents[0], context.replace, offset, model) : [];
    case 'none':
      return [];
  }
}

function ovfNamespace(ns: RootNamespaces): string {
  for (const uri of [OVF_NS_1, OVF_NS_2, OVF_NS_09]) if (ns.defaultNs === uri || ns.prefixOf.has(uri)) return uri;
  return OVF_NS_1;
}

/** The document's OVF schema, from its namespace (the model may be missing while the text is broken). */
function familyOfText(ns: RootNamespaces): Family {
  const uri = ovfNamespace(ns);
  return uri === OVF_NS_2 ? '2' : uri === OVF_NS_09 ? '0.9' : '1';
}

function ovfPrefix(ns: RootNamespaces): string {
  return ns.prefixOf.get(ovfNamespace(ns)) ?? 'ovf';
}

/** How to write an element of a vocabulary in this document. */
function qualify(vocabulary: Vocabulary, local: string, ns: RootNamespaces): string {
  if (vocabulary === 'ovf') {
    const uri = ovfNamespace(ns);
    return ns.defaultNs === uri ? local : `${ns.prefixOf.get(uri) ?? 'ovf'}:${local}`;
  }
  const uri = { rasd: RASD_NS, vssd: VSSD_NS, sasd: SASD_NS, epasd: EPASD_NS }[vocabulary];
  return `${ns.prefixOf.get(uri) ?? vocabulary}:${local}`;
}

const SELF_CLOSING = new Set(['File', 'Disk']);

function elementCompletions(text: string, parent: OpenElement | undefined, replace: Span, ns: RootNamespaces, model: Descriptor | undefined): Completion[] {
  if (!parent) return [envelopeSkeleton(replace)];
  const parentLocal = parent.local;
  const spec = ELEMENTS[parentLocal];
  const family = familyOfText(ns);
  const offered = (spec?.children ?? []).filter((c) => knownIn(c, family) && (c.vocabulary !== 'ovf' || !ELEMENTS[c.name] || knownIn(ELEMENTS[c.name], family)));
  const items: Completion[] = offered.map(({ vocabulary, name: local }) => {
    const name = qualify(vocabulary, local, ns);
    const childSpec = vocabulary === 'ovf' ? elementSpec(local, parentLocal) : undefined;
    const hasInfo = childSpec?.children.some((c) => c.name === 'Info');
    const insertText = SELF_CLOSING.has(local)
      ? `${name} $1/>$0`
      : hasInfo
        ? `${name}>\n\t<${qualify('ovf', 'Info', ns)}>$1</${qualify('ovf', 'Info', ns)}>\n\t$0\n</${name}>`
        : `${name}>$1</${name}>$0`;
    return { label: name, kind: 'element' as const, insertText, snippet: true, replace, documentation: childSpec?.documentation };
  });
  if (parentLocal === 'VirtualHardwareSection') {
    items.push(diskSnippet(text, replace, ns, model), nicSnippet(replace, ns, model));
  }
  if (parentLocal === 'Envelope' || parentLocal === 'VirtualSystemCollection') items.push(virtualSystemSnippet(replace, ns, model));
  return items;
}

/** At the top of an empty file: an Envelope that declares the namespaces OVF 1.0 uses. */
function envelopeSkeleton(replace: Span): Completion {
  const insertText = `Envelope xmlns="${OVF_NS_1}" xmlns:ovf="${OVF_NS_1}" xmlns:rasd="${RASD_NS}" xmlns:vssd="${VSSD_NS}">\n\t<References>\n\t\t$1\n\t</References>\n\t$0\n</Envelope>`;
  return { label: 'Envelope', kind: 'element', insertText, snippet: true, replace, detail: 'OVF 1.0 envelope with its namespaces', documentation: ELEMENTS.Envelope.documentation };
}

function nextFree(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

function nextInstanceId(model: Descriptor | undefined): number {
  let max = 0;
  for (const vs of model?.virtualSystems ?? []) for (const hw of vs.hardware) for (const i of hw.items) max = Math.max(max, Number(i.instanceId?.value) || 0);
  return max + 1;
}

function rasd(local: string, value: string, ns: RootNamespaces): string {
  const name = qualify('rasd', local, ns);
  return `<${name}>${value}</${name}>`;
}

/** A disk is three pieces: the File in References, the Disk in DiskSection and the Item here. */
function diskSnippet(text: string, replace: Span, ns: RootNamespaces, model: Descriptor | undefined): Completion {
  const fileId = nextFree('file', model?.files.map((f) => f.id?.value ?? '') ?? []);
  const diskId = nextFree('vmdisk', model?.disks.map((d) => d.diskId?.value ?? '') ?? []);
  const instance = nextInstanceId(model);
  const controller = model?.virtualSystems.flatMap((vs) => vs.hardware.flatMap((hw) => hw.items)).find((i) => ['6', '20'].includes(i.resourceType?.value ?? ''))?.instanceId?.value ?? '${3:3}';
  const p = ovfPrefix(ns);
  const item = `${qualify('ovf', 'Item', ns)}>\n\t${rasd('AddressOnParent', '${2:0}', ns)}\n\t${rasd('ElementName', 'Hard disk ${1:1}', ns)}\n\t${rasd('HostResource', `ovf:/disk/${diskId}`, ns)}\n\t${rasd('InstanceID', String(instance), ns)}\n\t${rasd('Parent', controller, ns)}\n\t${rasd('ResourceType', '17', ns)}\n</${qualify('ovf', 'Item', ns)}>$0`;
  const additionalEdits: TextEdit[] = [];
  const refsEnd = text.lastIndexOf(`</${qualify('ovf', 'References', ns)}>`);
  if (refsEnd !== -1) additionalEdits.push({ span: { start: refsEnd, end: refsEnd }, newText: `  <${qualify('ovf', 'File', ns)} ${p}:href="${diskId}.vmdk" ${p}:id="${fileId}"/>\n  ` });
  const disksEnd = text.lastIndexOf(`</${qualify('ovf', 'DiskSection', ns)}>`);
  if (disksEnd !== -1) additionalEdits.push({ span: { start: disksEnd, end: disksEnd }, newText: `  <${qualify('ovf', 'Disk', ns)} ${p}:capacity="20" ${p}:capacityAllocationUnits="byte * 2^30" ${p}:diskId="${diskId}" ${p}:fileRef="${fileId}" ${p}:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>\n  ` });
  return {
    label: 'Disk (File + Disk + Item)', kind: 'snippet', snippet: true, replace, insertText: item, additionalEdits, sortText: '~1',
    detail: `adds File ${fileId}, Disk ${diskId} and a disk drive`,
    documentation: 'Inserts a disk drive here, and its Disk in DiskSection and File in References.',
  };
}

function nicSnippet(replace: Span, ns: RootNamespaces, model: Descriptor | undefined): Completion {
  const network = model?.networks[0]?.name?.value ?? 'VM Network';
  const instance = nextInstanceId(model);
  const item = `${qualify('ovf', 'Item', ns)}>\n\t${rasd('AutomaticAllocation', 'true', ns)}\n\t${rasd('Connection', `\${1:${network}}`, ns)}\n\t${rasd('ElementName', 'Network adapter ${2:1}', ns)}\n\t${rasd('InstanceID', String(instance), ns)}\n\t${rasd('ResourceSubType', '${3|VmxNet3,E1000,E1000e|}', ns)}\n\t${rasd('ResourceType', '10', ns)}\n</${qualify('ovf', 'Item', ns)}>$0`;
  return { label: 'NIC (network adapter Item)', kind: 'snippet', snippet: true, replace, insertText: item, sortText: '~2', detail: `on ${network}` };
}

function virtualSystemSnippet(replace: Span, ns: RootNamespaces, model: Descriptor | undefined): Completion {
  const id = nextFree('vm', model?.virtualSystems.map((v) => v.id?.value ?? '') ?? []);
  const q = (l: string) => qualify('ovf', l, ns);
  const v = (l: string) => qualify('vssd', l, ns);
  const p = ovfPrefix(ns);
  const body = `${q('VirtualSystem')} ${p}:id="\${1:${id}}">\n\t<${q('Info')}>A virtual machine</${q('Info')}>\n\t<${q('Name')}>\${1:${id}}</${q('Name')}>\n\t<${q('VirtualHardwareSection')}>\n\t\t<${q('Info')}>Virtual hardware requirements</${q('Info')}>\n\t\t<${q('System')}>\n\t\t\t<${v('ElementName')}>Virtual Hardware Family</${v('ElementName')}>\n\t\t\t<${v('InstanceID')}>0</${v('InstanceID')}>\n\t\t\t<${v('VirtualSystemType')}>\${2:vmx-13}</${v('VirtualSystemType')}>\n\t\t</${q('System')}>\n\t\t<${q('Item')}>\n\t\t\t${rasd('ElementName', '${3:2} virtual CPUs', ns)}\n\t\t\t${rasd('InstanceID', '1', ns)}\n\t\t\t${rasd('ResourceType', '3', ns)}\n\t\t\t${rasd('VirtualQuantity', '${3:2}', ns)}\n\t\t</${q('Item')}>\n\t\t<${q('Item')}>\n\t\t\t${rasd('AllocationUnits', 'byte * 2^20', ns)}\n\t\t\t${rasd('ElementName', '${4:4096} MB of memory', ns)}\n\t\t\t${rasd('InstanceID', '2', ns)}\n\t\t\t${rasd('ResourceType', '4', ns)}\n\t\t\t${rasd('VirtualQuantity', '${4:4096}', ns)}\n\t\t</${q('Item')}>$0\n\t</${q('VirtualHardwareSection')}>\n</${q('VirtualSystem')}>`;
  return { label: 'VirtualSystem (a VM with CPU and memory)', kind: 'snippet', snippet: true, replace, insertText: body, sortText: '~0' };
}

function attributeValueCompletions(element: string, attribute: string, replace: Span, model: Descriptor | undefined, pkg: PackageFacts | undefined): Completion[] {
  const value = (label: string, detail?: string, kind: CompletionKind = 'value'): Completion => ({ label, kind, detail, insertText: label, replace });
  if (element === 'Disk' && attribute === 'fileRef') {
    return (model?.files ?? []).filter((f) => f.id).map((f) => value(f.id!.value, f.href?.value, 'reference'));
  }
  if (element === 'Disk' && attribute === 'parentRef') {
    return (model?.disks ?? []).filter((d) => d.diskId).map((d) => value(d.diskId!.value, 'Disk', 'reference'));
  }
  if (element === 'File' && attribute === 'href') {
    const used = new Set(model?.files.map((f) => f.href?.value));
    return (pkg?.siblings ?? [])
      .filter((s) => !/\.(ovf|mf|cert)$/i.test(s.name))
      .map((s) => ({ ...value(s.name, `${formatBytes(s.size)}${used.has(s.name) ? ' · already referenced' : ''}`, 'file'), sortText: used.has(s.name) ? `1${s.name}` : `0${s.name}` }));
  }
  if (element === 'File' && attribute === 'compression') return [value('gzip', 'refused by vCloud Director'), value('identity', 'not compressed')];
  if (element === 'Disk' && attribute === 'capacityAllocationUnits') return ['byte * 2^30', 'byte * 2^20', 'byte'].map((u) => value(u));
  if (element === 'Disk' && attribute === 'format') {
    return ['streamOptimized', 'monolithicSparse'].map((f) => value(`http://www.vmware.com/interfaces/specifications/vmdk.html#${f}`, `VMDK ${f}`));
  }
  if (element === 'Item' && attribute === 'configuration') {
    const section = model?.deploymentOptionSection;
    return (section?.children ?? []).filter((c) => c.local === 'Configuration').map((c) => value(c.attributes.find((a) => a.local === 'id')?.value ?? '', 'Configuration')).filter((c) => c.label);
  }
  if (element === 'Property' && attribute === 'type') return PROPERTY_TYPES.map((t) => value(t, 'OVF property type'));
  // Otherwise what the schema table says the attribute holds.
  const type = ELEMENTS[element]?.attributes.find((a) => a.name === attribute)?.type;
  if (type === 'boolean') return [value('true'), value('false')];
  if (type === 'bound') return [value('min', 'lower bound of a range'), value('normal', 'the default value'), value('max', 'upper bound of a range')];
  return [];
}

function textCompletions(parent: OpenElement, replace: Span, offset: number, model: Descriptor | undefined): Completion[] {
  const value = (label: string, detail?: string, kind: CompletionKind = 'value', sortText?: string): Completion => ({ label, kind, detail, insertText: label, replace, sortText });
  switch (parent.local) {
    case 'ResourceType':
      return Object.entries(RESOURCE_TYPES).map(([code, name]) => ({
        ...value(`${code} — ${name}`, name, 'value', code.padStart(3, '0')),
        insertText: code,
        filterText: `${code} ${name}`,
        documentation: name,
      }));
    case 'ResourceSubType':
      return Object.entries(RESOURCE_SUBTYPES).map(([sub, what]) => value(sub.replace(/^vmxnet3$/, 'VmxNet3').replace(/^e1000$/, 'E1000').replace(/^e1000e$/, 'E1000e').replace(/^virtualscsi$/, 'VirtualSCSI'), what));
    case 'HostResource':
      return [
        ...(model?.disks ?? []).filter((d) => d.diskId).map((d) => value(`ovf:/disk/${d.diskId!.value}`, 'Disk', 'reference')),
        ...(model?.files ?? []).filter((f) => f.id).map((f) => value(`ovf:/file/${f.id!.value}`, f.href?.value ?? 'File', 'reference')),
      ];
    case 'Connection':
      return (model?.networks ?? []).filter((n) => n.name).map((n) => value(n.name!.value, 'Network', 'reference'));
    case 'Parent': {
      const sections = model?.virtualSystems.flatMap((vs) => vs.hardware) ?? [];
      const here = sections.find((hw) => offset >= hw.element.span.start && offset <= hw.element.span.end) ?? sections[0];
      return (here?.items ?? [])
        .filter((i) => i.instanceId && ['5', '6', '20', '23'].includes(i.resourceType?.value ?? ''))
        .map((i) => value(i.instanceId!.value, `${i.elementName?.value ?? ''} (${RESOURCE_TYPES[i.resourceType!.value]})`, 'reference'));
    }
    case 'VirtualSystemType':
      return Object.entries(VMX_VERSIONS).reverse().map(([v, esxi], i) => value(`vmx-${v}`, esxi, 'value', String(i).padStart(2, '0')));
    case 'AllocationUnits':
      return [value('byte * 2^20', 'megabytes (memory)'), value('byte * 2^30', 'gigabytes'), value('hertz * 10^6', 'megahertz (CPU)')];
  }
  return [];
}
