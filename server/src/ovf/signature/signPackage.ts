// Signs a package folder: NAME.cert written beside the descriptor (to .partial, then renamed) with
// the signature of NAME.mf, read through the package opener (no symlink out, no FIFO). Used by
// `ovfkit sign` and the editor's *Sign again* after a new manifest. Keys are only passed through.
import { rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_MANIFEST_BYTES } from '../manifest/limits';
import { packageDirOf, PackagePathError, readPackageFileBytes } from '../package/openPackageFile';
import { manifestNameFor } from '../package/packageFacts';
import { CertFileError, SignInput, signManifest } from './certificate';

/** The manifest to sign is missing or unusable; `missing` says which. */
export class ManifestToSignError extends Error {
  constructor(message: string, readonly missing: boolean) {
    super(message);
  }
}

export async function signPackage(descriptorPath: string, keys: Omit<SignInput, 'manifestName' | 'manifestBytes'>): Promise<{ certPath: string; manifestName: string }> {
  const manifestName = manifestNameFor(descriptorPath);
  const manifestPath = path.join(path.dirname(descriptorPath), manifestName);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readPackageFileBytes(await packageDirOf(descriptorPath), manifestPath, MAX_MANIFEST_BYTES, manifestName);
  } catch (err) {
    if (err instanceof PackagePathError && err.reason === 'missing') throw new ManifestToSignError(`the manifest ${manifestPath} does not exist`, true);
    throw new ManifestToSignError(`the manifest cannot be used: ${(err as Error).message}`, false);
  }
  const text = signManifest({ ...keys, manifestName, manifestBytes });
  const certPath = manifestPath.replace(/\.mf$/, '.cert');
  await writeFile(`${certPath}.partial`, text);
  await rename(`${certPath}.partial`, certPath);
  return { certPath, manifestName };
}

export { CertFileError };
