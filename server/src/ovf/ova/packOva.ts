// Writes an OVA: a ustar archive of the package's files in the order ovftool requires (descriptor,
// manifest, certificate, then the referenced files in References order: the order
// listPackageFiles returns). Written to NAME.partial and renamed when complete, so an interrupted
// pack never leaves a file that looks like an OVA.
// Streams over the numeric fd: a FileHandle's own streams hold it open until they close, and with
// autoClose off (one handle, many ranges) they never do.
import { createReadStream, createWriteStream } from 'node:fs';
import { FileHandle, open, rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
    let bytesDone = 0;
    for (const s of sources) {
      signal?.throwIfAborted();
      await out.write(formatFileHeader(s.file.name, s.size, s.mtime));
      bytesDone += BLOCK;
      let copied = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          copied += chunk.length;
          bytesDone += chunk.length;
          onProgress?.({ bytesDone, bytesTotal, name: s.file.name });
          done(null, chunk);
        },
      });
      if (s.size > 0) {
        const reader = createReadStream('', { fd: s.handle.fd, autoClose: false, start: 0, end: s.size - 1, highWaterMark: READ_SIZE });
        await pipeline(reader, count, createWriteStream('', { fd: out.fd, autoClose: false, highWaterMark: READ_SIZE }), { signal });
      }
      // The header promised `size` bytes: a file that shrank while we read would corrupt the archive.
      if (copied !== s.size) throw new PackError(`${s.file.path} changed size while it was packed (${s.size} bytes expected, ${copied} read)`);
      const pad = paddingAfter(s.size);
      if (pad) await out.write(Buffer.alloc(pad));
      bytesDone += pad;
    }
    await out.write(Buffer.alloc(2 * BLOCK));
    await out.sync();
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

async function exists(p: string): Promise<boolean> {
  return open(p, 'r').then((h) => h.close().then(() => true), () => false);
}
