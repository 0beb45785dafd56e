// Packs a package folder into an OVA as `ovfkit pack` and the editor's *Pack as OVA* do: a missing
// or stale manifest is generated first (the OVA must verify), but a signed package whose manifest
// is stale is refused (a new manifest would break the signature); then packOva writes the files,
// chunked ones part by part, to OUT.partial and renames it.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { generateManifest } from '../manifest/generateManifest';
import { checkManifestFreshness, confirmManifestFreshness } from '../manifest/manifestFreshness';
import { listPackageFiles } from '../package/packageFiles';
import { PackError, PackOptions, packOva } from './packOva';

export interface PackedPackage {
  bytes: number;
  members: number;
  /** Set when the manifest had to be written first. */
  manifestWritten?: { path: string; algorithm: string; why: string };
}

export async function packPackage(descriptorPath: string, outPath: string, options: PackOptions = {}): Promise<PackedPackage> {
  const freshness = await checkManifestFreshness(descriptorPath);
  const verdict = freshness.state === 'unsure' ? await confirmManifestFreshness(freshness, new Map(), { signal: options.signal }) : freshness;
  let manifestWritten: PackedPackage['manifestWritten'];
  if (verdict.state !== 'fresh') {
    const why = verdict.state === 'missing' ? 'was missing' : `was stale: ${verdict.reason}`;
    const cert = verdict.manifestPath.replace(/\.mf$/, '.cert');
    if (verdict.state === 'stale' && (await stat(cert).then((s) => s.isFile(), () => false))) {
      throw new PackError(`the manifest ${why}, and ${path.basename(cert)} signs it: generate the manifest and sign the package again first (or remove the certificate)`);
    }
    const written = await generateManifest(descriptorPath, { signal: options.signal });
    manifestWritten = { path: written.manifestPath, algorithm: written.algorithm, why };
  }
  const files = await listPackageFiles(descriptorPath, { chunkParts: true });
  const { bytes } = await packOva(files, outPath, options);
  return { bytes, members: files.length, manifestWritten };
}
