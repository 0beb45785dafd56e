// Validation settings: which targets apply, severity overrides, and the limits of each cloud.
// Defaults are facts from PROTOCOLS.md (vCloud) and a CloudControl data centre's published limits.
import { Severity } from './findings';
import type { TargetName } from './rules/rule';

export interface VcloudLimits {
  /** VCD `ovf.descriptor.size.max`, 12 MB by default. */
  maxDescriptorBytes: number;
  /** Highest virtual hardware version (vmx-N) the target VDC runs; 0 = unknown, not checked. */
  maxHardwareVersion: number;
}

export interface CloudControlLimits {
  maxHardwareVersion: number;
  maxCpuCount: number;
  minMemoryMb: number;
  maxMemoryMb: number;
  minDiskGb: number;
  maxDiskGb: number;
}

export interface ValidationSettings {
  /** Cloud targets to check; the generic rules always run. */
  targets: TargetName[];
  /** Per-code severity overrides; 'off' silences a rule. */
  severity: Record<string, Severity | 'off'>;
  vcloud: VcloudLimits;
  cloudcontrol: CloudControlLimits;
}

export const DEFAULT_SETTINGS: ValidationSettings = {
  targets: ['vcloud', 'cloudcontrol'],
  severity: {},
  vcloud: { maxDescriptorBytes: 12 * 1024 * 1024, maxHardwareVersion: 0 },
  // CloudControl data centres publish MAX_CPU_COUNT, MIN/MAX_MEMORY_MB and MIN/MAX_DISK_SIZE_GB
  // (infrastructure/datacenter API); these are the most generous published values. The hardware
  // version depends on the data centre's vSphere; vmx-15 (vSphere 6.7 U2) is a conservative floor.
  cloudcontrol: { maxHardwareVersion: 15, maxCpuCount: 16, minMemoryMb: 1024, maxMemoryMb: 131072, minDiskGb: 10, maxDiskGb: 1000 },
};

/**
 * Where a limit's number came from, for messages: "(ovfkit default, setting ovfkit.cloudcontrol.maxDiskGb)".
 * No limit is read from a data centre or VDC yet, so a number is either ovfkit's default or the user's.
 */
export function limitOrigin<C extends 'vcloud' | 'cloudcontrol'>(settings: ValidationSettings, cloud: C, key: keyof ValidationSettings[C] & string): string {
  const given = settings[cloud][key];
  const fallback = DEFAULT_SETTINGS[cloud][key];
  return `(${given === fallback ? 'ovfkit default' : 'your setting'}, setting ovfkit.${cloud}.${key})`;
}

/** Merges partial user settings (from VS Code or CLI flags) over the defaults, ignoring junk. */
export function resolveSettings(partial: unknown): ValidationSettings {
  const p = (partial && typeof partial === 'object' ? partial : {}) as Record<string, any>;
  const targets = Array.isArray(p.targets)
    ? (p.targets.filter((t: unknown) => t === 'generic' || t === 'vcloud' || t === 'cloudcontrol') as TargetName[])
    : DEFAULT_SETTINGS.targets;
  const severity: ValidationSettings['severity'] = {};
  if (p.severity && typeof p.severity === 'object') {
    for (const [code, value] of Object.entries(p.severity)) {
      if (value === 'error' || value === 'warning' || value === 'information' || value === 'hint' || value === 'off') severity[code] = value;
    }
  }
  return {
    targets,
    severity,
    vcloud: numbers(DEFAULT_SETTINGS.vcloud, p.vcloud),
    cloudcontrol: numbers(DEFAULT_SETTINGS.cloudcontrol, p.cloudcontrol),
  };
}

function numbers<T extends object>(defaults: T, given: unknown): T {
  const out = { ...defaults } as Record<string, number>;
  if (given && typeof given === 'object') {
    for (const [k, v] of Object.entries(given)) {
      if (k in out && typeof v === 'number' && Number.isFinite(v) && v >= 0) out[k] = v;
    }
  }
  return out as T;
}
