// The one way package files are opened. A package from elsewhere may hold symlinks to the user's
// secrets (`disk1.vmdk -> ~/.ssh/id_rsa`, `-> /proc/self/environ`) or FIFOs and devices that hang
// or never end a read, so the href text alone proves nothing. A file is used only when its real
// path (every symlink resolved) lies inside the package's real folder and it is a regular file.
// Opening repeats the check on the open descriptor itself (O_NOFOLLOW, fstat, same device and
// inode, and on Linux where /proc/self/fd says it points), so swapping the file for a symlink
// between the check and the open does not win. Readers stream from the handle returned here.
import { constants, Stats } from 'node:fs';
import { FileHandle, open, readlink, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { isInside } from './hrefs';

export type PackageFileCheck =
  | { status: 'file'; realPath: string; size: number; dev: number; ino: number }
  | { status: 'missing' }
  /** The real path leaves the package's real folder (a symlink, or a symlinked folder on the way). */
  | { status: 'outside'; realPath: string }
  | { status: 'not-a-file'; kind: string };

/** Why a package file cannot be used, with a message naming it. */
export class PackagePathError extends Error {
  override name = 'PackagePathError';
  constructor(
    readonly fileName: string,
    readonly path: string,
    readonly reason: 'missing' | 'outside' | 'not-a-file' | 'changed' | 'too-large' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

// Linux pseudo-file systems: "regular" files there are generated on read (/proc/self/environ).
const PSEUDO_ROOTS = process.platform === 'linux' ? ['/proc', '/sys', '/dev'] : [];

/** Stat-only: what `filePath` really is, judged against the package folder `packageDir`. */
export async function checkPackageFile(packageDir: string, filePath: string): Promise<PackageFileCheck> {
  let realRoot: string;
  let realPath: string;
  try {
    realRoot = await realpath(packageDir);
    realPath = await realpath(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ELOOP: a symlink cycle; it names no file inside the package.
    if (code === 'ELOOP') return { status: 'not-a-file', kind: 'a symlink loop' };
    return { status: 'missing' };
  }
  if (!isInside(realRoot, realPath)) return { status: 'outside', realPath };
  let s: Stats;
  try {
    s = await stat(realPath);
  } catch {
    return { status: 'missing' };
  }
  const kind = specialKind(s, realPath);
  if (kind) return { status: 'not-a-file', kind };
  return { status: 'file', realPath, size: s.size, dev: s.dev, ino: s.ino };
}

/** A regular file, or how to name what it is instead ("a FIFO (named pipe)", ...). */
function specialKind(s: Stats, realPath: string): string | undefined {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (!s.isFile()) return 'not a regular file';
  if (PSEUDO_ROOTS.some((root) => isInside(root, realPath))) return `a file of the ${realPath.split('/')[1]} pseudo file system`;
  return undefined;
}

/** How a failed check reads in a message, after the file's name. */
export function describeCheck(check: Exclude<PackageFileCheck, { status: 'file' }>): string {
  switch (check.status) {
    case 'missing':
      return 'does not exist';
    case 'outside':
      return `leads outside the package folder (to ${check.realPath}); it will not be read or uploaded`;
    case 'not-a-file':
      return `is ${check.kind}, not a regular file; it will not be read or uploaded`;
  }
}

export interface OpenedPackageFile {
  handle: FileHandle;
  size: number;
  realPath: string;
}

// O_NONBLOCK: opening a FIFO must not wait for a writer (the fstat below then refuses it).
// O_NOFOLLOW: the real path has no symlink left, so a symlink at the end now is a swap.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens a package file for reading after checkPackageFile; throws a PackagePathError when it is
 * missing, leaves the package, is not a regular file, or was swapped after the check.
 * `name` is how messages name the file (its href). The caller closes the handle.
 */
export async function openPackageFile(packageDir: string, filePath: string, name = filePath): Promise<OpenedPackageFile> {
  const check = await checkPackageFile(packageDir, filePath);
  if (check.status !== 'file') throw new PackagePathError(name, filePath, check.status, `'${name}' ${describeCheck(check)}`);
  return openChecked(packageDir, filePath, check, name);
}

/** The open after a passed check; anything that changed in between makes it throw (`changed`). */
export async function openChecked(packageDir: string, filePath: string, check: Extract<PackageFileCheck, { status: 'file' }>, name = filePath): Promise<OpenedPackageFile> {
  let handle: FileHandle;
  try {
    handle = await open(check.realPath, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PackagePathError(name, filePath, 'missing', `'${name}' does not exist`);
    if (code === 'ELOOP') throw swapped(name, filePath);
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new PackagePathError(name, filePath, 'unreadable', `'${name}' cannot be read (${filePath}): ${why}`);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile() || s.dev !== check.dev || s.ino !== check.ino) throw swapped(name, filePath);
    if (process.platform === 'linux') {
      const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
      if (opened !== undefined && !isInside(await realpath(packageDir), opened)) throw swapped(name, filePath);
    }
    return { handle, size: s.size, realPath: check.realPath };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function swapped(name: string, filePath: string): PackagePathError {
  return new PackagePathError(name, filePath, 'changed', `'${name}' was replaced while it was being opened (${filePath}); it was not read`);
}

/**
 * Bytes [start, end] (end inclusive, default: to the end of the file) of an open file as a stream.
 * Unlike fs streams, destroying it leaves the handle open: its opener closes it.
 */
export function readRange(handle: FileHandle, start: number, end = Infinity, chunkSize = 1024 * 1024): Readable {
  return Readable.from(
    (async function* () {
      for (let position = start; position <= end; ) {
        const buffer = Buffer.allocUnsafe(Math.min(chunkSize, end - position + 1));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      }
    })(),
    { objectMode: false },
  );
}

/**
 * The whole content of a small package file (descriptor, manifest), opened as above and read only
 * up to `maxBytes`: a file that grows past the cap while being read is refused too.
 */
export async function readPackageFileBytes(packageDir: string, filePath: string, maxBytes: number, name = filePath): Promise<Buffer> {
  const { handle, size } = await openPackageFile(packageDir, filePath, name);
  try {
    if (size > maxBytes) throw tooLarge(name, filePath, size, maxBytes);
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = (await handle.read(buffer, length, buffer.length - length, length)).bytesRead) > 0; ) length += n;
    if (length > maxBytes) throw tooLarge(name, filePath, length, maxBytes);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function tooLarge(name: string, filePath: string, size: number, maxBytes: number): PackagePathError {
  return new PackagePathError(name, filePath, 'too-large', `'${name}' (${filePath}) is ${size} bytes or more, over the ${maxBytes}-byte limit for it`);
}

/**
 * The package folder of a descriptor: the real folder of the descriptor (a symlinked descriptor
 * belongs to the package it points into), where its hrefs are resolved.
 */
export async function packageDirOf(descriptorPath: string): Promise<string> {
  const absolute = path.resolve(descriptorPath);
  return path.dirname(await realpath(absolute).catch(() => absolute));
}
