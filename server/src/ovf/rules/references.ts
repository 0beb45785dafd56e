// References: every id a descriptor refers to is defined, and every definition is used.
import { Fix, RelatedSpan, Span } from '../findings';
import { Descriptor, ovfAttr } from '../model/descriptor';
import { schemaWalk } from '../model/schemaWalk';
import { ELEMENTS } from '../knowledge/schema';
import { PackageFacts } from '../package/packageFacts';
import { indexOf } from '../model/references';
import { Rule } from './rule';

function declared(kind: string, ids: Iterable<string>): string {
  const list = [...ids];
  return list.length === 0 ? `no ${kind} is declared` : `declared: ${list.map((i) => `'${i}'`).join(', ')}`;
}

function sectionRelated(element: { nameSpan: { start: number; end: number } } | undefined, message: string): RelatedSpan[] | undefined {
  return element ? [{ span: element.nameSpan, message }] : undefined;
}

export const diskFileRef: Rule = {
  code: 'ref/file-ref',
  target: 'generic',
  category: 'reference',
  severity: 'error',
  description: 'A Disk ovf:fileRef must name the ovf:id of a File in References.',
  source: 'DSP0243 1.1.0 clause 9.1 (ovf:fileRef names a File of References)',
  check({ doc, pkg, report }) {
    const { files } = indexOf(doc);
    for (const disk of doc.disks) {
      const ref = disk.fileRef;
      if (!ref) continue;
      if (ref.value === '') {
        report(ref.span, `Disk '${disk.diskId?.value ?? ''}' has an empty ovf:fileRef; remove the attribute for a blank disk, or name a File`, {
          fixes: [{ title: 'Remove the empty ovf:fileRef', edits: [removeAttribute(doc, ref.attribute)] }],
        });
        continue;
      }
      if (!files.has(ref.value)) {
        report(ref.span, `Disk '${disk.diskId?.value ?? ''}' refers to File '${ref.value}', which References does not declare (${declared('File', files.keys())})`, {
          related: sectionRelated(doc.references, 'the References section'),
          fixes: [...useUnusedFileFix(doc, ref.span), ...(addFileFixes(doc, ref.value, pkg) ?? [])],
        });
      }
    }
  },
};

export const diskParentRef: Rule = {
  code: 'ref/parent-ref',
  target: 'generic',
  category: 'reference',
  severity: 'error',
  description: 'A Disk ovf:parentRef must name the ovf:diskId of another Disk.',
  source: 'DSP0243 1.1.0 clause 9.1 (ovf:parentRef names another Disk: delta disks)',
  check({ doc, report }) {
    const { disks } = indexOf(doc);
    for (const disk of doc.disks) {
      const ref = disk.parentRef;
      if (ref && ref.value !== '' && !disks.has(ref.value)) {
        report(ref.span, `Disk '${disk.diskId?.value ?? ''}' has parent '${ref.value}', which is no Disk in DiskSection (${declared('Disk', disks.keys())})`, {
          related: sectionRelated(doc.diskSection, 'the DiskSection'),
        });
      }
    }
  },
};

export const hostResource: Rule = {
  code: 'ref/host-resource',
  target: 'generic',
  category: 'reference',
  severity: 'error',
  description: 'rasd:HostResource ovf:/disk/ID must name a Disk, and ovf:/file/ID a File.',
  source: "DSP0243 1.1.0 clause 9.1 (ovf:/disk/ID and ovf:/file/ID references); VMware's OVF 0.9 (ovf://disk/ID)",
  check({ doc, report }) {
    const { disks, files, hostResources } = indexOf(doc);
    for (const ref of hostResources) {
      const known = ref.kind === 'disk' ? disks : files;
      if (known.has(ref.id)) continue;
      const kind = ref.kind === 'disk' ? 'Disk' : 'File';
      const section = ref.kind === 'disk' ? doc.diskSection : doc.references;
      report(ref.idSpan, `HostResource refers to ${kind} '${ref.id}', which is not declared (${declared(kind, known.keys())})`, {
        related: sectionRelated(section, ref.kind === 'disk' ? 'the DiskSection' : 'the References section'),
      });
    }
  },
};

export const extraConfigFile: Rule = {
  code: 'ref/extra-config-file',
  target: 'generic',
  category: 'reference',
  severity: 'error',
  description: "A VMware vmw:ExtraConfig (or vmw:Config) value 'ovf:/file/ID' (the VM's NVRAM, for instance) must name the ovf:id of a File in References.",
  source: 'VMware OVF extensions: vSphere exports the NVRAM file as a File and refers to it from vmw:ExtraConfig nvram = ovf:/file/ID (observed in vCenter/ovftool exports)',
  check({ doc, report }) {
    const { files } = indexOf(doc);
    for (const vs of doc.virtualSystems) {
      for (const hw of vs.hardware) {
        for (const c of hw.element.children) {
          if (c.local !== 'ExtraConfig' && c.local !== 'Config') continue;
          const value = c.attributes.find((a) => a.local === 'value' && a.prefix !== '' && a.ns?.startsWith('http://www.vmware.com/schema/ovf'));
          const m = value && /^(\s*ovf:\/file\/)(.+?)\s*$/.exec(value.value);
          if (!m || files.has(m[2])) continue;
          report(partOfValue(doc, value.valueSpan, value.value, m[1].length, m[2].length), `${c.name} '${c.attributes.find((a) => a.local === 'key')?.value ?? ''}' refers to File '${m[2]}', which References does not declare (${declared('File', files.keys())})`, {
            related: sectionRelated(doc.references, 'the References section'),
          });
        }
      }
    }
  },
};

export const configuration: Rule = {
  code: 'ref/configuration',
  target: 'generic',
  category: 'reference',
  severity: 'error',
  description: 'Every name in an ovf:configuration list (of an Item, or of a Property Value) must be the ovf:id of a Configuration in the DeploymentOptionSection.',
  source: 'DSP0243 1.1.0 clause 9.8 ("The configuration attribute shall not contain an identifier that is not defined in the DeploymentOptionSection")',
  check({ doc, report }) {
    if (!doc.isOvf) return;
    const declaredIds = new Set((doc.deploymentOptionSection?.children ?? []).filter((c) => c.local === 'Configuration').map((c) => ovfAttr(c, 'id')?.value ?? ''));
    for (const k of schemaWalk(doc).known) {
      if (!CONFIGURABLE.has(k.spec)) continue;
      const attr = ovfAttr(k.element, 'configuration');
      if (!attr) continue;
      for (const m of attr.value.matchAll(/\S+/g)) {
        if (declaredIds.has(m[0])) continue;
        report(partOfValue(doc, attr.span, attr.value, m.index!, m[0].length), `Configuration '${m[0]}' is not declared (${declared('Configuration', declaredIds)}); the item is never selected`, {
          related: sectionRelated(doc.deploymentOptionSection, 'the DeploymentOptionSection'),
        });
      }
    }
  },
};

/** The elements that take ovf:configuration (Items and their OVF 2.x kin, Property values). */
const CONFIGURABLE = new Set(Object.values(ELEMENTS).filter((spec) => spec.attributes.some((a) => a.name === 'configuration')));

export const hostResourcePrefix: Rule = {
  code: 'ref/host-resource-prefix',
  target: 'generic',
  category: 'reference',
  severity: 'warning',
  description: "HostResource values should be written 'ovf:/disk/ID'; the prefix-less '/disk/ID' that some exporters write is refused by strict readers.",
  source: 'DSP0243 1.1.0 clause 9.1 (the ovf:/disk/ form); ovftool (observed: strict about the prefix)',
  check({ doc, report }) {
    for (const ref of indexOf(doc).hostResources) {
      if (ref.prefixed) continue;
      report(ref.source.span, `HostResource '${ref.source.value}' lacks the 'ovf:' prefix; strict readers (ovftool, vCloud) expect 'ovf:${ref.source.value}'`, {
        fixes: [{ title: `Write 'ovf:${ref.source.value}'`, edits: [{ span: { start: ref.source.span.start, end: ref.source.span.start }, newText: 'ovf:' }], preferred: true }],
      });
    }
  },
};

export const connection: Rule = {
  code: 'ref/connection',
  target: 'generic',
  category: 'reference',
  severity: 'warning',
  description: 'rasd:Connection should name a Network of the NetworkSection.',
  source: 'DSP0243 1.1.0 clause 9.2 (rasd:Connection names a Network of the NetworkSection)',
  check({ doc, report }) {
    if (!doc.isOvf) return;
    const { networks } = indexOf(doc);
    for (const vs of doc.virtualSystems) {
      for (const hw of vs.hardware) {
        for (const item of hw.items) {
          for (const c of item.connections) {
            if (c.value === '' || networks.has(c.value)) continue;
            report(c.span, `Connection '${c.value}' names no network of the NetworkSection (${declared('network', networks.keys())}); targets cannot map it`, {
              related: sectionRelated(doc.networkSection, 'the NetworkSection'),
            });
          }
        }
      }
    }
  },
};

export const itemParent: Rule = {
  code: 'ref/parent',
  target: 'generic',
  category: 'reference',
  severity: 'warning',
  description: "rasd:Parent should name the InstanceID of another item (the device's controller) in the same hardware section.",
  source: 'CIM_ResourceAllocationSettingData (Parent is the InstanceID of the parent device)',
  check({ doc, report }) {
    for (const [hw, ids] of indexOf(doc).instanceIds) {
      for (const item of hw.items) {
        const parent = item.parent;
        if (parent && parent.value !== '' && !ids.has(parent.value)) {
          report(parent.span, `Parent '${parent.value}' is the InstanceID of no item in this hardware section; the device has no controller to attach to`);
        }
      }
    }
  },
};

export const unreferencedFile: Rule = {
  code: 'ref/unreferenced-file',
  target: 'generic',
  category: 'reference',
  severity: 'information',
  description: 'A File that no Disk or HostResource refers to is carried in the package but not used by any VM.',
  source: 'DSP0243 1.1.0 clause 7.1 (files the descriptor does not use are allowed)',
  check({ doc, report }) {
    const used = usedFileIds(doc);
    for (const f of doc.files) {
      if (f.id && !used.has(f.id.value)) {
        report(f.id.span, `File '${f.id.value}' is not used by any Disk or HostResource; it is uploaded but no VM uses it`);
      }
    }
  },
};

export const unusedDisk: Rule = {
  code: 'ref/unused-disk',
  target: 'generic',
  category: 'reference',
  severity: 'information',
  description: 'A Disk that no HostResource (or child disk) refers to is not attached to any VM.',
  source: 'DSP0243 1.1.0 clause 9.1 (a Disk is attached through a HostResource)',
  check({ doc, report }) {
    const { hostResources } = indexOf(doc);
    const used = new Set(hostResources.filter((r) => r.kind === 'disk').map((r) => r.id));
    for (const d of doc.disks) if (d.parentRef) used.add(d.parentRef.value);
    for (const d of doc.disks) {
      if (d.diskId && !used.has(d.diskId.value)) {
        report(d.diskId.span, `Disk '${d.diskId.value}' is not attached to any VM (no HostResource 'ovf:/disk/${d.diskId.value}')`);
      }
    }
  },
};

function usedFileIds(doc: Descriptor): Set<string> {
  const used = new Set<string>();
  for (const d of doc.disks) if (d.fileRef) used.add(d.fileRef.value);
  for (const r of indexOf(doc).hostResources) if (r.kind === 'file') used.add(r.id);
  return used;
}

/**
 * The span of part of an attribute value; the whole value when entity references make the decoded
 * value differ from the text (offsets into one would be wrong in the other).
 */
function partOfValue(doc: Descriptor, valueSpan: Span, value: string, start: number, length: number): Span {
  if (doc.text.slice(valueSpan.start, valueSpan.end) !== value) return valueSpan;
  return { start: valueSpan.start + start, end: valueSpan.start + start + length };
}

/** An edit removing an attribute together with the white space before it. */
export function removeAttribute(doc: Descriptor, attr: { nameSpan: { start: number }; valueSpan: { end: number } }) {
  let start = attr.nameSpan.start;
  while (start > 0 && /\s/.test(doc.text[start - 1])) start--;
  return { span: { start, end: attr.valueSpan.end + 1 }, newText: '' };
}

/** When exactly one File is used by nothing, a dangling fileRef most likely means it. */
function useUnusedFileFix(doc: Descriptor, refSpan: { start: number; end: number }): Fix[] {
  const used = usedFileIds(doc);
  const unused = doc.files.filter((f) => f.id && f.id.value !== '' && !used.has(f.id.value));
  if (unused.length !== 1) return [];
  const id = unused[0].id!.value;
  const shown = unused[0].href ? ` (${unused[0].href.value})` : '';
  // The id as written (already escaped for an attribute value).
  const written = doc.text.slice(unused[0].id!.span.start, unused[0].id!.span.end);
  return [{ title: `Change to '${id}'${shown}, the only unused File`, preferred: true, edits: [{ span: refSpan, newText: written }] }];
}

const DISK_FILE = /\.(vmdk|img|iso|vhd|vhdx|qcow2|raw|nvram)$/i;

/** One fix per disk-like file beside the descriptor that no File names yet: declare it with this id. */
function addFileFixes(doc: Descriptor, id: string, pkg: PackageFacts | undefined): Fix[] | undefined {
  const references = doc.references;
  if (!references || !pkg?.siblings) return undefined;
  const used = new Set(doc.files.map((f) => f.href?.value));
  const prefix = doc.files[0]?.id?.attribute.prefix || 'ovf';
  const fileTag = doc.files[0]?.element.name ?? (references.prefix ? `${references.prefix}:File` : 'File');
  const closeAt = doc.text.lastIndexOf('</', references.span.end);
  const selfClosing = closeAt < references.startTagEnd;
  const lineStart = doc.text.lastIndexOf('\n', references.span.start) + 1;
  const indent = /^[ \t]*/.exec(doc.text.slice(lineStart))![0];
  return pkg.siblings
    .filter((s) => DISK_FILE.test(s.name) && !used.has(s.name))
    .slice(0, 5)
    .map((s) => {
      const file = `<${fileTag} ${prefix}:href="${s.name}" ${prefix}:id="${id}" ${prefix}:size="${s.size}"/>`;
      const edit = selfClosing
        ? { span: references.span, newText: `<${references.name}>\n${indent}  ${file}\n${indent}</${references.name}>` }
        : { span: { start: closeAt, end: closeAt }, newText: `  ${file}\n${indent}` };
      return { title: `Declare File '${id}' for ${s.name} in References`, edits: [edit] };
    });
}
