// NTT CloudControl Client Image import (seed 000, CloudControl "How to Import an OVF Package as a
// Client Image"): an OVF, its MF and one VMDK per disk, on hardware the target data centre runs.
// The CPU, memory and disk limits are the data centre's limits for deploying servers, judged on
// what each deployment configuration deploys (PROTOCOLS.md §3).
import { Descriptor, DiskDef, HardwareItem } from '../model/descriptor';
import { effectiveHardware } from '../model/effectiveHardware';
import { indexOf, parseHostResource } from '../model/references';
import { toBytes } from '../model/units';
import { limitOrigin } from '../settings';
import { hardwareNewerThan, systemTypesNotVmware } from './hardwareVersion';
import { Breach, reportBreaches } from './perConfiguration';
import { Rule } from './rule';

const CPU = '3';
const MEMORY = '4';
const IMPORT_DOC = 'NTT CloudControl, "How to Import an OVF Package as a Client Image" (docs.mcp-services.net)';
const DATACENTER_LIMITS = 'CloudControl data centre hypervisor properties MAX_CPU_COUNT, MIN/MAX_MEMORY_MB, MIN/MAX_DISK_SIZE_GB (infrastructure/datacenter API; deploy limits, PROTOCOLS.md §3)';

export const datacenterUnknown: Rule = {
  code: 'cloudcontrol/datacenter-unknown',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'information',
  description: "A data centre is chosen (setting ovfkit.cloudcontrol.datacenter or an `ovfkit: datacenter=` comment) but its limits were never read from the CloudControl API, so ovfkit's defaults judge the package.",
  source: DATACENTER_LIMITS,
  check({ doc, settings, report }) {
    const directive = doc.directives.datacenter;
    const id = directive?.id ?? settings.datacenter;
    if (!id || settings.datacenters[id] || !doc.root) return;
    const where = directive ? 'This file names' : 'The setting ovfkit.cloudcontrol.datacenter names';
    report(directive?.span ?? doc.root.nameSpan, `${where} data centre ${id}, whose limits ovfkit has not read yet: the CPU, memory and disk checks use ovfkit's defaults. Connect to CloudControl (or give the CLI validate --datacenter-limits FILE) to judge with ${id}'s own limits`);
  },
};

export const manifestMissing: Rule = {
  code: 'cloudcontrol/manifest-missing',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: "CloudControl's import needs the package manifest (<descriptor>.mf) in the staging folder.",
  source: IMPORT_DOC,
  check({ doc, pkg, report }) {
    if (!pkg || pkg.manifestExists || !doc.root || !doc.isOvf) return;
    report(doc.root.nameSpan, `CloudControl imports only packages with a manifest: ${pkg.manifestName} is missing beside the descriptor`, { remedy: { action: 'generate-manifest' } });
  },
};

export const diskNotVmdk: Rule = {
  code: 'cloudcontrol/disk-not-vmdk',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'CloudControl needs one VMDK file per Disk.',
  source: IMPORT_DOC,
  check({ doc, report }) {
    const files = new Map(doc.files.filter((f) => f.id).map((f) => [f.id!.value, f]));
    for (const disk of doc.disks) {
      const ref = disk.fileRef;
      if (!ref || ref.value === '') {
        report(disk.element.nameSpan, `Disk '${disk.diskId?.value ?? ''}' has no file; CloudControl imports only disks backed by a VMDK file`);
        continue;
      }
      const href = files.get(ref.value)?.href;
      if (href && !/\.vmdk$/i.test(href.value)) {
        report(href.span, `Disk '${disk.diskId?.value ?? ''}' is backed by '${href.value}'; CloudControl imports only VMDK disk files`);
      }
    }
  },
};

export const hardwareVersion: Rule = {
  code: 'cloudcontrol/hardware-version',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: "The image's hardware version must not exceed the target data centre's (setting ovfkit.cloudcontrol.maxHardwareVersion); of several vmx-N values, the lowest counts.",
  source: `${IMPORT_DOC}: the data centre's virtual hardware version must be equal to or greater than the image's`,
  check({ doc, settings, report }) {
    const max = settings.cloudcontrol.maxHardwareVersion;
    for (const { version: v, span } of hardwareNewerThan(doc, max)) {
      report(span, `Hardware version vmx-${v} is newer than the data centre's vmx-${max} ${limitOrigin(settings, 'cloudcontrol', 'maxHardwareVersion')}; CloudControl refuses the import. Lower it, or raise the setting if your data centre runs newer vSphere`);
    }
  },
};

export const systemType: Rule = {
  code: 'cloudcontrol/system-type',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'A VirtualSystemType must include a VMware hardware family (vmx-N): CloudControl runs VMware hosts. Several values pass when one is vmx-N.',
  source: `${IMPORT_DOC} (images carry a VMware virtual hardware version); observed: vSphere's OVF import refuses other families ("Unsupported hardware family")`,
  check({ doc, report }) {
    for (const type of systemTypesNotVmware(doc)) {
      report(type.span, `VirtualSystemType '${type.value}' names no VMware hardware family (vmx-N); CloudControl imports only VMware virtual machines. Write a vmx-N the data centre runs, e.g. vmx-10`);
    }
  },
};

export const cpuCount: Rule = {
  code: 'cloudcontrol/cpu-count',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'The CPU count of each deployment configuration must not exceed the data centre MAX_CPU_COUNT (setting ovfkit.cloudcontrol.maxCpuCount); a breach only in a non-default configuration is a warning.',
  source: DATACENTER_LIMITS,
  check({ doc, settings, report }) {
    const max = settings.cloudcontrol.maxCpuCount;
    const breaches: Breach[] = [];
    for (const hw of effectiveHardware(doc).hardware) {
      for (const { item } of hw.items) {
        const q = item.virtualQuantity;
        if (item.resourceType?.value.trim() !== CPU || !q || !/^\d+$/.test(q.value.trim())) continue;
        if (Number(q.value) > max) {
          breaches.push({ configuration: hw.configuration, span: q.span, message: `${q.value} CPUs exceed the data centre's maximum of ${max} ${limitOrigin(settings, 'cloudcontrol', 'maxCpuCount')}` });
        }
      }
    }
    reportBreaches(report, breaches);
  },
};

export const memory: Rule = {
  code: 'cloudcontrol/memory',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'The memory of each deployment configuration must not exceed the data centre MAX_MEMORY_MB (setting ovfkit.cloudcontrol.maxMemoryMb); less than MIN_MEMORY_MB (ovfkit.cloudcontrol.minMemoryMb), a deploy limit, is a warning, as is a breach only in a non-default configuration.',
  source: DATACENTER_LIMITS,
  check({ doc, settings, report }) {
    const { minMemoryMb, maxMemoryMb } = settings.cloudcontrol;
    const breaches: Breach[] = [];
    for (const hw of effectiveHardware(doc).hardware) {
      for (const { item } of hw.items) {
        const q = item.virtualQuantity;
        if (item.resourceType?.value.trim() !== MEMORY || !q) continue;
        const bytes = toBytes(q.value, item.allocationUnits?.value ?? 'byte * 2^20');
        if (bytes === undefined) continue;
        const mb = bytes / 2 ** 20;
        if (mb > maxMemoryMb) {
          breaches.push({ configuration: hw.configuration, span: q.span, message: `${mb} MB of memory exceeds the data centre's maximum of ${maxMemoryMb} MB ${limitOrigin(settings, 'cloudcontrol', 'maxMemoryMb')}` });
        } else if (mb < minMemoryMb) {
          breaches.push({
            configuration: hw.configuration, span: q.span, severity: 'warning',
            message: `${mb} MB of memory is under the data centre's minimum of ${minMemoryMb} MB ${limitOrigin(settings, 'cloudcontrol', 'minMemoryMb')}; a server deployed from the image needs at least that (a deploy limit: the import itself is not documented to refuse it)`,
          });
        }
      }
    }
    reportBreaches(report, breaches);
  },
};

export const diskSize: Rule = {
  code: 'cloudcontrol/disk-size',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'Each disk a deployment configuration attaches must not exceed the data centre MAX_DISK_SIZE_GB (setting ovfkit.cloudcontrol.maxDiskGb); under MIN_DISK_SIZE_GB (ovfkit.cloudcontrol.minDiskGb), a deploy limit, is a warning, as is a breach only in a non-default configuration. Disks no VM attaches are not judged.',
  source: DATACENTER_LIMITS,
  check({ doc, settings, report }) {
    const { minDiskGb, maxDiskGb } = settings.cloudcontrol;
    const breaches: Breach[] = [];
    for (const hw of effectiveHardware(doc).hardware) {
      for (const disk of attachedDisks(doc, hw.items.map((e) => e.item))) {
        const bytes = toBytes(disk.capacity?.value, disk.capacityUnits?.value);
        if (bytes === undefined) continue;
        const gb = bytes / 2 ** 30;
        if (gb <= maxDiskGb && gb >= minDiskGb) continue;
        const shown = Number.isInteger(gb) ? gb : gb < 0.01 ? gb.toPrecision(2) : gb.toFixed(2);
        const name = `Disk '${disk.diskId?.value ?? ''}'`;
        if (gb > maxDiskGb) {
          breaches.push({ configuration: hw.configuration, span: disk.capacity!.span, message: `${name} is ${shown} GB, over the data centre's maximum of ${maxDiskGb} GB ${limitOrigin(settings, 'cloudcontrol', 'maxDiskGb')}` });
        } else if (gb < minDiskGb) {
          breaches.push({
            configuration: hw.configuration, span: disk.capacity!.span, severity: 'warning',
            message: `${name} is ${shown} GB, under the data centre's minimum of ${minDiskGb} GB ${limitOrigin(settings, 'cloudcontrol', 'minDiskGb')}; a server deployed from the image needs disks at least that large (a deploy limit: the import itself is not documented to refuse it)`,
          });
        }
      }
    }
    reportBreaches(report, breaches);
  },
};

/** RASD floppy, CD and DVD drives: an image they hold (VirtualBox lists ISOs as Disks) is no server disk. */
const REMOVABLE_DRIVES = new Set(['14', '15', '16']);

/** The Disks the given Items attach as disks through rasd:HostResource ovf:/disk/ID, each once. */
function attachedDisks(doc: Descriptor, items: HardwareItem[]): Set<DiskDef> {
  const { disks } = indexOf(doc);
  const out = new Set<DiskDef>();
  for (const item of items) {
    if (REMOVABLE_DRIVES.has(item.resourceType?.value.trim() ?? '')) continue;
    for (const hr of item.hostResources) {
      const ref = parseHostResource(hr);
      if (ref?.kind === 'disk') for (const d of disks.get(ref.id) ?? []) out.add(d);
    }
  }
  return out;
}
