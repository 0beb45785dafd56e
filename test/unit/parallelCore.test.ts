// The shared core of parallel transfers: the worker pool (order, limit, retiring workers, the first
// failure stopping the rest, cancel) and the one progress with several files in flight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { checkParallel, HandBack, runInParallel } from '../../client/src/transfer/common/parallel';
import { ProgressMeter, TransferProgress } from '../../client/src/transfer/common/progress';
import { describeTransferProgress } from '../../client/src/transfer/common/progressText';

const MiB = 1024 * 1024;

test('the pool runs at most `parallel` items at once, takes them in order, and runs each once', async () => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const done = new Set<number>();
  await runInParallel([0, 1, 2, 3, 4, 5, 6], {
    parallel: 3,
    run: async (item) => {
      started.push(item);
      running++;
      most = Math.max(most, running);
      await delay(5 + (item % 3) * 5);
      running--;
      done.add(item);
    },
  });
  assert.equal(most, 3);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(done.size, 7);
});

test('an item handed back goes to another worker next, and its worker retires', async () => {
  const ran: string[] = [];
  const stopped: number[] = [];
  await runInParallel([0, 1, 2, 3], {
    parallel: 2,
    stopWorker: ({ worker }) => void stopped.push(worker),
    run: async (item, _i, ctx) => {
      ran.push(`${item}@${ctx.worker}`);
      if (item === 1 && ctx.worker === 1) {
        assert.equal(ctx.othersWorking(), true);
        throw new HandBack(new Error('421 too many connections'));
      }
      await delay(item === 0 ? 30 : 5);
    },
  });
  // Worker 1 gave item 1 back and stopped; worker 0 took it before the items not yet started.
  assert.deepEqual(ran, ['0@0', '1@1', '1@0', '2@0', '3@0']);
  assert.deepEqual(stopped, [1, 0]);
});

test('an item handed back when no other worker is left is taken again by the same worker', async () => {
  const ran: string[] = [];
  let tries = 0;
  await runInParallel([0, 1], {
    parallel: 2,
    run: async (item, _i, ctx) => {
      ran.push(`${item}@${ctx.worker}`);
      if (item === 0) await delay(5); // so worker 1 takes item 1
      if (item === 1 && tries++ === 0) {
        await delay(20); // worker 0 has finished item 0 and left by now
        assert.equal(ctx.othersWorking(), false);
        throw new HandBack(new Error('refused'));
      }
    },
  });
  assert.deepEqual(ran, ['0@0', '1@1', '1@1']);
});

test('a worker that retires leaves its share to the others; worker 0 cannot retire', async () => {
  const byWorker = new Map<number, number[]>();
  const stopped: number[] = [];
  await runInParallel([0, 1, 2, 3, 4], {
    parallel: 4,
    startWorker: async ({ worker }) => worker === 0 || worker === 1, // a server that takes 2 sessions
    stopWorker: ({ worker }) => void stopped.push(worker),
    run: async (item, _i, { worker }) => {
      await delay(2);
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), item]);
    },
  });
  assert.deepEqual([...byWorker.keys()].sort(), [0, 1]);
  assert.equal([...byWorker.values()].flat().length, 5);
  assert.deepEqual(stopped.sort(), [0, 1, 2, 3], 'every worker is stopped, retired or not');
});

test('the first failure stops the run: nothing new starts, the others are told to stop and awaited', async () => {
  const started: number[] = [];
  let stillRunning = 0;
  const err = await runInParallel([0, 1, 2, 3, 4, 5], {
    parallel: 3,
    run: async (item, _i, { signal }) => {
      started.push(item);
      stillRunning++;
      try {
        if (item === 1) {
          await delay(5);
          throw new Error('disk full');
        }
        await new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => setTimeout(() => reject(new Error('stopped')), 20), { once: true }));
      } finally {
        stillRunning--;
      }
    },
  }).catch((e: Error) => e);
  assert.equal((err as Error).message, 'disk full', 'the first failure, not the stops it caused');
  assert.equal(stillRunning, 0, 'no file is still moving when the run reports');
  assert.deepEqual(started, [0, 1, 2]);
});

test('cancel stops every worker and rejects with the signal reason', async () => {
  const cancel = new AbortController();
  setTimeout(() => cancel.abort(new Error('cancelled by the user')), 10);
  const err = await runInParallel([0, 1, 2, 3], {
    parallel: 2,
    signal: cancel.signal,
    run: (_item, _i, { signal }) => new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true })),
  }).catch((e: Error) => e);
  assert.match((err as Error).message, /stopped|cancelled/);
});

test('the parallel setting: 1..8 whole numbers, and a message otherwise', () => {
  assert.equal(checkParallel(3), 3);
  assert.equal(checkParallel('8'), 8);
  assert.match(String(checkParallel('9')), /from 1 to 8, not 9/);
  assert.match(String(checkParallel(0)), /not 0/);
  assert.match(String(checkParallel('two')), /not two/);
  assert.match(String(checkParallel(1.5)), /not 1.5/);
});

test('progress with files in flight: package totals, transfer order, retry notices that stay until the file moves', () => {
  const events: TransferProgress[] = [];
  const meter = new ProgressMeter(12 * MiB, 3, (p) => events.push(p), { reportEveryMs: 250, now: () => 0 });
  const c = meter.forFile('c.vmdk', 3, 4 * MiB);
  const b = meter.forFile('b.vmdk', 2, 4 * MiB);
  const a = meter.forFile('a.vmdk', 1, 4 * MiB);
  c.begin(0);
  b.begin(MiB); // resumed
  a.begin(0);
  assert.deepEqual(events.at(-1)!.files.map((f) => f.index), [1, 2, 3], 'listed in transfer order, not start order');
  a.advance(MiB);
  b.advance(MiB);
  c.advance(2 * MiB);
  const last = events.at(-1)!;
  assert.equal(last.bytesDone, 5 * MiB, 'bytes of every file in flight, the resumed MiB included');
  assert.equal(last.files.reduce((n, f) => n + f.bytesDone, 0), last.bytesDone);
  b.retrying({ reason: 'connection reset', attempt: 2, attempts: 5, delayMs: 2000 });
  a.advance(MiB); // another file moving does not hide b's notice
  const shown = events.at(-1)!;
  assert.equal(shown.retry?.file, 'b.vmdk');
  assert.equal(describeTransferProgress({ ...shown, bytesPerSecond: undefined, etaSeconds: undefined }), '[1,3/3] a.vmdk, c.vmdk 6 MiB / 12 MiB 50%; [2/3] b.vmdk: retrying in 2 s (attempt 2 of 5): connection reset');
  b.begin(MiB); // the retry finds what the server holds: the notice goes
  assert.equal(events.at(-1)!.retry, undefined);
  c.advance(2 * MiB);
  c.finish();
  assert.equal(events.at(-1)!.files.find((f) => f.name === 'c.vmdk')?.bytesDone, 4 * MiB, 'the finished file is reported complete');
  assert.deepEqual(meter.snapshot().files.map((f) => f.name), ['a.vmdk', 'b.vmdk'], 'then it leaves the files in flight');
});
