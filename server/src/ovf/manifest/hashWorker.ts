// Worker thread entry (bundled to dist/hashWorker.js): hashes the files it is sent, one at a time,
// reporting bytes as it goes. Node's hash.update runs on the calling thread, so parallel files need
// one thread each.
import { parentPort } from 'node:worker_threads';
import { ManifestAlgorithm } from './algorithms';
import { digestFile, digestFileSync, FileDigest } from './digestFile';

export interface HashWorkerJob {
  id: number;
  path: string;
  algorithm: ManifestAlgorithm;
  /** Overlap reads with hashing (a core is spare for the thread pool), or read and hash in turn. */
  overlapReads: boolean;
}

export type HashWorkerMessage =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; digest: string; size: number }
  | { type: 'failed'; id: number; code?: string; message: string };

const port = parentPort;
if (port) {
  port.on('message', (job: HashWorkerJob) => {
    const post = (m: HashWorkerMessage) => port.postMessage(m);
    const onBytes = (bytes: number) => post({ type: 'progress', id: job.id, bytes });
    const digest = job.overlapReads
      ? digestFile(job.path, job.algorithm, onBytes)
      : new Promise<FileDigest>((resolve) => resolve(digestFileSync(job.path, job.algorithm, onBytes)));
    digest.then(
      ({ digest, size }) => post({ type: 'done', id: job.id, digest, size }),
      (err: NodeJS.ErrnoException) => post({ type: 'failed', id: job.id, code: err?.code, message: err?.message ?? String(err) }),
    );
  });
}
