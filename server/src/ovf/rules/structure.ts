// Structure: the descriptor is an OVF envelope with the sections and ids OVF requires.
import { Span } from '../findings';
import { Attr, Descriptor, VirtualSystemDef } from '../model/descriptor';
import { configurationsOf, indexOf } from '../model/references';
import { OVF_NS_1, OVF_NS_2, OVF_NS_09 } from '../model/version';
import { XmlElement } from '../xml/xmlTree';
import { Rule, RuleContext } from './rule';

export const notAnEnvelope: Rule = {
  code: 'ovf/not-an-envelope',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'The root element must be an OVF Envelope in a known OVF namespace (0.9, 1.x or 2.x).',
  source: 'DSP0243 1.1 §6, §7 (the descriptor root is an Envelope in the OVF envelope namespace); DSP8023 schema',
  check({ doc, report }) {
    const root = doc.root;
    if (!root || doc.isOvf) return;
    if (root.local !== 'Envelope') {
      report(root.nameSpan, `The root element is <${root.name}>, not an OVF <Envelope>; this file is not an OVF descriptor`);
    } else {
      report(
        root.nameSpan,
        `<Envelope> is in namespace '${root.ns ?? '(none)'}', which is no OVF version; use ${OVF_NS_1} (OVF 1.x), ${OVF_NS_2} (2.x) or ${OVF_NS_09} (0.9)`,
      );
    }
  },
};

export const missingSection: Rule = {
  code: 'ovf/missing-section',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'An Envelope needs a References section and one VirtualSystem or VirtualSystemCollection.',
  source: 'DSP0243 1.1 §7 (an Envelope has References and one VirtualSystem or VirtualSystemCollection); §8.1 (a VirtualSystem describes its hardware in a VirtualHardwareSection)',
  check({ doc, report }) {
    const root = doc.root;
    if (!root || !doc.isOvf) return;
    if (!doc.references) {
      report(root.nameSpan, 'The Envelope has no <References> section; add <References/> (with a <File> for each disk) as its first child');
    }
    if (!doc.content) {
      report(root.nameSpan, 'The Envelope has no <VirtualSystem> or <VirtualSystemCollection>; a package must describe at least one virtual machine');
    }
    for (const vs of doc.virtualSystems) {
      if (vs.hardware.length === 0) {
        report(vs.element.nameSpan, `VirtualSystem '${vs.id?.value ?? ''}' has no <VirtualHardwareSection>; without it no target can create the VM`, undefined);
      }
    }
  },
};

const REQUIRED: Array<[string, (doc: Descriptor) => Array<{ element: XmlElement; attrs: Record<string, Attr | undefined> }>]> = [
  ['File', (doc) => doc.files.map((f) => ({ element: f.element, attrs: { 'ovf:id': f.id, 'ovf:href': f.href } }))],
  ['Disk', (doc) => doc.disks.map((d) => ({ element: d.element, attrs: { 'ovf:diskId': d.diskId } }))],
  ['Network', (doc) => doc.networks.map((n) => ({ element: n.element, attrs: { 'ovf:name': n.name } }))],
  ['VirtualSystem', (doc) => allSystems(doc).map((vs) => ({ element: vs.element, attrs: { 'ovf:id': vs.id } }))],
];

export const missingAttribute: Rule = {
  code: 'ovf/missing-attribute',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'Required OVF attributes: File ovf:id and ovf:href, Disk ovf:diskId, Network ovf:name, VirtualSystem ovf:id.',
  source: 'DSP8023 (OVF envelope schema, use="required"): File ovf:id/ovf:href (DSP0243 1.1 §7.1), Disk ovf:diskId (§9.1), Network ovf:name (§9.2), Content ovf:id (§7.2)',
  check({ doc, report }) {
    if (!doc.isOvf) return;
    for (const [, list] of REQUIRED) {
      for (const { element, attrs } of list(doc)) {
        for (const [name, attr] of Object.entries(attrs)) {
          if (!attr) report(element.nameSpan, `<${element.local}> has no ${name} attribute, which OVF requires`);
        }
      }
    }
  },
};

export const missingCapacity: Rule = {
  code: 'ovf/missing-capacity',
  target: 'generic',
  category: 'structure',
  severity: 'warning',
  description: 'OVF requires ovf:capacity on every Disk; some exporters (VirtualBox, Ganeti) omit it and strict importers then refuse the disk.',
  source: 'DSP0243 1.1 §9.1 (ovf:capacity is required on Disk); observed: VirtualBox and Ganeti exports omit it',
  check({ doc, report }) {
    for (const d of doc.disks) {
      if (!d.capacity) {
        report(d.element.nameSpan, `Disk '${d.diskId?.value ?? ''}' has no ovf:capacity; strict importers (ovftool, vCloud) need the virtual disk size`);
      }
    }
  },
};

export const duplicateId: Rule = {
  code: 'ovf/duplicate-id',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'File ids, Disk ids and VirtualSystem ids must each be unique.',
  source: 'DSP0243 1.1 §7.1 (File ids), §9.1 (Disk ids), §7.2 (Content ids) must be unique',
  check({ doc, report }) {
    if (!doc.isOvf) return;
    const groups: Array<[string, Array<Attr | undefined>]> = [
      ['File', doc.files.map((f) => f.id)],
      ['Disk', doc.disks.map((d) => d.diskId)],
      ['VirtualSystem', allSystems(doc).map((vs) => vs.id)],
    ];
    for (const [kind, attrs] of groups) reportDuplicates(kind, attrs, report);
  },
};

function reportDuplicates(kind: string, attrs: Array<Attr | undefined>, report: RuleContext['report']): void {
  const first = new Map<string, Span>();
  for (const attr of attrs) {
    if (!attr) continue;
    const earlier = first.get(attr.value);
    if (earlier) {
      report(attr.span, `${kind} id '${attr.value}' is already used; ids must be unique`, {
        related: [{ span: earlier, message: `first ${kind} with id '${attr.value}'` }],
      });
    } else {
      first.set(attr.value, attr.span);
    }
  }
}

export const duplicateInstanceId: Rule = {
  code: 'ovf/duplicate-instance-id',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'Within a VirtualHardwareSection, InstanceIDs must be unique among items of the same deployment configuration.',
  source: 'DSP0243 1.1 §8.1, §8.4 (InstanceID unique within a VirtualHardwareSection; ovf:bound ranges) and §9.8 (ovf:configuration)',
  check({ doc, report }) {
    for (const [, byId] of indexOf(doc).instanceIds) {
      for (const [id, items] of byId) {
        for (let i = 1; i < items.length; i++) {
          const mine = configurationsOf(items[i]);
          const clash = items.slice(0, i).find((other) => overlaps(mine, configurationsOf(other)));
          if (clash) {
            report(items[i].instanceId!.span, `InstanceID '${id}' is already used in this hardware section`, {
              related: [{ span: clash.instanceId!.span, message: `first item with InstanceID '${id}'` }],
            });
          }
        }
      }
    }
  },
};

/**
 * An item with ovf:configuration overrides the default item of the same InstanceID for those
 * configurations (Cisco appliances do this), so only two defaults, or two items sharing a
 * configuration, clash.
 */
function overlaps(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!a && !b) return true;
  if (!a || !b) return false;
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** VirtualSystems and collections, in document order. */
export function allSystems(doc: Descriptor): VirtualSystemDef[] {
  const out: VirtualSystemDef[] = [];
  const walk = (vs: VirtualSystemDef | undefined) => {
    if (!vs) return;
    out.push(vs);
    vs.children.forEach(walk);
  };
  walk(doc.content);
  return out;
}
