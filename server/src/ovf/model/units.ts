// CIM programmatic units (DSP0004), as used by rasd:AllocationUnits and ovf:capacityAllocationUnits:
// "byte * 2^30", "byte*2^20", "bytes", plus the older words "MegaBytes", "GigaBytes" real files use.

/** Bytes per unit, or undefined when the unit string is not understood. */
export function bytesPerUnit(units: string | undefined): number | undefined {
  if (units === undefined || units.trim() === '') return 1;
  const u = units.replace(/\s+/g, '').toLowerCase();
  const words: Record<string, number> = {
    byte: 1, bytes: 1, kilobytes: 2 ** 10, kb: 2 ** 10, megabytes: 2 ** 20, mb: 2 ** 20,
    gigabytes: 2 ** 30, gb: 2 ** 30, terabytes: 2 ** 40, tb: 2 ** 40,
  };
  if (words[u] !== undefined) return words[u];
  const m = /^bytes?(?:\*(\d+)\^(-?\d+))?(?:\*(\d+)\^(-?\d+))?$/.exec(u);
  if (!m) return undefined;
  let factor = 1;
  if (m[1]) factor *= Number(m[1]) ** Number(m[2]);
  if (m[3]) factor *= Number(m[3]) ** Number(m[4]);
  return factor;
}

/** A quantity in bytes, or undefined when the number or unit is not a plain value (e.g. `${prop}`). */
export function toBytes(quantity: string | undefined, units: string | undefined): number | undefined {
  if (quantity === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(quantity)) return undefined;
  const per = bytesPerUnit(units);
  return per === undefined ? undefined : Number(quantity) * per;
}

// Sizes read the same everywhere (editor, CLI, transfers): one formatter.
export { formatBytes } from '../format/quantities';

/** The N of every `vmx-N` token of a VirtualSystemType, in the order written. */
export function vmxVersions(systemType: string | undefined): number[] {
  return [...(systemType ?? '').matchAll(/\bvmx-(\d+)\b/g)].map((m) => Number(m[1]));
}

/** The highest N of `vmx-N` tokens in a VirtualSystemType such as "vmx-10 vmx-11 vmx-13". */
export function highestVmxVersion(systemType: string | undefined): number | undefined {
  if (!systemType) return undefined;
  let best: number | undefined;
  for (const m of systemType.matchAll(/\bvmx-(\d+)\b/g)) best = Math.max(best ?? 0, Number(m[1]));
  return best;
}
