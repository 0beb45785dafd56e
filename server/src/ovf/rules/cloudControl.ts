// NTT CloudControl Client Image import (seed 000): an OVF, its MF and one VMDK per disk, within
// the target data centre's limits.
import { HardwareItem } from '../model/descriptor';
import { toBytes } from '../model/units';
import { hardwareNewerThan } from './hardwareVersion';
import { Rule } from './rule';

const CPU = '3';
const MEMORY = '4';

export const manifestMissing: Rule = {
  code: 'cloudcontrol/manifest-missing',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: "CloudControl's import needs the package manifest (<descriptor>.mf) in the staging folder.",
  check({ doc, pkg, report }) {
    if (!pkg || pkg.manifestExists || !doc.root || !doc.isOvf) return;
    report(doc.root.nameSpan, `CloudControl imports only packages with a manifest: ${pkg.manifestName} is missing beside the descriptor; run "ovfkit: Generate Manifest"`);
  },
};

export const diskNotVmdk: Rule = {
  code: 'cloudcontrol/disk-not-vmdk',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'CloudControl needs one VMDK file per Disk.',
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
  description: "The image's hardware version must not exceed the target data centre's (setting ovfkit.cloudcontrol.maxHardwareVersion).",
  check({ doc, settings, report }) {
    const max = settings.cloudcontrol.maxHardwareVersion;
    for (const { version: v, span } of hardwareNewerThan(doc, max)) {
      report(span, `Hardware version vmx-${v} is newer than the data centre's (vmx-${max}); CloudControl refuses the import. Lower it, or raise ovfkit.cloudcontrol.maxHardwareVersion if your data centre runs newer vSphere`);
    }
  },
};

export const cpuCount: Rule = {
  code: 'cloudcontrol/cpu-count',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'The CPU count must not exceed the data centre MAX_CPU_COUNT (setting ovfkit.cloudcontrol.maxCpuCount).',
  check({ doc, settings, report }) {
    for (const item of itemsOfType(doc.virtualSystems, CPU)) {
      const q = item.virtualQuantity;
      if (q && /^\d+$/.test(q.value) && Number(q.value) > settings.cloudcontrol.maxCpuCount) {
        report(q.span, `${q.value} CPUs exceed the data centre's maximum of ${settings.cloudcontrol.maxCpuCount}`);
      }
    }
  },
};

export const memory: Rule = {
  code: 'cloudcontrol/memory',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'Memory must lie within the data centre MIN/MAX_MEMORY_MB (settings ovfkit.cloudcontrol.minMemoryMb, maxMemoryMb).',
  check({ doc, settings, report }) {
    const { minMemoryMb, maxMemoryMb } = settings.cloudcontrol;
    for (const item of itemsOfType(doc.virtualSystems, MEMORY)) {
      const q = item.virtualQuantity;
      const bytes = toBytes(q?.value, item.allocationUnits?.value ?? 'byte * 2^20');
      if (!q || bytes === undefined) continue;
      const mb = bytes / 2 ** 20;
      if (mb < minMemoryMb || mb > maxMemoryMb) {
        report(q.span, `${mb} MB of memory is outside the data centre's range of ${minMemoryMb}–${maxMemoryMb} MB`);
      }
    }
  },
};

export const diskSize: Rule = {
  code: 'cloudcontrol/disk-size',
  target: 'cloudcontrol',
  category: 'cloud',
  severity: 'error',
  description: 'Each disk must lie within the data centre MIN/MAX_DISK_SIZE_GB (settings ovfkit.cloudcontrol.minDiskGb, maxDiskGb).',
  check({ doc, settings, report }) {
    const { minDiskGb, maxDiskGb } = settings.cloudcontrol;
    for (const disk of doc.disks) {
      const bytes = toBytes(disk.capacity?.value, disk.capacityUnits?.value);
      if (bytes === undefined) continue;
      const gb = bytes / 2 ** 30;
      if (gb < minDiskGb || gb > maxDiskGb) {
        const shown = Number.isInteger(gb) ? gb : gb.toFixed(2);
        report(disk.capacity!.span, `Disk '${disk.diskId?.value ?? ''}' is ${shown} GB, outside the data centre's range of ${minDiskGb}–${maxDiskGb} GB`);
      }
    }
  },
};

function* itemsOfType(systems: Array<{ hardware: Array<{ items: HardwareItem[] }> }>, type: string): Generator<HardwareItem> {
  for (const vs of systems) for (const hw of vs.hardware) for (const item of hw.items) if (item.resourceType?.value === type) yield item;
}
