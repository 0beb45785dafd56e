// Streams one open file through a hash. The file is opened by the caller (openPackageFile, which
// checks it is the package's own regular file) and read here by descriptor, from byte 0, with
// positioned reads. Two ways, both with memory fixed at one or two chunks whatever the file size:
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

const readAt = promisify(read);

export async function digestFd(fd: number, algorithm: ManifestAlgorithm, onBytes?: (bytes: number) => void, chunkSize = CHUNK_SIZE): Promise<FileDigest> {
  const hash = createHash(NODE_HASH_NAME[algorithm]);
  const buffers = [Buffer.allocUnsafeSlow(chunkSize), Buffer.allocUnsafeSlow(chunkSize)];
  let position = 0;
  let which = 0;
  let pending = readAt(fd, buffers[which], 0, chunkSize, position);
  for (;;) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break;
    const chunk = buffers[which];
    position += bytesRead;
    which ^= 1;
    pending = readAt(fd, buffers[which], 0, chunkSize, position);
    hash.update(bytesRead === chunkSize ? chunk : chunk.subarray(0, bytesRead));
    onBytes?.(bytesRead);
  }
  return { digest: hash.digest('hex'), size: position };
}

/** 1 MiB: small enough to stay in the CPU cache between the read and the hash. */
export const SYNC_CHUNK_SIZE = 1024 * 1024;

/** Blocks the calling thread: for worker threads only. */
export function digestFdSync(fd: number, algorithm: ManifestAlgorithm, onBytes?: (bytes: number) => void, chunkSize = SYNC_CHUNK_SIZE): FileDigest {
  const hash = createHash(NODE_HASH_NAME[algorithm]);
  const buffer = Buffer.allocUnsafeSlow(chunkSize);
  let size = 0;
  for (let n; (n = readSync(fd, buffer, 0, chunkSize, size)) > 0; ) {
    hash.update(n === chunkSize ? buffer : buffer.subarray(0, n));
    size += n;
    onBytes?.(n);
  }
  return { digest: hash.digest('hex'), size };
}
