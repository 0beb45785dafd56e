// Running the files of a package a few at a time (issue #15): one long TCP stream rarely fills a
// real link, several do. Workers take the next file from one queue; a worker may retire early
// (an FTPS server that refuses another session), and the rest carry on with its share; one whose
// session is refused mid-file hands the file back (HandBack) for another to resume. The first
// failure stops the package: no further file starts, the files in flight are told to stop
// (through the signal each one gets) and the run waits for them before it rethrows that failure,
// so nothing is still moving once the caller reports.

/** Files sent at once unless the user says otherwise. */
export const DEFAULT_PARALLEL = 3;
export const MAX_PARALLEL = 8;

/** A user's parallel setting as a number of workers (1..8), or a message saying what is wrong. */
export function checkParallel(value: unknown): number | string {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) return `expected a whole number of files at once from 1 to ${MAX_PARALLEL}, not ${String(value)}`;
  return n;
}

/** An editor setting out of range or not a number falls back to the default rather than failing a transfer. */
export function parallelSetting(value: unknown): number {
  const n = checkParallel(value);
  return typeof n === 'number' ? n : DEFAULT_PARALLEL;
}

/** What a worker gets: its number (0 first), and a signal that fires when the run stops (a cancel, or another file failed). */
export interface WorkerContext {
  worker: number;
  signal: AbortSignal;
  /** Whether another worker is still taking items, so this one may hand its item back and retire. */
  othersWorking(): boolean;
}

/**
 * Thrown by `run` when its worker can go on no longer but the item can (the server refused the
 * worker a new session): the item goes back to the front of the queue for another worker, and
 * this one retires. Meant only when `othersWorking()`; when none is left by then, the worker takes
 * the item again itself.
 */
export class HandBack extends Error {
  constructor(readonly refusal: unknown) {
    super(`handed back: ${(refusal as Error)?.message ?? String(refusal)}`);
    this.name = 'HandBack';
  }
}

export interface ParallelOptions<T> {
  /** Workers at most; fewer when there are fewer items. */
  parallel: number;
  /** The caller's cancel. */
  signal?: AbortSignal;
  /**
   * Run by each worker before it takes its first item (opening its own session). Worker 0's runs
   * alone first, so the others do not all try a login that fails (a wrong password, tried N times
   * at once, can lock an account); its failure is the run's. Resolving `false` retires an extra worker.
   */
  startWorker?: (ctx: WorkerContext) => Promise<boolean>;
  /** Run by each worker once it takes no more items, whatever happened (closing its session). */
  stopWorker?: (ctx: WorkerContext) => void | Promise<void>;
  /** One item, on the worker that took it. */
  run: (item: T, index: number, ctx: WorkerContext) => Promise<void>;
}

/** Runs `run` over `items` with up to `parallel` at once, taking them in order. */
export async function runInParallel<T>(items: readonly T[], options: ParallelOptions<T>): Promise<void> {
  if (!items.length) return;
  const stop = new AbortController();
  const onCancel = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  let next = 0;
  const handedBack: number[] = [];
  const working = new Set<number>();
  let failure: { err: unknown } | undefined;
  const workers = Math.max(1, Math.min(Math.floor(options.parallel) || 1, items.length));

  let firstStarted: () => void = () => undefined;
  const firstStart = new Promise<void>((resolve) => (firstStarted = resolve));
  const work = async (worker: number): Promise<void> => {
    const ctx: WorkerContext = { worker, signal: stop.signal, othersWorking: () => working.size > (working.has(worker) ? 1 : 0) };
    try {
      if (worker > 0) await firstStart;
      if (failure || stop.signal.aborted) return;
      const started = options.startWorker ? await options.startWorker(ctx) : true;
      if (worker === 0) firstStarted();
      if (!started && worker > 0) return;
      working.add(worker);
      while (!failure && !stop.signal.aborted && (handedBack.length || next < items.length)) {
        const index = handedBack.length ? handedBack.shift()! : next++;
        try {
          await options.run(items[index], index, ctx);
        } catch (err) {
          if (!(err instanceof HandBack)) throw err;
          handedBack.push(index);
          // The others stopped meanwhile: this worker takes the item again itself.
          if (!ctx.othersWorking()) continue;
          return;
        }
      }
    } catch (err) {
      // The first failure is the run's; later ones are the stop it caused.
      if (!failure) failure = { err };
      stop.abort(err);
    } finally {
      working.delete(worker);
      if (worker === 0) firstStarted();
      await options.stopWorker?.(ctx);
    }
  };

  try {
    const running: Promise<void>[] = [];
    for (let w = 0; w < workers; w++) running.push(work(w));
    await Promise.all(running);
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
  }
  if (failure) throw failure.err;
  if (options.signal?.aborted) throw options.signal.reason;
  if (next < items.length) throw new Error(`internal: ${items.length - next} of ${items.length} files were never started`);
}
