// The files a manifest covers, from the package listing: the descriptor first, then every
// referenced file (never the manifest or certificate), a chunked file part by part. Each path is
// checked to lie inside the package folder, so nothing outside it is ever read, whatever the
// listing let through.
import * as path from 'node:path';
import { isInside } from '../package/hrefs';
import type { ByteRange } from './digestFile';
import { listPackageFiles, PackageFile, PackageError } from '../package/packageFiles';

export { PackageError };

export interface PackageMember {
  role: 'descriptor' | 'file';
  /** As in ovf:href and in manifest lines. */
  name: string;
  path: string;
  /** The package folder: open with openPackageFile(packageDir, path). */
  packageDir: string;
  /** Set when the file must not be read (outside the package, or not a regular file); readers refuse it anyway. */
  refused?: PackageFile['refused'];
  /** Only this byte range of `path` is the member (a member of the OVA at `path`). */
  range?: ByteRange;
  /** Referenced but not in the container (an OVA without it): missing, never read. */
  absent?: boolean;
}

export function manifestPathFor(descriptorPath: string): string {
  return path.join(path.dirname(descriptorPath), path.basename(descriptorPath, path.extname(descriptorPath)) + '.mf');
}

export async function packageMembers(descriptorPath: string): Promise<PackageMember[]> {
  const files: PackageFile[] = await listPackageFiles(descriptorPath, { keepRefused: true, chunkParts: true });
  const folder = files[0].packageDir;
  const members: PackageMember[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    if (f.role !== 'descriptor' && f.role !== 'file') continue;
    if (f.role === 'file') {
      if (!isInside(folder, f.path) || path.resolve(f.path) === folder) {
        throw new PackageError(`'${f.name}' is outside the package folder ${folder}: refusing to read it`);
      }
    }
    // Two References/File with the same href are one file in the manifest.
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    members.push({ role: f.role, name: f.name, path: f.path, packageDir: f.packageDir, refused: f.refused });
  }
  return members;
}
