// The transfer service's manifest check: every uploaded file must be listed with a matching digest.
// Both manifest line forms are read (`SHA1(name)= hex` and `SHA1 (name) = hex`) by the domain's
// manifest parser, which models the same grammar the server accepts.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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

/** The digest of bytes [start, end] of a stored file (a part of a chunked File), or of all of it. */
async function digestOf(path: string, algorithm: string, range?: { start: number; end: number }): Promise<string> {
  const hash = createHash(algorithm);
  if (range && range.end < range.start) return hash.digest('hex'); // an empty part
  await pipeline(createReadStream(path, range), hash);
  return hash.digest('hex');
}

export interface StoredFile {
  path: string;
  /** A chunked File: the manifest lists its parts HREF.000000000, … each chunkSize bytes but the last. */
  chunkSize?: number;
}

/**
 * Checks `files` (server name -> stored file) against the manifest. The descriptor is stored as
 * descriptor.ovf but the manifest names it by its package name: any `.ovf` entry stands for it. A
 * chunked File arrived as one reassembled file; each of its parts is checked as its slice of it.
 * Returns the first problem, or undefined when everything matches.
 */
export async function checkManifest(manifestText: string, files: Map<string, StoredFile>): Promise<string | undefined> {
  const entries = readManifestLines(manifestText);
  if (entries.length === 0) return 'The manifest has no digest lines';
  for (const [name, file] of files) {
    if (file.chunkSize) {
      const problem = await checkParts(entries, name, file as Required<StoredFile>);
      if (problem) return problem;
      continue;
    }
    const entry = name === 'descriptor.ovf' ? entries.find((e) => !files.has(e.name) && /\.ovf$/i.test(e.name)) : entries.find((e) => e.name === name);
    if (!entry) return `The manifest does not list ${name}`;
    if ((await digestOf(file.path, entry.algorithm)) !== entry.digest) return `The ${entry.algorithm.toUpperCase()} digest of ${entry.name} in the manifest does not match the uploaded file`;
  }
  return undefined;
}

async function checkParts(entries: ManifestLine[], name: string, file: Required<StoredFile>): Promise<string | undefined> {
  const size = (await stat(file.path)).size;
  const count = Math.max(1, Math.ceil(size / file.chunkSize));
  for (let i = 0; i < count; i++) {
    const part = `${name}.${String(i).padStart(9, '0')}`;
    const entry = entries.find((e) => e.name === part);
    if (!entry) return `The manifest does not list ${part}, part ${i + 1} of the chunked file ${name}`;
    const range = { start: i * file.chunkSize, end: Math.min(size, (i + 1) * file.chunkSize) - 1 };
    if ((await digestOf(file.path, entry.algorithm, range)) !== entry.digest) return `The ${entry.algorithm.toUpperCase()} digest of ${part} in the manifest does not match bytes ${range.start}-${range.end} of the uploaded ${name}`;
  }
  return undefined;
}
