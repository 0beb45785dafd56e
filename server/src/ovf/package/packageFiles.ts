// Which files make up a package, in the order clouds want them: descriptor, manifest, certificate,
// then the referenced files. Used by manifest generation and both uploaders. A referenced file
// that leads outside the package or is not a regular file stops the listing (at its href), so no
// caller can send or hash it; the callers open every file with openPackageFile all the same.
import * as path from 'node:path';
import { Descriptor, parseDescriptor } from '../model/descriptor';
import { DescriptorReadError, readDescriptorText } from '../validate';
import { resolveHref } from './hrefs';
import { checkPackageFile, describeCheck, packageDirOf } from './openPackageFile';
import { manifestNameFor, presentChunkParts } from './packageFacts';

export interface PackageFile {
  role: 'descriptor' | 'manifest' | 'certificate' | 'file';
  /** Name relative to the package folder, as in ovf:href and manifest lines. */
  name: string;
  /** Absolute local path. */
  path: string;
  /** ovf:size, when given. */
  declaredSize?: number;
  /** The package's folder (the descriptor's real folder): open the file with openPackageFile(packageDir, path). */
  packageDir: string;
  /** Only with `keepRefused`: why the file must not be read (it leads outside the package, or is not a regular file). */
  refused?: { code: 'package/outside-package' | 'package/not-a-file'; message: string };
  /** With `chunkParts`: this is a part of the chunked File with this href (`name` is HREF.000000000, …). */
  chunkOf?: string;
}

export interface ListOptions {
  /** List refused files (marked `refused`) instead of throwing: for reports that name them. */
  keepRefused?: boolean;
  /** List a chunked File (ovf:chunkSize) as its parts HREF.000000000, … as they are stored, each
   *  hashed and carried on its own (the manifest lists each part; DSP0243 1.1 §7.1). A chunked File
   *  with no part 0 is listed under its href, so readers report it missing. */
  chunkParts?: boolean;
}

export class PackageError extends Error {}

export async function listPackageFiles(descriptorPath: string, options: ListOptions = {}): Promise<PackageFile[]> {
  const absolute = path.resolve(descriptorPath);
  let text: string;
  try {
    text = await readDescriptorText(absolute);
  } catch (err) {
    throw new PackageError(err instanceof DescriptorReadError ? err.message : String(err));
  }
  return listDescriptorFiles(absolute, parseDescriptor(text), options);
}

/** listPackageFiles for a descriptor already read and parsed (the upload plan parses it once). */
export async function listDescriptorFiles(descriptorPath: string, doc: Descriptor, options: ListOptions = {}): Promise<PackageFile[]> {
  const absolute = path.resolve(descriptorPath);
  const dir = await packageDirOf(absolute);
  if (doc.xml.error) {
    const p = doc.lines.positionAt(doc.xml.error.span.start);
    throw new PackageError(`${absolute}:${p.line + 1}:${p.character + 1}: ${doc.xml.error.message}`);
  }
  if (!doc.isOvf) throw new PackageError(`${absolute}: not an OVF descriptor (the root element is not an OVF Envelope)`);

  const files: PackageFile[] = [{ role: 'descriptor', name: path.basename(absolute), path: absolute, packageDir: dir }];
  const base = manifestNameFor(absolute).replace(/\.mf$/, '');
  for (const [role, name] of [['manifest', `${base}.mf`], ['certificate', `${base}.cert`]] as const) {
    const check = await checkPackageFile(dir, path.join(dir, name));
    if (check.status === 'file') files.push({ role, name, path: path.join(dir, name), packageDir: dir });
    else if (check.status !== 'missing' && !options.keepRefused) throw new PackageError(`${path.join(dir, name)}: the ${role} ${describeCheck(check)}`);
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
    const check = await checkPackageFile(dir, resolved.path);
    let refused: PackageFile['refused'];
    if (check.status === 'outside' || check.status === 'not-a-file') {
      const message = `'${f.href.value}' ${describeCheck(check)}`;
      if (!options.keepRefused) {
        const p = doc.lines.positionAt(f.href.span.start);
        throw new PackageError(`${absolute}:${p.line + 1}:${p.character + 1}: File '${f.id?.value ?? ''}' href ${message}`);
      }
      refused = { code: check.status === 'outside' ? 'package/outside-package' : 'package/not-a-file', message };
    }
    const size = f.size && /^\d+$/.test(f.size.value.trim()) ? Number(f.size.value) : undefined;
    const partPath = (name: string) => resolved.path + name.slice(f.href!.value.length);
    const parts = options.chunkParts && f.chunkSize ? await presentChunkParts(f.href.value, async (n) => (await checkPackageFile(dir, partPath(n))).status === 'file') : [];
    if (parts.length) {
      for (const name of parts) files.push({ role: 'file', name, path: partPath(name), packageDir: dir, chunkOf: f.href.value });
      continue;
    }
    files.push({ role: 'file', name: f.href.value, path: resolved.path, declaredSize: size, packageDir: dir, refused });
  }
  return files;
}
