// Structure: the descriptor is an OVF envelope with the sections and ids OVF requires.
import { ELEMENTS, knownIn } from '../knowledge/schema';
import { Attr, Descriptor, FileRef, ovfAttr, VirtualSystemDef } from '../model/descriptor';
import { boundOf, combineItems, samePlace, selectedTogether } from '../model/itemMerge';
import { configurationNames, effectiveHardware, MAX_CONFIGURATION_ITEMS } from '../model/effectiveHardware';
import { indexOf } from '../model/references';
import { schemaWalk } from '../model/schemaWalk';
import { OVF_NS_1, OVF_NS_2, OVF_NS_09 } from '../model/version';
import { XmlElement } from '../xml/xmlTree';
import { Rule, RuleContext } from './rule';

export const notAnEnvelope: Rule = {
  code: 'ovf/not-an-envelope',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'The root element must be an OVF Envelope in a known OVF namespace (0.9, 1.x or 2.x).',
  source: "DSP0243 1.1.0 and 2.1.1 clause 7 (the Envelope root and its namespace); VMware's OVF 0.9 envelope namespace",
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
  source: "DSP8023 Envelope_Type (References and one Content are required); DSP0243 1.1.0 clause 8 (a VirtualSystem's hardware is its VirtualHardwareSection)",
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

export const missingAttribute: Rule = {
  code: 'ovf/missing-attribute',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'An attribute the OVF schema requires is missing (File ovf:id and ovf:href, Disk ovf:diskId, Network ovf:name, VirtualSystem ovf:id, Configuration ovf:id, OperatingSystemSection ovf:id, StartupSection Item ovf:id and ovf:order, Icon ovf:fileRef, Value ovf:value).',
  source: 'DSP8023 (the OVF envelope schema of DSP0243 1.1.0 and 2.1.x): attributes with use="required"',
  check({ doc, report }) {
    const walk = schemaWalk(doc);
    for (const { element, kind, missingAttributes } of walk.known) {
      for (const name of missingAttributes ?? []) report(element.nameSpan, `<${kind}> has no ovf:${name} attribute, which OVF requires`);
    }
  },
};

export const missingElement: Rule = {
  code: 'ovf/missing-element',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: "A child element OVF requires is missing: every Section's and VirtualSystem's Info, an Item's rasd:InstanceID, rasd:ResourceType and rasd:ElementName, System's vssd:ElementName and vssd:InstanceID, a Configuration's Label and Description, an EulaSection's License.",
  source: 'DSP8023 (Section_Type and Content_Type require Info); CIM_ResourceAllocationSettingData and CIM_VirtualSystemSettingData schemas (InstanceID is the key, ElementName is Required in CIM_SettingData); DSP0243 1.1.0 clause 9.8 ("All Item elements shall specify ResourceType")',
  check({ doc, report }) {
    const walk = schemaWalk(doc);
    for (const { element, kind, missingChildren, missingProperties } of walk.known) {
      for (const name of missingChildren ?? []) report(element.nameSpan, `<${kind}> has no <${name}>, which OVF requires here`);
      for (const name of missingProperties ?? []) {
        const [prefix, cimClass] = CIM_CLASS_OF[kind];
        report(element.nameSpan, `<${kind}> has no ${prefix}:${name}, which ${name === 'ResourceType' ? 'OVF (DSP0243 clause 9.8)' : cimClass} requires`);
      }
    }
  },
};

const CIM_CLASS_OF: Record<string, [string, string]> = {
  System: ['vssd', 'CIM_VirtualSystemSettingData'],
  Item: ['rasd', 'CIM_ResourceAllocationSettingData'],
  StorageItem: ['sasd', 'CIM_StorageAllocationSettingData'],
  EthernetPortItem: ['epasd', 'CIM_EthernetPortAllocationSettingData'],
};

export const misplacedSection: Rule = {
  code: 'ovf/misplaced-section',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'A section or element stands where OVF does not allow it (e.g. a DiskSection inside a VirtualSystem, a StartupSection in a VirtualSystem). A ResourceAllocationSection in a VirtualSystem is a warning: OpenStack Glance reads it there.',
  source: 'DSP0243 1.1.0 clause 9 and 2.1.1 clause 9 (the table of core sections and where each may stand); DSP8023 content models',
  check({ doc, report }) {
    for (const { element, kind, parentKind, tolerated } of schemaWalk(doc).misplaced) {
      const where = placesOf(kind);
      report(element.nameSpan, `<${kind}> is not allowed in <${parentKind}>${where.length ? `; OVF places it in ${where.map((p) => `<${p}>`).join(' or ')}` : ''}`, {
        severity: tolerated ? 'warning' : undefined,
      });
    }
  },
};

function placesOf(kind: string): string[] {
  return Object.entries(ELEMENTS).filter(([, spec]) => spec.children.some((c) => c.vocabulary === 'ovf' && c.name === kind && !c.tolerated)).map(([name]) => name.replace(/\/.*$/, ''));
}

/**
 * Namespaces whose content is understood: VMware's and vCloud's extensions (both targets' importers
 * read them), and the DMTF CIM classes and W3C XML Encryption/Signature that OVF 2.x sections
 * (BootDeviceSection, EncryptionSection) embed by design.
 */
const UNDERSTOOD = [
  /^http:\/\/www\.vmware\.com\/schema\/ovf/, /^http:\/\/www\.vmware\.com\/vcloud\//,
  /^http:\/\/schemas\.dmtf\.org\/wbem\/wscim\//, /^http:\/\/www\.w3\.org\/(2001\/04\/xmlenc|2000\/09\/xmldsig)#/,
];

export const unknownRequired: Rule = {
  code: 'ovf/unknown-required',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'An element OVF does not define, or a vendor extension, that is ovf:required (the default): an importer that does not understand it must refuse the package. An error for OVF-namespace elements and explicit ovf:required="true"; a warning for extensions that leave ovf:required out (Ganeti does), since their own tools read them. VMware and vCloud extensions are understood by both targets; DMTF CIM and W3C XML Encryption content that OVF 2.x sections embed is not an extension.',
  source: 'DSP0243 1.1.0 and 2.1.1 clause 7.3 (ovf:required defaults to true; a consumer that does not understand a required extension shall fail)',
  check({ doc, report }) {
    const walk = schemaWalk(doc);
    const version = doc.version === '2.x' ? 'OVF 2.x' : `OVF ${doc.version}`;
    for (const { element, kind, parentKind } of walk.unknown) {
      const required = requiredValue(element);
      if (required === false) continue;
      const newer = ELEMENTS[kind] && !knownIn(ELEMENTS[kind], walk.family) ? ` (it is an OVF 2.x element; this descriptor is ${version})` : '';
      // Written in the OVF 2 namespace inside an older envelope, it is an extension OVF 2-aware
      // importers understand (vSphere imports govmomi's ScaleOutSection fixtures): a warning.
      const foreign = newer !== '' && element.ns !== doc.root?.ns;
      report(element.nameSpan, `<${kind}> in <${parentKind}> is no ${version} element${newer} and is ovf:required${required === undefined ? ' (the default)' : ''}: importers ${foreign ? 'that know only ' + version + ' ' : ''}must refuse the package; remove it, or mark it ovf:required="false" if the package works without it`, {
        severity: foreign ? 'warning' : undefined,
      });
    }
    for (const { element, parentKind } of walk.extensions) {
      const required = requiredValue(element);
      if (required === false || !element.ns || UNDERSTOOD.some((ns) => ns.test(element.ns!))) continue;
      report(element.nameSpan, `Extension <${element.name}> in <${parentKind}> is ovf:required${required === undefined ? ' (the default)' : ''}: an importer that does not understand ${element.ns} must refuse the package; mark it ovf:required="false" if the package works without it`, {
        severity: required === undefined ? 'warning' : undefined,
      });
    }
  },
};

/** ovf:required as written: true, false, or undefined when absent (the default, true). */
function requiredValue(element: XmlElement): boolean | undefined {
  const value = ovfAttr(element, 'required')?.value.trim();
  if (value === undefined) return undefined;
  return !(value === 'false' || value === '0');
}

export const missingCapacity: Rule = {
  code: 'ovf/missing-capacity',
  target: 'generic',
  category: 'structure',
  severity: 'warning',
  description: 'OVF requires ovf:capacity on every Disk; some exporters (VirtualBox, Ganeti) omit it and strict importers then refuse the disk.',
  source: 'DSP8023 VirtualDiskDesc_Type (ovf:capacity use="required"); VirtualBox and Ganeti exports omit it (observed)',
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
  description: 'File ids and Disk ids must be unique in the envelope; a VirtualSystem or VirtualSystemCollection id among its siblings (a collection may share its id with a VM inside it, as vCloud Director exports do).',
  source: 'DSP0243 1.1.0 clauses 7.1 (File ovf:id), 9.1 (Disk ovf:diskId), 7.2 (Content ovf:id unique among siblings)',
  check({ doc, report }) {
    if (!doc.isOvf) return;
    reportDuplicates('File', doc.files.map((f) => f.id), report);
    reportDuplicates('Disk', doc.disks.map((d) => d.diskId), report);
    for (const vs of allSystems(doc)) {
      if (vs.kind === 'VirtualSystemCollection') reportDuplicates('VirtualSystem', vs.children.map((c) => c.id), report, 'in this collection');
    }
  },
};

function reportDuplicates(kind: string, attrs: Array<Attr | undefined>, report: RuleContext['report'], scope = 'in the envelope'): void {
  for (const [attr, earlier] of repeats(attrs.filter((a): a is Attr => !!a).map((a) => [a.value, a]))) {
    report(attr.span, `${kind} id '${attr.value}' is already used ${scope}; ids must be unique`, {
      related: [{ span: earlier.span, message: `first ${kind} with id '${attr.value}'` }],
    });
  }
}

/** Each later occurrence of a key with the first one: `[later, first]`, in document order. */
export function repeats<T>(entries: Array<[string, T]>): Array<[T, T]> {
  const first = new Map<string, T>();
  const out: Array<[T, T]> = [];
  for (const [key, value] of entries) {
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, value);
    else out.push([value, earlier]);
  }
  return out;
}

export const duplicateHref: Rule = {
  code: 'ovf/duplicate-href',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'Two Files name the same ovf:href: a package holds each file once, so sizes, manifest entries and uploads of the two cannot both be right.',
  source: 'DSP0243 1.1.0 clauses 5.1 and 7.1 (each File element describes one file of the package)',
  check({ doc, report }) {
    const hrefs = doc.files.filter((f) => f.href).map((f): [string, FileRef] => [f.href!.value, f]);
    for (const [f, earlier] of repeats(hrefs)) {
      report(f.href!.span, `File '${f.id?.value ?? ''}' names '${f.href!.value}', which another File already names; declare the file once and refer to that File's id`, {
        related: [{ span: earlier.href!.span, message: `first File with href '${f.href!.value}'` }],
      });
    }
  },
};

export const duplicateInstanceId: Rule = {
  code: 'ovf/duplicate-instance-id',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'Items sharing an InstanceID combine (per deployment configuration and ovf:bound), so they must agree on ResourceType and have at most one min and one max marker; two Items that replace each other outright (both unconditional, or with a common configuration) are a warning: the later one silently wins.',
  source: 'DSP0243 1.1.0 clause 9.8 (combining Items of one InstanceID; they shall agree on ResourceType) and clause 8.4 (at most one min and one max range marker)',
  check({ doc, report }) {
    for (const [, byId] of indexOf(doc).instanceIds) {
      for (const [id, items] of byId) {
        for (let i = 1; i < items.length; i++) {
          const item = items[i];
          const earlier = items.slice(0, i);
          const span = item.instanceId!.span;
          const type = item.resourceType?.value.trim();
          const conflict = earlier.find((o) => selectedTogether(o, item) && type !== undefined && o.resourceType !== undefined && o.resourceType.value.trim() !== type);
          if (conflict) {
            report(span, `InstanceID '${id}' is already a ResourceType ${conflict.resourceType!.value.trim()} item; Items of one InstanceID combine and must agree on ResourceType, so give this device its own InstanceID`, {
              related: [{ span: conflict.instanceId!.span, message: `item with InstanceID '${id}' and ResourceType ${conflict.resourceType!.value.trim()}` }],
            });
            continue;
          }
          const bound = boundOf(item);
          const clash = earlier.find((o) => boundOf(o) === bound && samePlace(o, item));
          if (!clash) continue;
          if (bound === 'min' || bound === 'max') {
            report(span, `InstanceID '${id}' already has a ${bound} range marker; at most one per InstanceID`, {
              related: [{ span: clash.instanceId!.span, message: `first ${bound} marker of InstanceID '${id}'` }],
            });
          } else {
            report(span, `InstanceID '${id}' is already used in this hardware section: this Item's properties replace the earlier Item's, so one of the two devices is lost; give each device its own InstanceID`, {
              severity: 'warning',
              related: [{ span: clash.instanceId!.span, message: `first item with InstanceID '${id}'` }],
            });
          }
        }
      }
    }
  },
};

export const boundWithoutNormal: Rule = {
  code: 'ovf/bound-without-normal',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'An Item with ovf:bound="min" or "max" is a range marker for the normal Item of its InstanceID, which must exist.',
  source: 'DSP0243 1.1.0 clause 8.4 ("An Item element with a range marker shall have a corresponding Item element without a range marker")',
  check({ doc, report }) {
    for (const [, byId] of indexOf(doc).instanceIds) {
      for (const [id, items] of byId) {
        for (const item of items) {
          const bound = boundOf(item);
          if (bound !== 'min' && bound !== 'max') continue;
          if (items.some((o) => boundOf(o) === 'normal' && selectedTogether(o, item))) continue;
          report(item.bound!.span, `This ${bound} range marker of InstanceID '${id}' has no normal Item (one without ovf:bound) to bound; add the device's Item with its default value`);
        }
      }
    }
  },
};

/** Range-marked quantities (CIM uint properties a platform tunes within bounds). */
const RANGED = ['VirtualQuantity', 'Reservation', 'Limit', 'Weight'];

export const boundRange: Rule = {
  code: 'ovf/bound-range',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'With ovf:bound range markers, min <= normal <= max must hold for each quantity (VirtualQuantity, Reservation, Limit, Weight), in every deployment configuration.',
  source: 'DSP0243 1.1.0 clause 8.4 ("min <= normal <= max"; "The default value shall be inside the range")',
  check({ doc, report }) {
    // The configurations effectiveHardware judges (bounded work on hostile input), and the Items without one.
    const configurations = [undefined, ...effectiveHardware(doc).configurations.map((c) => c.id).filter((id): id is string => !!id)];
    const reported = new Set<XmlElement>();
    for (const vs of doc.virtualSystems) {
      for (const hw of vs.hardware) {
        if (!hw.items.some((i) => i.bound)) continue;
        for (const configuration of configurations) {
          const combined = combineItems(hw.items, configuration);
          const markers = new Map(combined.filter((c) => c.bound !== 'normal').map((c) => [`${c.bound} ${c.instanceId}`, c]));
          for (const normal of combined.filter((c) => c.bound === 'normal')) {
            for (const bound of ['min', 'max'] as const) {
              const marker = markers.get(`${bound} ${normal.instanceId}`);
              for (const name of RANGED) {
                const value = normal.properties.get(name)?.[0];
                const limit = marker?.properties.get(name)?.[0];
                if (!value || !limit || reported.has(limit) || !/^\d+$/.test(value.text) || !/^\d+$/.test(limit.text)) continue;
                const outside = bound === 'min' ? Number(limit.text) > Number(value.text) : Number(limit.text) < Number(value.text);
                if (!outside) continue;
                reported.add(limit);
                report(limit.textSpan, `The ${bound} ${name} of InstanceID '${normal.instanceId}' is ${limit.text}, ${bound === 'min' ? 'above' : 'below'} its normal value ${value.text}${configuration ? ` (configuration '${configuration}')` : ''}`, {
                  related: [{ span: value.textSpan, message: `the normal ${name}` }],
                });
              }
            }
          }
        }
      }
    }
  },
};

export const configurationsNotJudged: Rule = {
  code: 'ovf/configurations-not-judged',
  target: 'generic',
  category: 'structure',
  severity: 'information',
  description: 'The hardware of some deployment configurations was not checked: the descriptor has more configurations times hardware Items than ovfkit judges on each edit. The default configuration is always checked.',
  source: "ovfkit's work bound (MAX_CONFIGURATION_ITEMS), not an OVF rule: configurations times Items is quadratic in a hostile descriptor, and validation runs on every edit",
  check({ doc, report }) {
    const { configurations, unjudged } = effectiveHardware(doc);
    if (unjudged.length === 0) return;
    const span = unjudged[0].span ?? doc.root?.span;
    if (!span) return;
    const shown = unjudged.slice(0, 5);
    const more = unjudged.length > shown.length ? ` and ${unjudged.length - shown.length} more` : '';
    report(span, `The hardware of ${unjudged.length} of ${configurations.length + unjudged.length} deployment configurations was not checked (${configurationNames(shown)}${more}): ${configurations.length} configurations times this descriptor's hardware Items reach ovfkit's bound of ${MAX_CONFIGURATION_ITEMS.toLocaleString('en-US')} per validation. The default configuration and those before this one were checked`);
  },
};

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
