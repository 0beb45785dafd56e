// What the rules know about the files beside a descriptor: gathered asynchronously with stat()
// and realpath() (never by reading file contents, except a small manifest), then handed to the
// synchronous rules as a snapshot.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_MANIFEST_BYTES } from '../manifest/limits';
import { parseManifest } from '../manifest/parseManifest';
import { Descriptor } from '../model/descriptor';
import { resolveHref } from './hrefs';
import { checkPackageFile, packageDirOf, readPackageFileBytes } from './openPackageFile';

export type FileFacts =
  | { status: 'present'; size: number }
  | { status: 'missing' }
  /** A folder, FIFO, device, socket or pseudo-file (`kind` says which). */
  | { status: 'not-a-file'; kind: string }
  /** A symlink (or symlinked folder) that leads outside the package folder. */
  | { status: 'outside'; realPath: string }
  | { status: 'unsafe'; reason: string };

export interface PackageFacts {
  /** Facts per href exactly as written in the descriptor. */
  files: Map<string, FileFacts>;
  /** For each chunked File (ovf:chunkSize), the facts of its parts HREF.000000000, … up to the first absent one. */
  chunks?: Map<string, FileFacts[]>;
  /** `<descriptor base>.mf`. */
  manifestName: string;
  manifestExists: boolean;
  /** File name -> algorithm, for each entry of the manifest (when it exists and parses). */
  manifestEntries?: Map<string, string>;
  /** The regular files beside the descriptor (for completion and quick fixes), up to a limit. */
  siblings?: Array<{ name: string; size: number }>;
  /** When the descriptor was read from an OVA: its member names in archive order. */
  ova?: { descriptor: string; members: string[] };
}

const MAX_SIBLINGS = 500;
/** Parts probed per chunked File: 10,000 parts is a 100 GB disk in 10 MB chunks. */
export const MAX_CHUNK_PARTS = 10_000;

/** The manifest that belongs to a descriptor: same base name, `.mf`. */
export function manifestNameFor(descriptorPath: string): string {
  return path.basename(descriptorPath).replace(/\.[^.]*$/, '') + '.mf';
}

export async function probePackage(descriptorPath: string, doc: Descriptor): Promise<PackageFacts> {
  const dir = await packageDirOf(descriptorPath);
  const files = new Map<string, FileFacts>();
  await Promise.all(
    doc.files.map(async (f) => {
      const href = f.href?.value;
      if (href === undefined || files.has(href)) return;
      files.set(href, await factsFor(dir, href));
    }),
  );
  const chunks = new Map<string, FileFacts[]>();
  for (const f of doc.files) {
    const href = f.chunkSize && f.href?.value;
    if (href && !chunks.has(href)) chunks.set(href, await chunkFacts(dir, href));
  }
  const manifestName = manifestNameFor(descriptorPath);
  const manifest = await factsFor(dir, manifestName);
  const facts: PackageFacts = { files, chunks, manifestName, manifestExists: manifest.status === 'present' };
  if (manifest.status === 'present' && manifest.size <= MAX_MANIFEST_BYTES) {
    try {
      const parsed = parseManifest((await readPackageFileBytes(dir, path.join(dir, manifestName), MAX_MANIFEST_BYTES, manifestName)).toString('utf8'));
      facts.manifestEntries = new Map(parsed.entries.map((e) => [e.name, e.algorithmText]));
    } catch {
      // unreadable: the manifest's own diagnostics say why
    }
  }
  facts.siblings = await siblingsOf(dir, path.basename(descriptorPath));
  return facts;
}

async function siblingsOf(dir: string, self: string): Promise<Array<{ name: string; size: number }>> {
  try {
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name !== self).slice(0, MAX_SIBLINGS);
    const sized = await Promise.all(entries.map(async (e) => ({ name: e.name, size: (await stat(path.join(dir, e.name)).catch(() => undefined))?.size ?? 0 })));
    return sized.sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}

/** The name of part `index` of a chunked file (DSP0243 1.1 §7.1: the href plus a 9-digit counter). */
export function chunkPartName(href: string, index: number): string {
  return `${href}.${String(index).padStart(9, '0')}`;
}

/** The names of a chunked file's parts that are there, in order: part 0, 1, … up to the first one
 *  `isPresent` denies (none when part 0 is absent). ovftool writes and the manifest lists them so. */
export async function presentChunkParts(href: string, isPresent: (name: string) => boolean | Promise<boolean>): Promise<string[]> {
  const names: string[] = [];
  while (names.length < MAX_CHUNK_PARTS && (await isPresent(chunkPartName(href, names.length)))) names.push(chunkPartName(href, names.length));
  return names;
}

/** The parts of a chunked file in order, ending with the first one that is not a present file. */
async function chunkFacts(dir: string, href: string): Promise<FileFacts[]> {
  const parts: FileFacts[] = [];
  for (let i = 0; i < MAX_CHUNK_PARTS; i++) {
    const part = await factsFor(dir, chunkPartName(href, i));
    parts.push(part);
    if (part.status !== 'present') break;
  }
  return parts;
}

async function factsFor(dir: string, href: string): Promise<FileFacts> {
  const resolved = resolveHref(dir, href);
  if (!resolved.ok) return { status: 'unsafe', reason: resolved.reason };
  const check = await checkPackageFile(dir, resolved.path);
  return check.status === 'file' ? { status: 'present', size: check.size } : check;
}
