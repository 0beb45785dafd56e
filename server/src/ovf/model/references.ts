// The cross-references of a descriptor, resolved once per model: ids to definitions, and every
// place that refers to them. Rules, go-to-definition, references and rename all read this.
import { Span } from '../findings';
import { perModel } from './perModel';
import { Descriptor, DiskDef, FileRef, HardwareItem, NetworkDef, TextValue, VirtualHardwareSection } from './descriptor';

export interface HostResourceRef {
  kind: 'disk' | 'file';
  id: string;
  /** Written as `ovf:/disk/x`; false for the prefix-less `/disk/x`. */
  prefixed: boolean;
  /** Where the id stands inside the text. */
  idSpan: Span;
  source: TextValue;
}

export interface DescriptorIndex {
  files: Map<string, FileRef[]>;
  disks: Map<string, DiskDef[]>;
  networks: Map<string, NetworkDef[]>;
  hostResources: HostResourceRef[];
  /** InstanceIDs per hardware section. */
  instanceIds: Map<VirtualHardwareSection, Map<string, HardwareItem[]>>;
}

export const indexOf: (doc: Descriptor) => DescriptorIndex = perModel(buildIndex);

function buildIndex(doc: Descriptor): DescriptorIndex {
  const files = groupBy(doc.files, (f) => f.id?.value);
  const disks = groupBy(doc.disks, (d) => d.diskId?.value);
  const networks = groupBy(doc.networks, (n) => n.name?.value);
  const hostResources: HostResourceRef[] = [];
  const instanceIds = new Map<VirtualHardwareSection, Map<string, HardwareItem[]>>();
  for (const vs of doc.virtualSystems) {
    for (const hw of vs.hardware) {
      instanceIds.set(hw, groupBy(hw.items, (i) => i.instanceId?.value));
      for (const item of hw.items) {
        for (const hr of item.hostResources) {
          const ref = parseHostResource(hr);
          if (ref) hostResources.push(ref);
        }
      }
    }
  }
  return { files, disks, networks, hostResources, instanceIds };
}

/** `ovf:/disk/ID`, `ovf:/file/ID`, OVF 0.9's `ovf://disk/ID`, and the prefix-less `/disk/ID` some exporters write. */
export function parseHostResource(source: TextValue): HostResourceRef | undefined {
  let ref = parsedHostResources.get(source);
  if (ref === undefined) parsedHostResources.set(source, (ref = readHostResource(source) ?? null));
  return ref ?? undefined;
}

/** Per model value: rules ask for the host resources of every Item again per deployment configuration. */
const parsedHostResources = new WeakMap<TextValue, HostResourceRef | null>();

function readHostResource(source: TextValue): HostResourceRef | undefined {
  const m = /^(ovf:\/?)?\/(disk|file)\/(.+)$/.exec(source.value);
  if (!m) return undefined;
  const idStart = source.span.start + source.value.length - m[3].length;
  return {
    kind: m[2] as 'disk' | 'file',
    id: m[3],
    prefixed: m[1] !== undefined,
    idSpan: { start: idStart, end: idStart + m[3].length },
    source,
  };
}

/** The deployment configurations an item belongs to; undefined means all of them. */
export function configurationsOf(item: HardwareItem): Set<string> | undefined {
  const value = item.configuration?.value.trim();
  return value ? new Set(value.split(/\s+/)) : undefined;
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
