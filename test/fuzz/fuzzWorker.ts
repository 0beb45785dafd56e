// Worker thread of the fuzzer: runs cases one after another and reports each start, each failure
// and the end. A case that hangs blocks only this thread; the main thread sees no progress and
// terminates it, naming the seed of the case that started last.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSeeds, makeCase, runCase } from './fuzzer';

export type FuzzMessage =
  | { type: 'start'; seed: number }
  | { type: 'fail'; seed: number; target: string; message: string; inputLength: number }
  | { type: 'end'; cases: number };

export interface FuzzWorkerData {
  seed: number;
  cases: number;
  root: string;
}

const port = parentPort;
if (port) {
  const post = (m: FuzzMessage) => port.postMessage(m);
  let current = { seed: 0, target: '', inputLength: 0 };
  // A rejection nobody awaited is a failure of the case that was running.
  process.on('unhandledRejection', (reason) => post({ type: 'fail', ...current, message: `unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}` }));
  void (async () => {
    const { seed, cases, root } = workerData as FuzzWorkerData;
    const seeds = loadSeeds(root);
    for (let i = 0; i < cases; i++) {
      const caseSeed = (seed + i) >>> 0;
      post({ type: 'start', seed: caseSeed });
      const c = makeCase(caseSeed, seeds);
      current = { seed: caseSeed, target: c.target, inputLength: c.input.length };
      try {
        await runCase(c);
      } catch (err) {
        post({ type: 'fail', ...current, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    }
    post({ type: 'end', cases });
  })();
}
