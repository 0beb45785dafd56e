// Writes `<descriptor base>.mf` covering the descriptor and every file it references. The new
// manifest goes to a temporary file in the same folder and is renamed over the old one only once
// every digest is known, so a cancelled or failed run leaves the previous manifest untouched.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseDescriptor } from '../model/descriptor';
import { OvfVersion } from '../model/version';
import { openPackageFile } from '../package/openPackageFile';
import { readDescriptorText } from '../validate';
import { ManifestAlgorithm } from './algorithms';
import { defaultAlgorithm } from './defaultAlgorithm';
import { abortError, fileErrorFrom, ManifestError, PackageFileError } from './errors';
import { formatManifest } from './formatManifest';
import { HashOptions, hashFiles } from './hashFiles';
import { manifestPathFor, PackageMember, packageMembers } from './packageMembers';

export interface GenerateOptions extends HashOptions {
  /** Default: by targets and OVF version (defaultAlgorithm). */
  algorithm?: ManifestAlgorithm;
  /** Targets the package is meant for (settings); the descriptor's own `ovfkit: targets=` comment adds to them. */
  targets?: string[];
}

export interface GeneratedManifest {
  manifestPath: string;
  algorithm: ManifestAlgorithm;
  entries: { name: string; digest: string; size: number }[];
  text: string;
}

/** Reads the descriptor's OVF version and `ovfkit: targets=` directive (for the default algorithm). */
export async function descriptorTraits(descriptorPath: string): Promise<{ version: OvfVersion; targets: string[] }> {
  const d = parseDescriptor(await readDescriptorText(descriptorPath));
  return { version: d.version, targets: d.directives.targets?.names ?? [] };
}

export async function generateManifest(descriptorPath: string, options: GenerateOptions = {}): Promise<GeneratedManifest> {
  const { signal } = options;
  const members = await packageMembers(descriptorPath);
  let algorithm = options.algorithm;
  if (!algorithm) {
    const traits = await descriptorTraits(descriptorPath);
    algorithm = defaultAlgorithm(traits.version, [...(options.targets ?? []), ...traits.targets]);
  }

  await checkReadable(members);
  const outcomes = await hashFiles(
    members.map((m) => ({ name: m.name, path: m.path, packageDir: m.packageDir, algorithm: algorithm! })),
    options,
  );
  throwFailures(outcomes.flatMap((o) => (o.error ? [o.error] : [])));
  if (signal?.aborted) throw abortError(signal);

  const entries = outcomes.map((o) => ({ name: o.job.name, digest: o.digest!, size: o.size! }));
  const text = formatManifest(algorithm, entries);
  const manifestPath = manifestPathFor(descriptorPath);
  await writeAtomically(manifestPath, text, signal);
  return { manifestPath, algorithm, entries, text };
}

/** Fails before any hashing when a file is absent, refused or unreadable, naming every such file. */
async function checkReadable(members: PackageMember[]): Promise<void> {
  const failures = (
    await Promise.all(
      members.map(async (m) => {
        try {
          await (await openPackageFile(m.packageDir, m.path, m.name)).handle.close();
          return undefined;
        } catch (err) {
          return fileErrorFrom(err, m.name, m.path);
        }
      }),
    )
  ).filter((f): f is PackageFileError => !!f);
  throwFailures(failures);
}

function throwFailures(failures: PackageFileError[]): void {
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new ManifestError(`${failures.length} files cannot be hashed: ${failures.map((f) => f.message).join('; ')}`);
}

async function writeAtomically(target: string, text: string, signal?: AbortSignal): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    if (signal?.aborted) throw abortError(signal);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    if ((err as Error).name === 'AbortError') throw err;
    throw new ManifestError(`cannot write the manifest ${target}: ${(err as Error).message}`);
  }
}
