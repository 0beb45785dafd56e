// Worker thread entry (bundled to dist/hashWorker.js): hashes the files it is sent, one at a time,
// reporting bytes as it goes. Node's hash.update runs on the calling thread, so parallel files need
// one thread each.
import { parentPort } from 'node:worker_threads';
import { ManifestAlgorithm } from './algorithms';
import { digestFile } from './digestFile';

export interface HashWorkerJob {
  id: number;
  path: string;
  algorithm: ManifestAlgorithm;
}

export type HashWorkerMessage =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; digest: string; size: number }
  | { type: 'failed'; id: number; code?: string; message: string };

const port = parentPort;
if (port) {
  port.on('message', (job: HashWorkerJob) => {
    const post = (m: HashWorkerMessage) => port.postMessage(m);
    digestFile(job.path, job.algorithm, (bytes) => post({ type: 'progress', id: job.id, bytes })).then(
      ({ digest, size }) => post({ type: 'done', id: job.id, digest, size }),
      (err: NodeJS.ErrnoException) => post({ type: 'failed', id: job.id, code: err?.code, message: err?.message ?? String(err) }),
    );
  });
}
