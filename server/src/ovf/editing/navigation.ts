// The named things of a descriptor and every place that names them: File ids, Disk ids, network
// names, InstanceIDs (scoped to their hardware section) and VirtualSystem ids. Definition,
// references, rename and hover all read this one list.
import { Span, TextEdit } from '../findings';
import { Descriptor, VirtualHardwareSection } from '../model/descriptor';
import { indexOf } from '../model/references';
import { allSystems } from '../rules/structure';

export type SymbolKind = 'file' | 'disk' | 'network' | 'instance' | 'system';

export interface Occurrence {
  kind: SymbolKind;
  name: string;
  /** InstanceIDs are unique per hardware section only. */
  scope?: VirtualHardwareSection;
  span: Span;
  isDefinition: boolean;
}

const KIND_NAMES: Record<SymbolKind, string> = {
  file: 'File id', disk: 'Disk id', network: 'network name', instance: 'InstanceID', system: 'VirtualSystem id',
};

const cache = new WeakMap<Descriptor, Occurrence[]>();

export function occurrences(doc: Descriptor): Occurrence[] {
  let list = cache.get(doc);
  if (!list) {
    list = collect(doc);
    cache.set(doc, list);
  }
  return list;
}

function collect(doc: Descriptor): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (kind: SymbolKind, name: string, span: Span, isDefinition: boolean, scope?: VirtualHardwareSection) => {
    if (name !== '') out.push({ kind, name, span, isDefinition, scope });
  };
  for (const f of doc.files) if (f.id) add('file', f.id.value, f.id.span, true);
  for (const d of doc.disks) {
    if (d.diskId) add('disk', d.diskId.value, d.diskId.span, true);
    if (d.fileRef) add('file', d.fileRef.value, d.fileRef.span, false);
    if (d.parentRef) add('disk', d.parentRef.value, d.parentRef.span, false);
  }
  for (const n of doc.networks) if (n.name) add('network', n.name.value, n.name.span, true);
  for (const ref of indexOf(doc).hostResources) add(ref.kind, ref.id, ref.idSpan, false);
  for (const vs of doc.virtualSystems) {
    for (const hw of vs.hardware) {
      for (const item of hw.items) {
        if (item.instanceId) add('instance', item.instanceId.value, item.instanceId.span, true, hw);
        if (item.parent) add('instance', item.parent.value, item.parent.span, false, hw);
        for (const c of item.connections) add('network', c.value, c.span, false);
      }
    }
  }
  for (const vs of allSystems(doc)) if (vs.id) add('system', vs.id.value, vs.id.span, true);
  for (const ref of startupReferences(doc)) add('system', ref.value, ref.span, false);
  return out;
}

/** StartupSection/Item ovf:id values name VirtualSystems. */
function startupReferences(doc: Descriptor): Array<{ value: string; span: Span }> {
  const refs: Array<{ value: string; span: Span }> = [];
  for (const vs of allSystems(doc)) {
    for (const section of vs.element.children) {
      if (section.local !== 'StartupSection') continue;
      for (const item of section.children) {
        const id = item.attributes.find((a) => a.local === 'id');
        if (id) refs.push({ value: id.value, span: id.valueSpan });
      }
    }
  }
  return refs;
}

/** The occurrence under the cursor (an offset at either end of a name counts). */
export function symbolAt(doc: Descriptor, offset: number): Occurrence | undefined {
  return occurrences(doc).find((o) => offset >= o.span.start && offset <= o.span.end);
}

export function sameSymbol(a: Occurrence, b: Occurrence): boolean {
  return a.kind === b.kind && a.name === b.name && (a.kind !== 'instance' || a.scope === b.scope);
}

export function occurrencesOf(doc: Descriptor, symbol: Occurrence): Occurrence[] {
  return occurrences(doc).filter((o) => sameSymbol(o, symbol));
}

export class RenameError extends Error {}

/** Edits renaming a symbol everywhere; throws RenameError for a name that would break the file. */
export function renameEdits(doc: Descriptor, symbol: Occurrence, newName: string): TextEdit[] {
  const what = KIND_NAMES[symbol.kind];
  if (newName === '') throw new RenameError(`A ${what} cannot be empty`);
  if (/[<&"']/.test(newName)) throw new RenameError(`A ${what} cannot contain < & " or '`);
  if (symbol.kind !== 'network' && /\s/.test(newName)) throw new RenameError(`A ${what} cannot contain white space`);
  if (symbol.kind !== 'network' && symbol.kind !== 'system' && newName.includes('/')) throw new RenameError(`A ${what} cannot contain '/'`);
  const clash = occurrences(doc).find((o) => o.isDefinition && o.kind === symbol.kind && o.name === newName && (symbol.kind !== 'instance' || o.scope === symbol.scope));
  if (clash && newName !== symbol.name) throw new RenameError(`${what[0].toUpperCase()}${what.slice(1)} '${newName}' is already used`);
  return occurrencesOf(doc, symbol).map((o) => ({ span: o.span, newText: newName }));
}
