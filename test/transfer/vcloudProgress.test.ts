// The vCloud upload's progress line (phases around the common transfer line) and the CLI's size parsing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSize } from '../../client/src/cli/commands/uploadVcloud';
import { UsageError } from '../../client/src/cli/io';
import { describeProgress } from '../../client/src/transfer/vcloud/progress';

test('the vCloud line: the transfer line while bytes move, then the server phase, else the message', () => {
  const MiB = 1024 * 1024;
  const files = [{ name: 'disk1.vmdk', index: 3, bytesDone: 100 * MiB, bytesTotal: 800 * MiB }];
  const uploading = describeProgress({ phase: 'uploading', message: '', files, fileCount: 3, bytesDone: 512 * MiB, bytesTotal: 1024 * MiB, bytesPerSecond: 100 * MiB, etaSeconds: 75 });
  assert.equal(uploading, '[3/3] disk1.vmdk 512 MiB / 1 GiB 50%, 100 MiB/s, ETA 1:15');
  const processing = describeProgress({ phase: 'processing', message: '', files: [], fileCount: 3, bytesDone: 1, bytesTotal: 1, serverPhase: 'Importing Virtual Application Template t(1)', serverProgress: 92 });
  assert.equal(processing, 'server: Importing Virtual Application Template t(1) (92%)');
  assert.equal(describeProgress({ phase: 'login', message: 'Logging in to https://x', files: [], fileCount: 3, bytesDone: 0, bytesTotal: 1 }), 'Logging in to https://x');
});

test('--chunk-size takes bytes or K/M/G suffixes and refuses nonsense', () => {
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('512K'), 512 * 1024);
  assert.equal(parseSize('64M'), 64 * 1024 * 1024);
  assert.equal(parseSize('1GiB'), 1024 ** 3);
  for (const bad of ['0', '-5', 'lots', '1.5M', '']) assert.throws(() => parseSize(bad), UsageError, bad);
});
