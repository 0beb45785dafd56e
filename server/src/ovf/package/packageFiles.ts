// Which files make up a package, in the order clouds want them: descriptor, manifest, certificate,
// then the referenced files. Used by manifest generation and both uploaders.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseDescriptor } from '../model/descriptor';
import { DescriptorReadError, readDescriptorText } from '../validate';
import { resolveHref } from './hrefs';
import { manifestNameFor } from './packageFacts';

export interface PackageFile {
  role: 'descriptor' | 'manifest' | 'certificate' | 'file';
  /** Name relative to the package folder, as in ovf:href and manifest lines. */
  name: string;
  /** Absolute local path. */
  path: string;
  /** ovf:size, when given. */
  declaredSize?: number;
}

export class PackageError extends Error {}

export async function listPackageFiles(descriptorPath: string): Promise<PackageFile[]> {
  const absolute = path.resolve(descriptorPath);
  const dir = path.dirname(absolute);
  let text: string;
  try {
    text = await readDescriptorText(absolute);
  } catch (err) {
    throw new PackageError(err instanceof DescriptorReadError ? err.message : String(err));
  }
  const doc = parseDescriptor(text);
  if (doc.xml.error) {
    const p = doc.lines.positionAt(doc.xml.error.span.start);
    throw new PackageError(`${absolute}:${p.line + 1}:${p.character + 1}: ${doc.xml.error.message}`);
  }
  if (!doc.isOvf) throw new PackageError(`${absolute}: not an OVF descriptor (the root element is not an OVF Envelope)`);

  const files: PackageFile[] = [{ role: 'descriptor', name: path.basename(absolute), path: absolute }];
  const base = manifestNameFor(absolute).replace(/\.mf$/, '');
  for (const [role, name] of [['manifest', `${base}.mf`], ['certificate', `${base}.cert`]] as const) {
    if (await isFile(path.join(dir, name))) files.push({ role, name, path: path.join(dir, name) });
  }
  const seen = new Set<string>();
  for (const f of doc.files) {
    if (!f.href || seen.has(f.href.value)) continue;
    seen.add(f.href.value);
    const resolved = resolveHref(dir, f.href.value);
    if (!resolved.ok) {
      const p = doc.lines.positionAt(f.href.span.start);
      throw new PackageError(`${absolute}:${p.line + 1}:${p.character + 1}: File '${f.id?.value ?? ''}' href ${resolved.reason}`);
    }
    const size = f.size && /^\d+$/.test(f.size.value.trim()) ? Number(f.size.value) : undefined;
    files.push({ role: 'file', name: f.href.value, path: resolved.path, declaredSize: size });
  }
  return files;
}

/** A regular file exists at `p` (false for folders, missing or unreadable paths). */
export async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
