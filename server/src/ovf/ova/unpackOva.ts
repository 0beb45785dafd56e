// Unpacks an OVA into a folder. The whole table of contents is checked first (ovaIndex refuses
// links, devices, absolute or '..' names, duplicates, sizes past the end), and every target is
// checked before anything is written, so a refused OVA writes nothing at all. Each member is written
// to NAME.partial (created exclusively: an existing file or symlink there is never followed) and
// renamed when complete.
// Streams over the numeric fd: a FileHandle's own streams hold it open until they close, and with
// autoClose off (one handle, many ranges) they never do.
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { OvaError, openOva, readMembers } from './ovaIndex';

export interface UnpackOptions {
  signal?: AbortSignal;
  onProgress?: (p: { bytesDone: number; bytesTotal: number; name: string }) => void;
  /** Replace files that already exist in the target folder. */
  overwrite?: boolean;
}

const READ_SIZE = 4 * 1024 * 1024;

export async function unpackOva(ovaPath: string, toDir: string, options: UnpackOptions = {}): Promise<{ written: string[] }> {
  const { signal, onProgress } = options;
  const { handle, size } = await openOva(ovaPath);
  const written: string[] = [];
  try {
    const members = await readMembers(handle, size);
    await mkdir(toDir, { recursive: true });
    const root = await realpath(toDir);
    // Every target first: inside the folder, no symlinked folder on the way, nothing replaced unasked.
    for (const m of members) {
      const target = path.join(root, m.name);
      await checkInside(root, path.dirname(target));
      const existing = await lstat(target).catch(() => undefined);
      if (existing?.isSymbolicLink()) throw new OvaError(`${target} is a symbolic link; refusing to write through it`, m.name);
      if (existing && !existing.isFile()) throw new OvaError(`${target} exists and is not a regular file`, m.name);
      if (existing && !options.overwrite) throw new OvaError(`${target} exists; pass --force to replace it`, m.name);
    }
    const bytesTotal = members.reduce((n, m) => n + m.size, 0);
    let bytesDone = 0;
    for (const m of members) {
      signal?.throwIfAborted();
      const target = path.join(root, m.name);
      await mkdir(path.dirname(target), { recursive: true });
      await checkInside(root, path.dirname(target));
      const partial = `${target}.partial`;
      await rm(partial, { force: true });
      const out = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
      try {
        if (m.size > 0) {
          const count = new Transform({
            transform(chunk: Buffer, _enc, done) {
              bytesDone += chunk.length;
              onProgress?.({ bytesDone, bytesTotal, name: m.name });
              done(null, chunk);
            },
          });
          await pipeline(
            createReadStream('', { fd: handle.fd, autoClose: false, start: m.dataOffset, end: m.dataOffset + m.size - 1, highWaterMark: READ_SIZE }),
            count,
            createWriteStream('', { fd: out.fd, autoClose: false, highWaterMark: READ_SIZE }),
            { signal },
          );
        }
        await out.sync();
      } catch (err) {
        await out.close().catch(() => {});
        await rm(partial, { force: true });
        throw err;
      }
      await out.close();
      await rename(partial, target);
      written.push(target);
    }
    return { written };
  } finally {
    await handle.close();
  }
}

/** `dir` (after resolving symlinks) lies inside `root`. */
async function checkInside(root: string, dir: string): Promise<void> {
  const real = await realpath(dir).catch(() => undefined);
  // A folder not created yet cannot be a symlink; its nearest existing parent was checked.
  if (real === undefined) return checkInside(root, path.dirname(dir));
  if (real !== root && !real.startsWith(root + path.sep)) throw new OvaError(`${dir} leads outside ${root} (a symbolic link); refusing to write there`);
}
