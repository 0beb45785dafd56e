// Hashes a set of files in parallel on worker threads: one file per worker at a time (a digest is
// sequential, so a big file cannot be split), largest files first so the pool finishes together.
// Progress is reported in bytes over the total; an abort terminates the workers at once. Every
// file is checked and opened here with openPackageFile (inside the package, a regular file, not
// swapped); workers read from the open descriptor.
import { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkPackageFile, describeCheck, openPackageFile, PackagePathError } from '../package/openPackageFile';
import { ManifestAlgorithm } from './algorithms';
import type { ByteRange } from './digestFile';
import { abortError, fileErrorFrom, PackageFileError } from './errors';
import type { HashWorkerJob, HashWorkerMessage } from './hashWorker';

// Beside this module both in the tsc output (out/.../manifest/) and in the bundles (dist/).
const WORKER_PATH = path.join(__dirname, 'hashWorker.js');

export interface HashJob {
  /** The name the result is reported under (as in the manifest). */
  name: string;
  path: string;
  /** The package folder the file must lie in (symlinks resolved). */
  packageDir: string;
  algorithm: ManifestAlgorithm;
  /** Hash only these bytes of `path` (a member of the OVA at `path`, hashed in place). */
  range?: ByteRange;
}

export type HashOutcome =
  | { job: HashJob; digest: string; size: number; error?: undefined }
  | { job: HashJob; error: PackageFileError; digest?: undefined; size?: undefined };

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface HashOptions {
  signal?: AbortSignal;
  onProgress?: (progress: HashProgress) => void;
  /** Worker threads to use; default: the number of CPUs. */
  concurrency?: number;
}

/** Hashes every job; a file that is missing or unreadable gives an outcome with `error`, not a throw.
 *  Rejects with an AbortError when the signal fires. Outcomes are in the order of `jobs`. */
export async function hashFiles(jobs: HashJob[], options: HashOptions = {}): Promise<HashOutcome[]> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError(signal);

  const outcomes: (HashOutcome | undefined)[] = new Array(jobs.length);
  const sizes = await Promise.all(
    jobs.map(async (job, i) => {
      const check = await checkPackageFile(job.packageDir, job.path);
      if (check.status === 'file' && job.range && job.range.offset + job.range.length > check.size) {
        outcomes[i] = { job, error: fileErrorFrom(new Error(`'${job.name}' lies past the end of ${job.path}`), job.name, job.path) };
        return 0;
      }
      if (check.status === 'file') return job.range ? job.range.length : check.size;
      const refused = new PackagePathError(job.name, job.path, check.status, `'${job.name}' ${describeCheck(check)}`);
      outcomes[i] = { job, error: fileErrorFrom(refused, job.name, job.path) };
      return 0;
    }),
  );
  if (signal?.aborted) throw abortError(signal);

  const queue = jobs.map((_, i) => i).filter((i) => !outcomes[i]).sort((a, b) => sizes[b] - sizes[a]);
  const progress: HashProgress = { bytesDone: 0, bytesTotal: queue.reduce((n, i) => n + sizes[i], 0), filesDone: 0, filesTotal: queue.length };
  onProgress?.({ ...progress });
  if (queue.length === 0) return outcomes as HashOutcome[];

  const cores = availableParallelism();
  const workerCount = Math.max(1, Math.min(options.concurrency ?? cores, queue.length));
  // With a core to spare, reads overlap hashing on the thread pool; with every core hashing, that
  // only adds hand-offs (measured: bench/hash.bench.mjs), so each worker reads and hashes in turn.
  const overlapReads = workerCount < cores;
  const workers: Worker[] = [];
  const open = new Map<number, FileHandle>();
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => finish(abortError(signal));
      signal?.addEventListener('abort', onAbort, { once: true });

      const recordDone = (worker: Worker) => {
        progress.filesDone++;
        if (progress.filesDone === progress.filesTotal) finish();
        else void next(worker);
      };
      const next = async (worker: Worker): Promise<void> => {
        const i = queue.shift();
        if (i === undefined) return;
        let handle: FileHandle;
        try {
          handle = (await openPackageFile(jobs[i].packageDir, jobs[i].path, jobs[i].name)).handle;
        } catch (err) {
          outcomes[i] = { job: jobs[i], error: fileErrorFrom(err, jobs[i].name, jobs[i].path) };
          if (!settled) recordDone(worker);
          return;
        }
        if (settled) {
          await handle.close();
          return;
        }
        open.set(i, handle);
        const job: HashWorkerJob = { id: i, fd: handle.fd, algorithm: jobs[i].algorithm, range: jobs[i].range, overlapReads };
        worker.postMessage(job);
      };
      for (let w = 0; w < workerCount; w++) {
        const worker = new Worker(WORKER_PATH);
        workers.push(worker);
        worker.on('message', (m: HashWorkerMessage) => {
          if (settled) return; // a message that raced an abort
          if (m.type === 'progress') {
            progress.bytesDone += m.bytes;
            onProgress?.({ ...progress });
            return;
          }
          const job = jobs[m.id];
          void open.get(m.id)?.close().catch(() => undefined);
          open.delete(m.id);
          outcomes[m.id] =
            m.type === 'done'
              ? { job, digest: m.digest, size: m.size }
              : { job, error: fileErrorFrom(Object.assign(new Error(m.message), { code: m.code }), job.name, job.path) };
          if (m.type === 'done') onProgress?.({ ...progress, filesDone: progress.filesDone + 1 });
          recordDone(worker);
        });
        worker.on('error', (err) => finish(new Error(`hashing worker failed: ${err.message}`)));
        worker.on('exit', (code) => {
          if (!settled && code !== 0) finish(new Error(`hashing worker exited with code ${code}`));
        });
        void next(worker);
      }
    });
  } finally {
    // Terminating stops a worker mid-read; the descriptors it read are closed after it is gone.
    await Promise.all(workers.map((w) => w.terminate()));
    await Promise.all([...open.values()].map((h) => h.close()));
  }
  return outcomes as HashOutcome[];
}
