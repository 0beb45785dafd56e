// Runs the fuzzer in a worker thread with a watchdog: `cases` cases from `seed` (case i has seed
// seed+i), each allowed `perCaseMs` before it counts as a hang. Used by the test (a few thousand
// cases) and by `npm run fuzz -- --seed N --cases M` (scripts/fuzz.mjs).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FuzzMessage, FuzzWorkerData } from './fuzzWorker';

export interface FuzzFailure {
  seed: number;
  target: string;
  message: string;
}

export interface FuzzReport {
  casesRun: number;
  failures: FuzzFailure[];
}

export interface FuzzOptions {
  seed: number;
  cases: number;
  perCaseMs?: number;
  /** Stop after this many failures (default 10). */
  maxFailures?: number;
  onProgress?: (casesStarted: number) => void;
}

export function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const perCaseMs = options.perCaseMs ?? 10_000;
  const maxFailures = options.maxFailures ?? 10;
  const data: FuzzWorkerData = { seed: options.seed >>> 0, cases: options.cases, root: process.cwd() };
  const worker = new Worker(path.join(__dirname, 'fuzzWorker.js'), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  const failures: FuzzFailure[] = [];
  let started = 0;
  let lastSeed = data.seed;
  return new Promise<FuzzReport>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ casesRun: started, failures });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        failures.push({ seed: lastSeed, target: '?', message: `no progress for ${perCaseMs} ms: the case hangs (or is far too slow)` });
        finish();
      }, perCaseMs);
    };
    arm();
    worker.on('message', (m: FuzzMessage) => {
      if (m.type === 'start') {
        started++;
        lastSeed = m.seed;
        options.onProgress?.(started);
        arm();
      } else if (m.type === 'fail') {
        failures.push({ seed: m.seed, target: m.target, message: `${m.message} (input of ${m.inputLength} characters)` });
        if (failures.length >= maxFailures) finish();
      } else {
        finish();
      }
    });
    worker.on('error', (err) => {
      failures.push({ seed: lastSeed, target: '?', message: `the worker died: ${err.stack ?? err.message}` });
      finish();
    });
    worker.on('exit', (code) => {
      if (code !== 0 && timer) {
        failures.push({ seed: lastSeed, target: '?', message: `the worker exited with code ${code}` });
        finish();
      }
    });
  });
}

/** How a failure reads, with the command that replays it. */
export function describeFailure(f: FuzzFailure): string {
  return `seed ${f.seed} (${f.target}): ${f.message}\n  replay: npm run fuzz -- --seed ${f.seed} --cases 1`;
}
