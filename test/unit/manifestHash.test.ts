import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHUNK_SIZE, digestFd, digestFdSync, SYNC_CHUNK_SIZE } from '../../server/src/ovf/manifest/digestFile';
import { HashProgress, hashFiles } from '../../server/src/ovf/manifest/hashFiles';
import { coreutilsDigest } from './manifestFixture';


describe('hashing', () => {
  let dir: string;
  const files: Record<string, string> = {};
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-hash-'));
    const write = (name: string, data: Buffer) => {
      files[name] = path.join(dir, name);
      writeFileSync(files[name], data);
    };
    write('empty.bin', Buffer.alloc(0));
    write('small.bin', randomBytes(1000));
    write('exact-chunk.bin', randomBytes(CHUNK_SIZE));
    // Larger than several chunks and not a multiple of one: shows the streaming path.
    write('large.bin', randomBytes(5 * CHUNK_SIZE + 12345));
    mkdirSync(path.join(dir, 'folder.vmdk'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const withFd = <T>(file: string, use: (fd: number) => T): T => {
    const fd = openSync(file, 'r');
    try {
      return use(fd);
    } finally {
      closeSync(fd);
    }
  };

  test('digestFd matches coreutils for every algorithm and size', async () => {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      for (const name of ['empty.bin', 'small.bin', 'exact-chunk.bin', 'large.bin']) {
        const fd = openSync(files[name], 'r');
        const { digest } = await digestFd(fd, algorithm).finally(() => closeSync(fd));
        assert.equal(digest, coreutilsDigest(files[name], algorithm), `${algorithm} ${name}`);
      }
    }
  });

  test('digestFdSync (read and hash in turn) matches coreutils too, a chunk at a time', () => {
    for (const algorithm of ['SHA1', 'SHA256'] as const) {
      for (const name of ['empty.bin', 'small.bin', 'large.bin']) {
        const steps: number[] = [];
        const { digest, size } = withFd(files[name], (fd) => digestFdSync(fd, algorithm, (n) => steps.push(n)));
        assert.equal(digest, coreutilsDigest(files[name], algorithm), `${algorithm} ${name}`);
        assert.equal(size, steps.reduce((a, b) => a + b, 0));
        assert.ok(steps.every((n) => n <= SYNC_CHUNK_SIZE));
      }
    }
  });

  test('hashFiles with one worker (reads overlapped with hashing) gives the same digests', async () => {
    const names = ['large.bin', 'small.bin'];
    const outcomes = await hashFiles(names.map((name) => ({ name, path: files[name], packageDir: dir, algorithm: 'SHA512' })), { concurrency: 1 });
    assert.deepEqual(outcomes.map((o) => o.digest), names.map((n) => coreutilsDigest(files[n], 'SHA512')));
  });

  test('hashFiles hashes several files on worker threads, in the order given, and streams in chunks', async () => {
    const names = ['small.bin', 'large.bin', 'empty.bin', 'exact-chunk.bin'];
    const events: HashProgress[] = [];
    const outcomes = await hashFiles(
      names.map((name, i) => ({ name, path: files[name], packageDir: dir, algorithm: i % 2 ? 'SHA256' : 'SHA1' })),
      { onProgress: (p) => events.push(p), concurrency: 2 },
    );
    assert.deepEqual(outcomes.map((o) => o.job.name), names);
    outcomes.forEach((o, i) => {
      assert.ok(!o.error, String(o.error));
      assert.equal(o.digest, coreutilsDigest(files[names[i]], i % 2 ? 'SHA256' : 'SHA1'));
    });
    const total = 1000 + 6 * CHUNK_SIZE + 12345;
    const last = events[events.length - 1];
    assert.deepEqual(last, { bytesDone: total, bytesTotal: total, filesDone: 4, filesTotal: 4 });
    // The large file's bytes arrive a chunk at a time, never more than one chunk per report.
    const steps = events.slice(1).map((e, i) => e.bytesDone - events[i].bytesDone).filter((d) => d > 0);
    assert.ok(steps.length >= 7, `${steps.length} progress steps`);
    assert.ok(steps.every((d) => d <= CHUNK_SIZE));
  });

  test('a missing file and a folder give per-file errors naming them; the others are still hashed', async () => {
    const outcomes = await hashFiles([
      { name: 'gone.vmdk', path: path.join(dir, 'gone.vmdk'), packageDir: dir, algorithm: 'SHA1' },
      { name: 'folder.vmdk', path: path.join(dir, 'folder.vmdk'), packageDir: dir, algorithm: 'SHA1' },
      { name: 'small.bin', path: files['small.bin'], packageDir: dir, algorithm: 'SHA1' },
    ]);
    assert.equal(outcomes[0].error?.reason, 'missing');
    assert.match(outcomes[0].error!.message, /'gone\.vmdk' is missing/);
    assert.equal(outcomes[1].error?.reason, 'not-a-file');
    assert.match(outcomes[1].error!.message, /'folder\.vmdk' is a folder, not a regular file/);
    assert.equal(outcomes[2].digest, coreutilsDigest(files['small.bin'], 'SHA1'));
  });

  test('an abort mid-hash rejects promptly with AbortError', async () => {
    const controller = new AbortController();
    const started = Date.now();
    let abortedAt = 0;
    await assert.rejects(
      hashFiles(
        // Many passes over the large file: seconds of work if not cancelled.
        Array.from({ length: 40 }, (_, i) => ({ name: `large${i}`, path: files['large.bin'], packageDir: dir, algorithm: 'SHA512' as const })),
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.bytesDone > 0 && !abortedAt) {
              abortedAt = Date.now();
              controller.abort();
            }
          },
        },
      ),
      (err: Error) => err.name === 'AbortError',
    );
    assert.ok(abortedAt > 0);
    assert.ok(Date.now() - abortedAt < 1000, `took ${Date.now() - abortedAt} ms after abort (${abortedAt - started} ms before)`);
  });

  test('an already aborted signal rejects before any work', async () => {
    await assert.rejects(hashFiles([{ name: 'x', path: files['small.bin'], packageDir: dir, algorithm: 'SHA1' }], { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });
});
