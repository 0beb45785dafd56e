// The shared transfer core: the one formatter, the rate meter, the progress meter and its event,
// the one progress line, the backoff and the abortable sleep.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeBytesProgress, etaSeconds, formatBytes, formatDuration, formatRate } from '../../client/src/transfer/common/format';
import { ProgressMeter, RateMeter, TransferProgress } from '../../client/src/transfer/common/progress';
import { describeTransferProgress } from '../../client/src/transfer/common/progressText';
import { backoffDelay, resolveRetryPolicy, withRetries } from '../../client/src/transfer/common/backoff';
import { isAbortError, sleep } from '../../client/src/transfer/common/abort';
import { formatBytes as editorFormatBytes } from '../../server/src/ovf/model/units';
import { describeProgress as describeHashing } from '../../server/src/ovf/manifest/progressText';

const MiB = 1024 * 1024;

test('one wording of sizes, rates and times left, for the editor, hashing and transfers', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1024), '1 KiB');
  assert.equal(formatBytes(1.5 * MiB), '1.5 MiB');
  assert.equal(formatBytes(10 * 1024 * MiB + MiB), '10.0 GiB');
  assert.equal(editorFormatBytes(20 * 1024 * MiB), '20 GiB', 'the editor uses the same formatter');
  assert.equal(formatRate(112 * MiB + MiB / 3), '112.3 MiB/s');
  assert.equal(formatDuration(7), '0:07');
  assert.equal(formatDuration(725), '12:05');
  assert.equal(formatDuration(3725), '1:02:05');
  assert.equal(etaSeconds(1001, 100), 11);
  assert.equal(etaSeconds(1000, undefined), undefined);
  assert.equal(etaSeconds(1000, 0), undefined);
  assert.equal(describeBytesProgress(MiB, 4 * MiB), '1 MiB / 4 MiB 25%');
  assert.equal(describeBytesProgress(MiB, 4 * MiB, MiB, 3), '1 MiB / 4 MiB 25%, 1 MiB/s, ETA 0:03');
  assert.equal(describeBytesProgress(0, 0), '0 B / 0 B 100%');
  // Hashing reads like a transfer: same line, at the average rate so far.
  assert.equal(describeHashing({ bytesDone: MiB, bytesTotal: 4 * MiB, filesDone: 0, filesTotal: 2 }, 1000), '1 MiB / 4 MiB 25%, 1 MiB/s, ETA 0:03');
});

test('the rate is measured over a sliding window, so a stall shows within seconds', () => {
  const meter = new RateMeter(5000);
  assert.equal(meter.update(0, 0), undefined, 'no rate from a single sample');
  assert.equal(meter.update(1000, 100 * MiB), 100 * MiB);
  assert.equal(meter.update(2000, 200 * MiB), 100 * MiB);
  // Stalled for 6 s: the window forgets the fast start.
  let t = 3000;
  for (; t <= 8000; t += 1000) meter.update(t, 200 * MiB);
  assert.ok(meter.update(t, 200 * MiB)! < 20 * MiB);
  // Many samples later the window still holds only its last few seconds (the head is compacted).
  let rate: number | undefined;
  for (let i = 1; i <= 10_000; i++) rate = meter.update(t + i * 100, 200 * MiB + i * MiB);
  assert.equal(Math.round(rate!), 10 * MiB);
});

test('the progress meter: package bytes, files in flight, resume not counted as rate, rewinds, retry notices', () => {
  let now = 0;
  const events: TransferProgress[] = [];
  const meter = new ProgressMeter(10 * MiB, 2, (p) => events.push(p), { reportEveryMs: 250, now: () => now });
  const first = meter.forFile('a.vmdk', 1, 4 * MiB);
  first.begin(2 * MiB); // the other side holds half of it already
  assert.deepEqual(events.at(-1)!.files, [{ name: 'a.vmdk', index: 1, bytesDone: 2 * MiB, bytesTotal: 4 * MiB }]);
  assert.equal(events.at(-1)!.bytesDone, 2 * MiB);
  first.advance(MiB / 2); // the first bytes are reported at once
  assert.equal(events.length, 2);
  now = 100;
  first.advance(1024); // within 250 ms of the last report and under 1% of the package: counted, not reported
  assert.equal(events.length, 2);
  now = 150;
  first.advance(MiB / 2 - 1024); // past 1% of the package since the last report: reported however soon
  assert.equal(events.length, 3);
  now = 1000;
  first.advance(MiB / 2);
  const moving = events.at(-1)!;
  assert.equal(moving.bytesDone, 3.5 * MiB);
  assert.equal(moving.bytesPerSecond, 1.5 * MiB, 'the resumed 2 MiB are not part of the rate');
  assert.equal(moving.etaSeconds, Math.ceil((6.5 * MiB) / (1.5 * MiB)));
  first.retrying({ reason: 'connection reset', attempt: 2, attempts: 5, delayMs: 1000 });
  assert.equal(describeTransferProgress(events.at(-1)!), '[1/2] a.vmdk: retrying in 1 s (attempt 2 of 5): connection reset');
  first.begin(3 * MiB); // the retry finds 3 MiB on the other side
  assert.equal(events.at(-1)!.retry, undefined, 'the next report clears the notice');
  assert.equal(events.at(-1)!.bytesDone, 3 * MiB);
  now = 2000;
  first.advance(MiB);
  first.finish();
  assert.equal(events.at(-1)!.files[0].bytesDone, 4 * MiB, 'the finished file is reported complete');
  const second = meter.forFile('b.vmdk', 2, 6 * MiB);
  second.begin(0);
  assert.deepEqual(events.at(-1)!.files.map((f) => f.name), ['b.vmdk'], 'the finished file left the files in flight');
  assert.equal(describeTransferProgress({ ...events.at(-1)!, bytesPerSecond: undefined, etaSeconds: undefined }), '[2/2] b.vmdk 4 MiB / 10 MiB 40%');
});

test('the progress line lists every file in flight', () => {
  const p: TransferProgress = {
    bytesDone: 3 * MiB, bytesTotal: 12 * MiB, fileCount: 4, bytesPerSecond: MiB, etaSeconds: 9,
    files: [{ name: 'a.vmdk', index: 2, bytesDone: MiB, bytesTotal: 4 * MiB }, { name: 'b\x1b[2J.vmdk', index: 3, bytesDone: MiB, bytesTotal: 4 * MiB }],
  };
  assert.equal(describeTransferProgress(p), '[2,3/4] a.vmdk, b\\x1b[2J.vmdk 3 MiB / 12 MiB 25%, 1 MiB/s, ETA 0:09');
});

test('backoff: exponential up to the cap, transient failures retried up to the attempts, others at once', async () => {
  const policy = resolveRetryPolicy({ attempts: 4, baseDelayMs: 5, maxDelayMs: 12 });
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(policy, n)), [5, 10, 12, 12]);
  assert.equal(resolveRetryPolicy({ attempts: 0 }).attempts, 1, 'at least one try');
  const transient = new Error('reset');
  const seen: Array<[number, number]> = [];
  let tries = 0;
  const value = await withRetries(async () => {
    if (++tries < 3) throw transient;
    return 'ok';
  }, { policy, isTransient: (e) => e === transient, onRetry: (_e, attempt, delay) => seen.push([attempt, delay]) });
  assert.equal(value, 'ok');
  assert.deepEqual(seen, [[2, 5], [3, 10]]);
  tries = 0;
  await assert.rejects(withRetries(async () => { tries++; throw transient; }, { policy, isTransient: () => true }), /reset/);
  assert.equal(tries, 4, 'gives up after the last attempt');
  tries = 0;
  await assert.rejects(withRetries(async () => { tries++; throw new Error('refused'); }, { policy, isTransient: () => false }), /refused/);
  assert.equal(tries, 1, 'a permanent failure is not retried');
});

test('cancel ends a backoff wait at once, with the error the protocol chose', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const waiting = withRetries(async () => { throw new Error('busy'); }, {
    policy: resolveRetryPolicy({ attempts: 3, baseDelayMs: 60_000 }),
    signal: controller.signal,
    isTransient: () => true,
    cancelled: () => new Error('upload cancelled'),
  });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(waiting, /upload cancelled/);
  assert.ok(Date.now() - started < 5000);
});

test('the abortable sleep: waits, rejects with an AbortError when cancelled, and at once when already cancelled', async () => {
  await sleep(5);
  const controller = new AbortController();
  const slept = sleep(60_000, controller.signal);
  controller.abort();
  await assert.rejects(slept, (e) => isAbortError(e));
  await assert.rejects(sleep(1, controller.signal), (e) => isAbortError(e));
});
