// The transfer service's manifest check: every uploaded file must be listed with a matching digest.
// Both manifest line forms are read (`SHA1(name)= hex` and `SHA1 (name) = hex`) by the domain's
// manifest parser, which models the same grammar the server accepts.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { NODE_HASH_NAME, parseManifest } from '../../../../server/src/ovf';

interface ManifestLine {
  algorithm: string;
  name: string;
  digest: string;
}

/** The lines the service can check: those naming an algorithm it knows (the domain's manifest reader). */
function readManifestLines(text: string): ManifestLine[] {
  return parseManifest(text).entries.flatMap((e) => (e.algorithm ? [{ algorithm: NODE_HASH_NAME[e.algorithm], name: e.name, digest: e.digest.toLowerCase() }] : []));
}

async function digestOf(path: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Checks `files` (server name -> stored path) against the manifest. The descriptor is stored as
 * descriptor.ovf but the manifest names it by its package name: any `.ovf` entry stands for it.
 * Returns the first problem, or undefined when everything matches.
 */
export async function checkManifest(manifestText: string, files: Map<string, string>): Promise<string | undefined> {
  const entries = readManifestLines(manifestText);
  if (entries.length === 0) return 'The manifest has no digest lines';
  for (const [name, path] of files) {
    const entry = name === 'descriptor.ovf' ? entries.find((e) => !files.has(e.name) && /\.ovf$/i.test(e.name)) : entries.find((e) => e.name === name);
    if (!entry) return `The manifest does not list ${name}`;
    if ((await digestOf(path, entry.algorithm)) !== entry.digest) return `The ${entry.algorithm.toUpperCase()} digest of ${entry.name} in the manifest does not match the uploaded file`;
  }
  return undefined;
}
