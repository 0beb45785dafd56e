// Progress arithmetic and formatting for the vCloud upload (rate window, ETA, the one-line text),
// and the CLI's size parsing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSize } from '../../client/src/cli/commands/uploadVcloud';
import { UsageError } from '../../client/src/cli/io';
import { describeProgress, etaSeconds, formatBytes, formatDuration, RateMeter } from '../../client/src/transfer/vcloud/progress';

test('the rate is measured over a sliding window, so a stall shows within seconds', () => {
  let now = 0;
  const meter = new RateMeter(5000, () => now);
  assert.equal(meter.update(0), undefined, 'no rate from a single sample');
  now = 1000;
  assert.equal(meter.update(100 * 1024 * 1024), 100 * 1024 * 1024);
  now = 2000;
  assert.equal(meter.update(200 * 1024 * 1024), 100 * 1024 * 1024);
  // Stalled for 6 s: the window forgets the fast start.
  for (now = 3000; now <= 8000; now += 1000) meter.update(200 * 1024 * 1024);
  assert.ok(meter.update(200 * 1024 * 1024)! < 20 * 1024 * 1024);
});

test('ETA from the remaining bytes and the rate; none without a rate', () => {
  assert.equal(etaSeconds(1000, 100), 10);
  assert.equal(etaSeconds(1001, 100), 11);
  assert.equal(etaSeconds(1000, undefined), undefined);
  assert.equal(etaSeconds(1000, 0), undefined);
});

test('the one-line progress text: file, bytes, rate, ETA; then the server phase', () => {
  const MiB = 1024 * 1024;
  const uploading = describeProgress({ phase: 'uploading', message: '', file: 'disk1.vmdk', bytesSent: 512 * MiB, bytesTotal: 1024 * MiB, rate: 100 * MiB, etaSeconds: 75 });
  assert.equal(uploading, 'disk1.vmdk 512.0 MiB / 1.0 GiB, 100.0 MiB/s, ETA 1m15s');
  const processing = describeProgress({ phase: 'processing', message: '', bytesSent: 1, bytesTotal: 1, serverPhase: 'Importing Virtual Application Template t(1)', serverProgress: 92 });
  assert.equal(processing, 'server: Importing Virtual Application Template t(1) (92%)');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatDuration(3725), '1h02m');
});

test('--chunk-size takes bytes or K/M/G suffixes and refuses nonsense', () => {
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('512K'), 512 * 1024);
  assert.equal(parseSize('64M'), 64 * 1024 * 1024);
  assert.equal(parseSize('1GiB'), 1024 ** 3);
  for (const bad of ['0', '-5', 'lots', '1.5M', '']) assert.throws(() => parseSize(bad), UsageError, bad);
});
