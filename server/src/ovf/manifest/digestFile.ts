// Streams one open file through a hash. The file is opened by the caller (openPackageFile, which
// checks it is the package's own regular file) and read here by descriptor with positioned reads:
// the whole file, or one byte range of it (a member inside an OVA, hashed in place). Two ways, both with memory fixed at one or two chunks whatever the file size:
// - digestFd: two buffers, the next read in flight on libuv's thread pool while the current chunk
//   is hashed on this thread. Wins when a core is spare for the reads (one big file).
// - digestFdSync: read, hash, repeat on this thread. For worker threads when every core is already
//   hashing: no thread-pool hand-offs, which cost CPU and, on a busy machine, scheduling delays.
import { createHash } from 'node:crypto';
import { read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { ManifestAlgorithm, NODE_HASH_NAME } from './algorithms';

/** 4 MiB: larger chunks measured no faster; smaller ones cost per-read overhead (see bench/). */
export const CHUNK_SIZE = 4 * 1024 * 1024;

export interface FileDigest {
  digest: string;
  size: number;
}

/** A byte range of the file: `length` bytes from `offset`. Without one, byte 0 to the end. */
export interface ByteRange {
  offset: number;
  length: number;
}

const readAt = promisify(read);

/** How much to read at `position`: a chunk, or what is left of the range. */
function readLength(chunkSize: number, position: number, end: number): number {
  return Math.min(chunkSize, end - position);
}

export async function digestFd(fd: number, algorithm: ManifestAlgorithm, onBytes?: (bytes: number) => void, chunkSize = CHUNK_SIZE, range?: ByteRange): Promise<FileDigest> {
  const hash = createHash(NODE_HASH_NAME[algorithm]);
  const buffers = [Buffer.allocUnsafeSlow(chunkSize), Buffer.allocUnsafeSlow(chunkSize)];
  const start = range?.offset ?? 0;
  const end = range ? start + range.length : Infinity;
  let position = start;
  let which = 0;
  const readNext = () => (position < end ? readAt(fd, buffers[which], 0, readLength(chunkSize, position, end), position) : Promise.resolve({ bytesRead: 0 }));
  let pending = readNext();
  for (;;) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break;
    const chunk = buffers[which];
    position += bytesRead;
    which ^= 1;
    pending = readNext();
    hash.update(bytesRead === chunkSize ? chunk : chunk.subarray(0, bytesRead));
    onBytes?.(bytesRead);
  }
  return { digest: hash.digest('hex'), size: position - start };
}

/** 1 MiB: small enough to stay in the CPU cache between the read and the hash. */
export const SYNC_CHUNK_SIZE = 1024 * 1024;

/** Blocks the calling thread: for worker threads only. */
export function digestFdSync(fd: number, algorithm: ManifestAlgorithm, onBytes?: (bytes: number) => void, chunkSize = SYNC_CHUNK_SIZE, range?: ByteRange): FileDigest {
  const hash = createHash(NODE_HASH_NAME[algorithm]);
  const buffer = Buffer.allocUnsafeSlow(chunkSize);
  const start = range?.offset ?? 0;
  const end = range ? start + range.length : Infinity;
  let position = start;
  for (let n; position < end && (n = readSync(fd, buffer, 0, readLength(chunkSize, position, end), position)) > 0; ) {
    hash.update(n === chunkSize ? buffer : buffer.subarray(0, n));
    position += n;
    onBytes?.(n);
  }
  return { digest: hash.digest('hex'), size: position - start };
}
