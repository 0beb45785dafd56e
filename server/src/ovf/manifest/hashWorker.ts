// Worker thread entry (bundled to dist/hashWorker.js): hashes the files it is sent, one at a time,
// reporting bytes as it goes. Node's hash.update runs on the calling thread, so parallel files need
// one thread each. The main thread opens each file (openPackageFile) and sends its descriptor: a
// worker never opens a path, and threads share the process's descriptors.
import { parentPort } from 'node:worker_threads';
import { ManifestAlgorithm } from './algorithms';
import { ByteRange, digestFd, digestFdSync, FileDigest } from './digestFile';

export interface HashWorkerJob {
  id: number;
  /** An open descriptor of the checked file; the main thread closes it. */
  fd: number;
  algorithm: ManifestAlgorithm;
  /** Only this part of the file (an OVA member); the whole file without it. */
  range?: ByteRange;
  /** Overlap reads with hashing (a core is spare for the thread pool), or read and hash in turn. */
  overlapReads: boolean;
}

export type HashWorkerMessage =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; digest: string; size: number }
  | { type: 'failed'; id: number; code?: string; message: string };

const PROGRESS_STEP = 4 * 1024 * 1024;

const port = parentPort;
if (port) {
  port.on('message', (job: HashWorkerJob) => {
    const post = (m: HashWorkerMessage) => port.postMessage(m);
    // Progress in steps of at least 4 MiB: fewer messages, same picture.
    let unreported = 0;
    const onBytes = (bytes: number) => {
      unreported += bytes;
      if (unreported < PROGRESS_STEP) return;
      post({ type: 'progress', id: job.id, bytes: unreported });
      unreported = 0;
    };
    const digest = job.overlapReads
      ? digestFd(job.fd, job.algorithm, onBytes, undefined, job.range)
      : new Promise<FileDigest>((resolve) => resolve(digestFdSync(job.fd, job.algorithm, onBytes, undefined, job.range)));
    digest.then(
      ({ digest, size }) => {
        if (unreported) post({ type: 'progress', id: job.id, bytes: unreported });
        post({ type: 'done', id: job.id, digest, size });
      },
      (err: NodeJS.ErrnoException) => post({ type: 'failed', id: job.id, code: err?.code, message: err?.message ?? String(err) }),
    );
  });
}
