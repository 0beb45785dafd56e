// Writes an OVA: a ustar archive of the package's files in the order ovftool requires (descriptor,
// manifest, certificate, then the referenced files in References order: the order
// listPackageFiles returns). Written to NAME.partial and renamed when complete, so an interrupted
// pack never leaves a file that looks like an OVA.
// Copies with two reused buffers, the next read running while the last chunk is written: fs
// streams allocate a fresh buffer per read, and that (page faults, GC) made pack 3x slower than
// tar -cf (measured, docs/BENCHMARKS.md).
import { FileHandle, open, rename, rm } from 'node:fs/promises';
import { openPackageFile, PackagePathError } from '../package/openPackageFile';
import type { PackageFile } from '../package/packageFiles';
import { BLOCK, formatFileHeader, paddingAfter } from './tarHeader';

export interface PackProgress {
  bytesDone: number;
  bytesTotal: number;
  /** The member being written. */
  name: string;
}

export interface PackOptions {
  signal?: AbortSignal;
  onProgress?: (p: PackProgress) => void;
  /** Replace an existing file at the output path. */
  overwrite?: boolean;
  /** fsync the OVA before the rename, for a copy that survives a crash: writing it all to the disk
   *  then and there made pack 3-4x slower than tar -cf, which does not (docs/BENCHMARKS.md). Off:
   *  the OS writes it back in its time, and an OVA cut short by a crash is refused by every reader
   *  (its last member runs past the end). */
  sync?: boolean;
}

export class PackError extends Error {}

/** Large reads: packing runs at disk speed, not at the 64 KiB default's syscall rate. */
const READ_SIZE = 4 * 1024 * 1024;

export async function packOva(files: PackageFile[], outPath: string, options: PackOptions = {}): Promise<{ bytes: number }> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const sources: { file: PackageFile; handle: FileHandle; size: number; mtime: number }[] = [];
  const partial = `${outPath}.partial`;
  let out: FileHandle | undefined;
  try {
    for (const file of files) sources.push({ file, ...(await openRegularFile(file)) });
    const bytesTotal = sources.reduce((n, s) => n + BLOCK + s.size + paddingAfter(s.size), 2 * BLOCK);
    if (!options.overwrite && (await exists(outPath))) throw new PackError(`${outPath} exists; remove it or pass --force`);
    out = await open(partial, 'w');
    const buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
    let bytesDone = 0;
    for (const s of sources) {
      signal?.throwIfAborted();
      await out.write(formatFileHeader(s.file.name, s.size, s.mtime));
      bytesDone += BLOCK;
      const copied = await copyInto(out, s.handle, s.size, buffers, signal, (n) => {
        bytesDone += n;
        onProgress?.({ bytesDone, bytesTotal, name: s.file.name });
      });
      // The header promised `size` bytes: a file that shrank while we read would corrupt the archive.
      if (copied !== s.size) throw new PackError(`${s.file.path} changed size while it was packed (${s.size} bytes expected, ${copied} read)`);
      const pad = paddingAfter(s.size);
      if (pad) await out.write(Buffer.alloc(pad));
      bytesDone += pad;
    }
    await out.write(Buffer.alloc(2 * BLOCK));
    if (options.sync) await out.sync();
    await out.close();
    out = undefined;
    await rename(partial, outPath);
    onProgress?.({ bytesDone: bytesTotal, bytesTotal, name: '' });
    return { bytes: bytesTotal };
  } catch (err) {
    if (out) await out.close().catch(() => {});
    await rm(partial, { force: true });
    throw err;
  } finally {
    for (const s of sources) await s.handle.close().catch(() => {});
  }
}

/** Through the package opener: only the package's own regular files go into an OVA. */
async function openRegularFile(file: PackageFile): Promise<{ handle: FileHandle; size: number; mtime: number }> {
  let opened;
  try {
    opened = await openPackageFile(file.packageDir, file.path, file.name);
  } catch (err) {
    if (!(err instanceof PackagePathError)) throw err;
    throw new PackError(err.reason === 'missing' ? `${file.name} is missing (${file.path})` : err.message);
  }
  const stat = await opened.handle.stat();
  return { handle: opened.handle, size: stat.size, mtime: stat.mtimeMs / 1000 };
}

/** Appends `size` bytes of `from` to `out`; returns how many were read (fewer: the file shrank). */
async function copyInto(out: FileHandle, from: FileHandle, size: number, buffers: Buffer[], signal: AbortSignal | undefined, onCopied: (n: number) => void): Promise<number> {
  let at = 0;
  let next = 0;
  const readAt = (position: number) => (position < size ? from.read(buffers[next], 0, Math.min(READ_SIZE, size - position), position) : Promise.resolve({ bytesRead: 0 }));
  let pending = readAt(0);
  try {
    while (at < size) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      const chunk = buffers[next];
      at += bytesRead;
      next ^= 1;
      pending = readAt(at);
      // The write goes at the file's current position: the header and padding are appended the same way.
      for (let written = 0; written < bytesRead; ) written += (await out.write(chunk, written, bytesRead - written)).bytesWritten;
      onCopied(bytesRead);
    }
    return at;
  } finally {
    // A read still in flight must not outlive the handles' close.
    await pending.catch(() => undefined);
  }
}

async function exists(p: string): Promise<boolean> {
  return open(p, 'r').then((h) => h.close().then(() => true), () => false);
}
