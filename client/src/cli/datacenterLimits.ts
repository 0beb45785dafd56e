// `validate --datacenter-limits FILE.json`: the data centres as `ovfkit images cloudcontrol --format
// json` prints them (an array, or `{ "datacenters": [...] }`, of { id, city, limits, readAt? }), or
// the validation settings' own form `{ "NA9": { city, limits, readAt } }`.
import { promises as fs } from 'node:fs';
import type { KnownDatacenter } from '../../../server/src/ovf';
import { UsageError } from './io';

/** A data-centre list is a few KB; anything far larger is not one. */
const MAX_BYTES = 1024 * 1024;

export async function readDatacenterLimits(file: string): Promise<Record<string, KnownDatacenter>> {
  const handle = await fs.open(file, 'r').catch((err: Error) => { throw new UsageError(`--datacenter-limits: cannot read ${file}: ${err.message}`); });
  let text: string;
  try {
    const { size, isFile } = await handle.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile || size > MAX_BYTES) throw new UsageError(`--datacenter-limits: ${file} is not a data-centre list (${isFile ? `${size} bytes, over ${MAX_BYTES}` : 'not a regular file'})`);
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--datacenter-limits: ${file} is not JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(json) ? json : Array.isArray((json as any)?.datacenters) ? (json as any).datacenters : undefined;
  if (!list) {
    if (json && typeof json === 'object') return json as Record<string, KnownDatacenter>; // checked by resolveSettings
    throw new UsageError(`--datacenter-limits: ${file} holds no data centres`);
  }
  const out: Record<string, KnownDatacenter> = {};
  for (const dc of list) {
    if (dc && typeof dc.id === 'string') out[dc.id] = { city: dc.city, limits: dc.limits ?? {}, readAt: dc.readAt };
  }
  return out;
}
