// Whether a package's manifest still describes the files on disk, cheaply first: every file the
// manifest lists (and every package file) is stat'ed, and only the files changed after the manifest
// was written (mtime) or since they were last confirmed (size and mtime) are hashed to decide.
// A touched but unchanged disk stays fresh; a changed byte in any listed file makes it stale.
import { stat } from 'node:fs/promises';
import { checkPackageFile, describeCheck, readPackageFileBytes } from '../package/openPackageFile';
import * as path from 'node:path';
import { isAbortError } from './errors';
import { HashJob, HashOptions, hashFiles } from './hashFiles';
import { parseManifest } from './parseManifest';
import { manifestPathFor, packageMembers } from './packageMembers';
import { MAX_MANIFEST_BYTES } from './limits';


/** A file's size and mtime when its digest was last found to match, with the manifest's mtime then. */
export type ConfirmedStamps = Map<string, string>;

export type Freshness =
  | { state: 'missing'; manifestPath: string }
  | { state: 'fresh'; manifestPath: string }
  | { state: 'stale'; manifestPath: string; reason: string }
  /** Files changed after the manifest: hash them (confirmManifestFreshness) to know. */
  | { state: 'unsure'; manifestPath: string; suspects: Suspect[] };

export interface Suspect {
  job: HashJob;
  digest: string;
  stamp: string;
}

/** Stats only. `confirmed` holds stamps from earlier confirmations, so a file is hashed once per change. */
export async function checkManifestFreshness(descriptorPath: string, confirmed: ConfirmedStamps = new Map()): Promise<Freshness> {
  const manifestPath = manifestPathFor(descriptorPath);
  const mf = await stat(manifestPath).catch(() => undefined);
  if (!mf?.isFile()) return { state: 'missing', manifestPath };
  const stale = (reason: string): Freshness => ({ state: 'stale', manifestPath, reason });
  if (mf.size > MAX_MANIFEST_BYTES) return stale(`${path.basename(manifestPath)} is ${mf.size} bytes, too large for a manifest`);
  const members = await packageMembers(descriptorPath).catch((err: Error) => err);
  if (members instanceof Error) return stale(members.message);
  // Read like any package file: a symlink out of the package or a FIFO is refused, never followed.
  let text: string;
  try {
    text = (await readPackageFileBytes(members[0].packageDir, manifestPath, MAX_MANIFEST_BYTES)).toString('utf8');
  } catch (err) {
    return stale((err as Error).message);
  }
  const entries = new Map<string, ReturnType<typeof parseManifest>['entries'][number]>();
  for (const e of parseManifest(text).entries) if (!entries.has(e.name)) entries.set(e.name, e);

  const suspects: Suspect[] = [];
  for (const member of members) {
    const entry = entries.get(member.name);
    if (!entry) return stale(`'${member.name}' has no line in the manifest`);
    if (!entry.algorithm || !entry.digestValid) return stale(`the manifest line of '${member.name}' is not a valid digest`);
    const check = await checkPackageFile(member.packageDir, member.path);
    if (check.status !== 'file') return stale(`'${member.name}' ${check.status === 'missing' ? 'is missing' : describeCheck(check)}`);
    const s = await stat(check.realPath);
    const stamp = `${s.size}:${s.mtimeMs}:${mf.mtimeMs}`;
    if (s.mtimeMs <= mf.mtimeMs || confirmed.get(member.path) === stamp) continue;
    suspects.push({ job: { name: member.name, path: member.path, packageDir: member.packageDir, algorithm: entry.algorithm }, digest: entry.digest.toLowerCase(), stamp });
  }
  return suspects.length > 0 ? { state: 'unsure', manifestPath, suspects } : { state: 'fresh', manifestPath };
}

/** Hashes the suspects of an `unsure` check; records each match in `confirmed`. Rejects with an AbortError when cancelled. */
export async function confirmManifestFreshness(
  check: Extract<Freshness, { state: 'unsure' }>,
  confirmed: ConfirmedStamps,
  options: HashOptions = {},
): Promise<Extract<Freshness, { state: 'fresh' | 'stale' }>> {
  const { manifestPath, suspects } = check;
  let outcomes;
  try {
    outcomes = await hashFiles(suspects.map((s) => s.job), options);
  } catch (err) {
    if (isAbortError(err)) throw err;
    return { state: 'stale', manifestPath, reason: (err as Error).message };
  }
  for (const [i, outcome] of outcomes.entries()) {
    const suspect = suspects[i];
    if (outcome.error) return { state: 'stale', manifestPath, reason: outcome.error.message };
    if (outcome.digest !== suspect.digest) return { state: 'stale', manifestPath, reason: `'${suspect.job.name}' changed after the manifest was written` };
    confirmed.set(suspect.job.path, suspect.stamp);
  }
  return { state: 'fresh', manifestPath };
}
