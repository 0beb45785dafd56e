// What the rules know about the files beside a descriptor: gathered asynchronously with stat()
// (never by reading file contents), then handed to the synchronous rules as a snapshot.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Descriptor } from '../model/descriptor';
import { resolveHref } from './hrefs';

export type FileFacts =
  | { status: 'present'; size: number }
  | { status: 'missing' }
  | { status: 'not-a-file' }
  | { status: 'unsafe'; reason: string };

export interface PackageFacts {
  /** Facts per href exactly as written in the descriptor. */
  files: Map<string, FileFacts>;
  /** `<descriptor base>.mf`. */
  manifestName: string;
  manifestExists: boolean;
}

/** The manifest that belongs to a descriptor: same base name, `.mf`. */
export function manifestNameFor(descriptorPath: string): string {
  return path.basename(descriptorPath).replace(/\.[^.]*$/, '') + '.mf';
}

export async function probePackage(descriptorPath: string, doc: Descriptor): Promise<PackageFacts> {
  const dir = path.dirname(descriptorPath);
  const files = new Map<string, FileFacts>();
  await Promise.all(
    doc.files.map(async (f) => {
      const href = f.href?.value;
      if (href === undefined || files.has(href)) return;
      files.set(href, await factsFor(dir, href));
    }),
  );
  const manifestName = manifestNameFor(descriptorPath);
  const manifest = await factsFor(dir, manifestName);
  return { files, manifestName, manifestExists: manifest.status === 'present' };
}

async function factsFor(dir: string, href: string): Promise<FileFacts> {
  const resolved = resolveHref(dir, href);
  if (!resolved.ok) return { status: 'unsafe', reason: resolved.reason };
  try {
    const s = await stat(resolved.path);
    return s.isFile() ? { status: 'present', size: s.size } : { status: 'not-a-file' };
  } catch {
    return { status: 'missing' };
  }
}
