// vCloud Director transfer service (seed 001, vCloud API Programming Guide, VCD tenant guide).
import { Buffer } from 'node:buffer';
import { TextEdit } from '../findings';
import { Attr, Descriptor } from '../model/descriptor';
import { formatBytes } from '../model/units';
import { hardwareNewerThan, systemTypesNotVmware } from './hardwareVersion';
import { vcloudVmNames, VCLOUD_MAX_ID_LENGTH } from '../targets/vcloudNames';
import { removeAttribute } from './references';
import { allSystems } from './structure';
import { Rule } from './rule';
import { limitOrigin } from '../settings';

const GUIDE = 'vCloud API Programming Guide 5.5, p. 59 (OVF packages the transfer service accepts); seed 001';
const TENANT_GUIDE = 'VMware Cloud Director 10.x tenant guide (uploading OVF templates to a catalog)';

export const ovfVersion: Rule = {
  code: 'vcloud/ovf-version',
  target: 'vcloud',
  category: 'cloud',
  severity: 'error',
  description: 'The vCloud transfer service accepts OVF 1.0 and 1.1 only; 0.9 and 2.x packages are refused.',
  source: GUIDE,
  check({ doc, report }) {
    const root = doc.root;
    if (!root || root.local !== 'Envelope') return;
    const span = doc.versionAttr?.span ?? root.nameSpan;
    if (doc.version === '0.9') report(span, 'vCloud Director refuses OVF 0.9 packages; convert the descriptor to OVF 1.0 (e.g. re-export it with a current tool)');
    else if (doc.version === '2.x') report(span, 'vCloud Director accepts OVF 1.0 and 1.1 only, not OVF 2.x; export the package as OVF 1.0');
  },
};

export const ovf11: Rule = {
  code: 'vcloud/ovf-1.1',
  target: 'vcloud',
  category: 'cloud',
  severity: 'warning',
  description: 'OVF 1.1 packages are converted to OVF 1.0 for download; any OVF 1.1 content is lost.',
  source: GUIDE,
  check({ doc, report }) {
    if (doc.version === '1.1' && doc.versionAttr) {
      report(doc.versionAttr.span, 'vCloud Director converts OVF 1.1 to 1.0 when the template is downloaded; OVF 1.1-only content will be lost');
    }
  },
};

export const compression: Rule = {
  code: 'vcloud/compression',
  target: 'vcloud',
  category: 'cloud',
  severity: 'error',
  description: 'The vCloud transfer service refuses compressed packages (any File with ovf:compression).',
  source: GUIDE,
  check({ doc, report }) {
    for (const f of doc.files) {
      const c = f.compression;
      if (!c || c.value === '' || c.value === 'identity') continue;
      report(c.span, `vCloud Director refuses compressed packages: File '${f.href?.value ?? f.id?.value ?? ''}' is ${c.value}-compressed; decompress it and remove ovf:compression`, {
        fixes: [{ title: 'Remove ovf:compression (store the file uncompressed)', edits: [removeAttribute(doc, c.attribute)] }],
      });
    }
  },
};

export const idTooLong: Rule = {
  code: 'vcloud/id-too-long',
  target: 'vcloud',
  category: 'cloud',
  severity: 'warning',
  description: `vCloud renames a VM whose VirtualSystem ovf:id is longer than ${VCLOUD_MAX_ID_LENGTH} characters to its first ${VCLOUD_MAX_ID_LENGTH} characters plus a 3-digit number.`,
  source: 'seed 001 (observed vCloud Director VM naming: the first 13 characters of the id plus a 3-digit number)',
  check({ doc, report }) {
    const systems = doc.virtualSystems.filter((vs) => vs.id);
    const names = vcloudVmNames(systems.map((vs) => vs.id!.value));
    const taken = new Set(allSystems(doc).map((vs) => vs.id?.value));
    systems.forEach((vs, i) => {
      const id = vs.id!;
      if (names[i] === id.value) return;
      const short = shortId(id.value, taken);
      report(id.span, `vCloud Director will name this VM '${names[i]}': its ovf:id '${id.value}' is longer than ${VCLOUD_MAX_ID_LENGTH} characters`, {
        fixes: [{ title: `Rename to '${short}' (${short.length} characters)`, edits: renameVirtualSystemEdits(doc, id, short) }],
      });
      taken.add(short);
    });
  },
};

/** A 13-character id from the long one, unique among the descriptor's ids. */
function shortId(id: string, taken: Set<string | undefined>): string {
  const base = id.slice(0, VCLOUD_MAX_ID_LENGTH);
  if (!taken.has(base)) return base;
  for (let n = 1; n < 1000; n++) {
    const suffix = String(n);
    const candidate = base.slice(0, VCLOUD_MAX_ID_LENGTH - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
  return base;
}

/** Renaming a VirtualSystem id also renames the StartupSection entries that name it. */
export function renameVirtualSystemEdits(doc: Descriptor, id: Attr, newId: string): TextEdit[] {
  const edits: TextEdit[] = [{ span: id.span, newText: newId }];
  const stack = doc.root ? [doc.root] : [];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.local === 'StartupSection' || (e.local === 'Section' && /StartupSection/.test(e.attributes.map((a) => a.value).join(' ')))) {
      for (const item of e.children) {
        const ref = item.attributes.find((a) => a.local === 'id' && a.value === id.value);
        if (ref) edits.push({ span: ref.valueSpan, newText: newId });
      }
    }
    stack.push(...e.children);
  }
  return edits;
}

export const deploymentOptions: Rule = {
  code: 'vcloud/deployment-options',
  target: 'vcloud',
  category: 'cloud',
  severity: 'warning',
  description: 'vCloud Director does not support DeploymentOptionSection: the choice of configuration is not offered.',
  source: TENANT_GUIDE,
  check({ doc, report }) {
    const section = doc.deploymentOptionSection;
    if (section) {
      report(section.nameSpan, 'vCloud Director does not support DeploymentOptionSection: the configurations are not offered on import; remove the section, keeping the Items of the configuration you want');
    }
  },
};

export const descriptorTooLarge: Rule = {
  code: 'vcloud/descriptor-too-large',
  target: 'vcloud',
  category: 'cloud',
  severity: 'error',
  description: 'vCloud Director refuses descriptors larger than ovf.descriptor.size.max (12 MB by default).',
  source: `${TENANT_GUIDE}: ovf.descriptor.size.max`,
  check({ doc, settings, report }) {
    const max = settings.vcloud.maxDescriptorBytes;
    if (doc.text.length * 3 < max) return; // cannot exceed: UTF-8 is at most 3 bytes per UTF-16 unit
    const bytes = Buffer.byteLength(doc.text, 'utf8');
    if (bytes > max && doc.root) {
      report(doc.root.nameSpan, `The descriptor is ${formatBytes(bytes)}, over vCloud Director's limit of ${formatBytes(max)} ${limitOrigin(settings, 'vcloud', 'maxDescriptorBytes')}, the VCD setting ovf.descriptor.size.max`);
    }
  },
};

export const hardwareVersion: Rule = {
  code: 'vcloud/hardware-version',
  target: 'vcloud',
  category: 'cloud',
  severity: 'error',
  description: "A VM's virtual hardware version (vmx-N) must not exceed the highest the target VDC supports (setting ovfkit.vcloud.maxHardwareVersion); of several vmx-N values, the lowest counts.",
  source: `${TENANT_GUIDE}: the hardware version must not exceed the highest the VDC supports`,
  check({ doc, settings, report }) {
    const max = settings.vcloud.maxHardwareVersion;
    for (const { version, span } of hardwareNewerThan(doc, max)) {
      report(span, `Hardware version vmx-${version} is newer than the VDC's highest, vmx-${max} ${limitOrigin(settings, 'vcloud', 'maxHardwareVersion')}; the VM cannot be created there`);
    }
  },
};

export const systemType: Rule = {
  code: 'vcloud/system-type',
  target: 'vcloud',
  category: 'cloud',
  severity: 'error',
  description: 'A VirtualSystemType must include a VMware hardware family (vmx-N): vCloud Director creates its VMs on vSphere. Several values pass when one is vmx-N.',
  source: `${TENANT_GUIDE} (the hardware version is a vmx-N); observed: vSphere's OVF import refuses other families ("Unsupported hardware family")`,
  check({ doc, report }) {
    for (const type of systemTypesNotVmware(doc)) {
      report(type.span, `VirtualSystemType '${type.value}' names no VMware hardware family (vmx-N); vCloud Director creates VMs on vSphere and refuses it. Write a vmx-N the VDC runs, e.g. vmx-10`);
    }
  },
};
