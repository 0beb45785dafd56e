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

/** The limits a CloudControl data centre reports (hypervisor properties); absent = not reported. */
export type DatacenterLimits = Partial<Pick<CloudControlLimits, 'maxCpuCount' | 'minMemoryMb' | 'maxMemoryMb' | 'minDiskGb' | 'maxDiskGb'>>;

/** A data centre as last read from the CloudControl API (cached by the extension, or a CLI file). */
export interface KnownDatacenter {
  city?: string;
  limits: DatacenterLimits;
  /** When the limits were read (ISO 8601). */
  readAt?: string;
}

export interface ValidationSettings {
  /** Cloud targets to check; the generic rules always run. */
  targets: TargetName[];
  /** Per-code severity overrides; 'off' silences a rule. */
  severity: Record<string, Severity | 'off'>;
  vcloud: VcloudLimits;
  cloudcontrol: CloudControlLimits;
  /** The CloudControl data centre chosen by setting (a file's `ovfkit: datacenter=` comment wins). */
  datacenter?: string;
  /** Data centres whose limits are known, by id. */
  datacenters: Record<string, KnownDatacenter>;
  /** Set when `cloudcontrol` limits were replaced by a data centre's: which one and which keys. */
  limitsFrom?: { datacenter: string; city?: string; readAt?: string; keys: string[] };
}

export const DEFAULT_SETTINGS: ValidationSettings = {
  targets: ['vcloud', 'cloudcontrol'],
  severity: {},
  vcloud: { maxDescriptorBytes: 12 * 1024 * 1024, maxHardwareVersion: 0 },
  // CloudControl data centres publish MAX_CPU_COUNT, MIN/MAX_MEMORY_MB and MIN/MAX_DISK_SIZE_GB
  // (infrastructure/datacenter API); these are the most generous published values. The hardware
  // version depends on the data centre's vSphere; vmx-15 (vSphere 6.7 U2) is a conservative floor.
  cloudcontrol: { maxHardwareVersion: 15, maxCpuCount: 16, minMemoryMb: 1024, maxMemoryMb: 131072, minDiskGb: 10, maxDiskGb: 1000 },
  datacenters: {},
};

const DATACENTER_LIMIT_KEYS = ['maxCpuCount', 'minMemoryMb', 'maxMemoryMb', 'minDiskGb', 'maxDiskGb'] as const;

/**
 * The settings with data centre `id`'s reported limits in place of the defaults (limits it does not
 * report stay as they were); `undefined` when its limits are not known.
 */
export function withDatacenterLimits(settings: ValidationSettings, id: string): ValidationSettings | undefined {
  const known = settings.datacenters[id];
  if (!known) return undefined;
  const cloudcontrol = { ...settings.cloudcontrol };
  const keys: string[] = [];
  for (const key of DATACENTER_LIMIT_KEYS) {
    const value = known.limits[key];
    if (value !== undefined) { cloudcontrol[key] = value; keys.push(key); }
  }
  return { ...settings, cloudcontrol, limitsFrom: { datacenter: id, city: known.city, readAt: known.readAt, keys } };
}

/** "NA9 (Ashburn)" */
export function datacenterLabel(id: string, city: string | undefined): string {
  return city ? `${id} (${city})` : id;
}

/**
 * Where a limit's number came from, for messages: "(ovfkit default, setting ovfkit.cloudcontrol.maxDiskGb)".
 * A CloudControl limit read from the chosen data centre says so: "(data centre NA9 (Ashburn), read
 * from the CloudControl API on 2026-12-01T10:00:00Z)".
 */
export function limitOrigin<C extends 'vcloud' | 'cloudcontrol'>(settings: ValidationSettings, cloud: C, key: keyof ValidationSettings[C] & string): string {
  const from = settings.limitsFrom;
  if (cloud === 'cloudcontrol' && from?.keys.includes(key)) {
    return `(data centre ${datacenterLabel(from.datacenter, from.city)}, read from the CloudControl API${from.readAt ? ` on ${from.readAt}` : ''})`;
  }
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
    // From VS Code these sit under ovfkit.cloudcontrol; a resolved settings object has them on top.
    ...datacenterChoice(p.cloudcontrol?.datacenter ?? p.datacenter),
    datacenters: knownDatacenters(p.cloudcontrol?.datacenters ?? p.datacenters),
  };
}

function datacenterChoice(given: unknown): { datacenter?: string } {
  return typeof given === 'string' && /^[\w.-]+$/.test(given.trim()) ? { datacenter: given.trim() } : {};
}

function knownDatacenters(given: unknown): Record<string, KnownDatacenter> {
  const out: Record<string, KnownDatacenter> = {};
  if (!given || typeof given !== 'object') return out;
  for (const [id, entry] of Object.entries(given as Record<string, any>)) {
    if (!entry || typeof entry !== 'object') continue;
    const limits: DatacenterLimits = {};
    for (const key of DATACENTER_LIMIT_KEYS) {
      const v = entry.limits?.[key];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) limits[key] = v;
    }
    out[id] = { limits, ...(typeof entry.city === 'string' && { city: entry.city }), ...(typeof entry.readAt === 'string' && { readAt: entry.readAt }) };
  }
  return out;
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
