// Writes `<name>.ovf` beside the first of the chosen VMDKs: reads each disk's size and capacity
// (headers only), builds the descriptor, and refuses to replace an existing file unless asked.
// For a target that imports only packages with a manifest, the manifest is written too.
// Shared by the VS Code command and `ovfkit new`.
import { stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isInside } from '../package/hrefs';
import { generateManifest } from '../manifest/generateManifest';
import { HashOptions } from '../manifest/hashFiles';
import { NEEDS_MANIFEST, NewDescriptorError, NewDescriptorOptions, newDescriptor, NewDisk } from './newDescriptor';
import { readVmdkCapacity } from './vmdkCapacity';

export interface WriteNewDescriptorRequest extends Omit<NewDescriptorOptions, 'disks'> {
  /** Paths of the VMDKs; the descriptor goes in the folder of the first, the others must lie in or below it. */
  diskPaths: string[];
  overwrite?: boolean;
  /** The disks as readNewDisks read them (so they are not read twice). */
  disks?: NewDisks;
  /** Progress and cancellation of the manifest's hashing, for targets that need one. */
  manifest?: HashOptions;
}

export interface NewDisks {
  folder: string;
  disks: NewDisk[];
  warnings: string[];
}

export interface WrittenDescriptor {
  path: string;
  text: string;
  /** Things the user should know that do not stop the descriptor being written. */
  warnings: string[];
  /** The manifest written beside it (targets that import only packages with one). */
  manifestPath?: string;
}

export class DescriptorExistsError extends NewDescriptorError {
  constructor(readonly path: string) {
    super(`${path} already exists; choose another name or allow replacing it`);
  }
}

/** The disks, read and checked before anything is asked or written: sizes from the file system,
 *  capacities from the headers. Throws a NewDescriptorError that says, in plain words, what is wrong. */
export async function readNewDisks(diskPaths: string[]): Promise<NewDisks> {
  if (diskPaths.length === 0) throw new NewDescriptorError('no disks: choose at least one VMDK');
  const folder = path.dirname(path.resolve(diskPaths[0]));
  const warnings: string[] = [];
  const disks: NewDisk[] = [];
  for (const diskPath of diskPaths) {
    const absolute = path.resolve(diskPath);
    const relative = path.relative(folder, absolute);
    if (!isInside(folder, absolute)) {
      throw new NewDescriptorError(`${absolute} is not in ${folder}: a package keeps its disks in the descriptor's folder (the first disk's)`);
    }
    const size = await stat(absolute).then((s) => (s.isFile() ? s.size : undefined), () => undefined);
    if (size === undefined) throw new NewDescriptorError(`${absolute}: no such file`);
    const info = await readVmdkCapacity(absolute);
    const fileName = relative.split(path.sep).join('/');
    if (info.layout === 'text-descriptor') {
      // Its data lives in other extent files, which an OVF package does not carry.
      warnings.push(`${fileName} is a ${info.createType ?? 'text'} disk descriptor whose data is in other files; convert it to one streamOptimized VMDK (ovftool, or vmware-vdiskmanager -t 5) before packaging`);
    }
    disks.push({ fileName, fileSize: size, capacityBytes: info.capacityBytes, format: info.createType === 'monolithicSparse' ? 'sparse' : 'streamOptimized' });
  }
  return { folder, disks, warnings };
}

export async function writeNewDescriptor(request: WriteNewDescriptorRequest): Promise<WrittenDescriptor> {
  const { diskPaths, overwrite, disks: given, manifest: hashing, ...rest } = request;
  const { folder, disks, warnings } = given ?? (await readNewDisks(diskPaths));
  const text = newDescriptor({ ...rest, disks });
  const target = path.join(folder, `${descriptorFileName(rest.name)}.ovf`);
  try {
    await writeFile(target, text, { flag: overwrite ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DescriptorExistsError(target);
    throw new NewDescriptorError(`cannot write ${target}: ${(err as Error).message}`);
  }
  // A target that imports only packages with a manifest gets one, so the descriptor opens clean.
  const manifestPath = NEEDS_MANIFEST[rest.target] ? (await generateManifest(target, hashing)).manifestPath : undefined;
  return { path: target, text, warnings, manifestPath };
}

/** A file name from the VM name: characters no file system allows become '-'. */
export function descriptorFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.trim().replace(/[\u0000-\u001f/\\:*?"<>|]+/g, '-').replace(/^\.+/, '') || 'vm';
}

/** A VM name proposed from a disk's file name: `web01-disk1.vmdk` → `web01`. */
export function defaultVmName(diskPath: string): string {
  const base = path.basename(diskPath).replace(/\.vmdk$/i, '');
  return base.replace(/[-_ ]?(disk|hdd|hd)[-_ ]?\d*$/i, '') || base;
}
