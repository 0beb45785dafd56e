// The FTPS client against a hostile staging server (issue #10): a listing that announces 2 KB
// and a RETR without end, listings without end, bytes trickled to defeat idle timeouts, more
// bytes than announced, names that would leave the target folder or rewrite the terminal, and
// existing local files a download must not silently replace. The peer is a real FTPS server
// (TLS on control and data connections) on 127.0.0.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/src/cli/main';
import {
  downloadFromFtps,
  ExistingFilesError,
  FtpsDownloadError,
  FtpsEndpoint,
  FtpsLimits,
  FtpsTimeoutError,
  FtpsTooMuchDataError,
  FtpsUploadError,
  listStagingFolder,
  LocalFileError,
  PARTIAL_SUFFIX,
  uploadToFtps,
} from '../../client/src/transfer/ftps';
import { HostileFtpsServer, startHostileFtpsServer } from '../support/hostileFtpsServer';

const MiB = 1024 * 1024;
let server: HostileFtpsServer;
const scratch: string[] = [];

before(async () => {
  server = await startHostileFtpsServer({ files: {} });
});
after(async () => {
  await server.close();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function endpoint(limits?: FtpsLimits): FtpsEndpoint {
  return { host: server.host, port: server.port, user: server.user, password: server.password, caFile: server.caFile, timeoutMs: 5000, limits };
}

function emptyDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-hostile-dl-'));
  scratch.push(d);
  return d;
}

/** Fails the test if `promise` is still pending after `ms`: a hang is a failure. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const hang = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)));
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

const downloadFailure = (reason: new (...args: never[]) => Error, message: RegExp) => (err: unknown) =>
  err instanceof FtpsDownloadError && err.reason instanceof reason && message.test(err.message);

describe('listing a hostile staging folder', () => {
  test('a descriptor listed as 2 KB whose RETR never ends is cut at the 16 MiB cap by bytes received', async () => {
    server.script = { files: { 'app.ovf': { size: 2048, body: { kind: 'endless', fill: '<' } }, 'app-disk1.vmdk': { size: 10 } } };
    server.bytesSent = 0;
    await within(30_000, assert.rejects(listStagingFolder(endpoint(), undefined), (err: Error) =>
      err instanceof FtpsTooMuchDataError && /app\.ovf \(listed as 2048 bytes\)/.test(err.message) && /more than 16 MiB/.test(err.message)));
    assert.ok(server.bytesSent < 64 * MiB, `the server wrote ${server.bytesSent} bytes`);
  });

  test('a listing without end is cut at the listing cap', async () => {
    server.script = { files: {}, listing: { kind: 'endless', fill: 'a' } };
    await within(20_000, assert.rejects(listStagingFolder(endpoint({ maxListingBytes: 256 * 1024 }), undefined), (err: Error) =>
      err instanceof FtpsTooMuchDataError && /the listing of the login folder/.test(err.message) && /256 KiB/.test(err.message)));
  });

  test('a listing trickled a byte at a time is cut off by the overall deadline, which says how to raise it', async () => {
    server.script = { files: {}, listing: { kind: 'trickle', data: '-rw-r--r-- 1 ftp ftp 10 Dec 01 12:00 a.vmdk\r\n'.repeat(50), intervalMs: 50 } };
    await within(15_000, assert.rejects(listStagingFolder(endpoint({ timeoutSeconds: 1 }), undefined), (err: Error) =>
      err instanceof FtpsTimeoutError && /listing the login folder/.test(err.message) && /1 s/.test(err.message) && /--timeout SECONDS/.test(err.message) && /ovfkit\.ftps\.timeoutSeconds/.test(err.message)));
  });

  test('the CLI\'s --timeout bounds the listing; a bad --min-rate is bad usage', async () => {
    server.script = { files: {}, listing: { kind: 'trickle', data: 'x'.repeat(1000), intervalMs: 50 } };
    const base = ['download', 'ftps', '--host', server.host, '--port', String(server.port), '--user', server.user, '--password-env', 'PW', '--ca', server.caFile];
    const run = async (...extra: string[]) => {
      const err = capture();
      const code = await main([...base, ...extra], { stdout: capture(), stderr: err, env: { PW: server.password }, signal: new AbortController().signal });
      return { code, stderr: err.text() };
    };
    const slow = await within(15_000, run('--timeout', '1'));
    assert.equal(slow.code, 1);
    assert.match(slow.stderr, /listing the login folder: not finished within the overall deadline of 1 s \(raise it with --timeout SECONDS/);
    const bad = await run('--min-rate', 'fast');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--min-rate fast: expected bytes per second/);
  });

  test('names with control characters are listed with them neutralised (CLI)', async () => {
    server.script = { files: { 'evil\x1b[2J.ovf': { size: 10, body: { kind: 'bytes', data: 'not xml!!!' } }, 'x\x07y.vmdk': { size: 3 } } };
    const out = capture();
    const err = capture();
    const code = await main(['download', 'ftps', '--host', server.host, '--port', String(server.port), '--user', server.user, '--password-env', 'PW', '--ca', server.caFile], {
      stdout: out,
      stderr: err,
      env: { PW: server.password },
      signal: new AbortController().signal,
    });
    assert.equal(code, 0, err.text());
    assert.doesNotMatch(out.text(), /[\x00-\x08\x0b-\x1f\x7f]/, JSON.stringify(out.text()));
    assert.match(out.text(), /evil\\x1b\[2J/);
  });
});

describe('downloading from a hostile server', () => {
  test('a file that sends more than its announced size stops at once and leaves nothing', async () => {
    server.script = { files: { 'disk1.vmdk': { size: 2048, body: { kind: 'endless' } } } };
    server.bytesSent = 0;
    const to = emptyDir();
    await within(20_000, assert.rejects(downloadFromFtps({ endpoint: endpoint(), files: [{ name: 'disk1.vmdk', size: 2048 }], toDir: to, retry: { attempts: 1 } }),
      downloadFailure(FtpsTooMuchDataError, /disk1\.vmdk: the server sent more than the 2048 bytes it announced/)));
    assert.deepEqual(readdirSync(to), [], 'neither the file nor a .partial stays');
    assert.ok(server.bytesSent < 64 * MiB, `the server wrote ${server.bytesSent} bytes`);
  });

  test('a file trickled a byte at a time is cut off by its overall deadline, which says how to raise it', async () => {
    server.script = { files: { 'disk1.vmdk': { size: 2048, body: { kind: 'trickle', data: randomBytes(2048), intervalMs: 50 } } } };
    const to = emptyDir();
    // 1 s plus 2048 bytes at 100 KB/s: the trickle (20 bytes/s) cannot make it.
    const limits = { floorSeconds: 1, minBytesPerSecond: 100_000 };
    await within(15_000, assert.rejects(downloadFromFtps({ endpoint: endpoint(limits), files: [{ name: 'disk1.vmdk', size: 2048 }], toDir: to, retry: { attempts: 1 } }),
      downloadFailure(FtpsTimeoutError, /downloading disk1\.vmdk \(2048 bytes\): not finished within the overall deadline of 1\.0 s.*--min-rate.*ovfkit\.ftps\.minBytesPerSecond/)));
    assert.ok(!existsSync(path.join(to, 'disk1.vmdk')));
  });

  test('a SIZE that is not a number of bytes is refused, nothing fetched', async () => {
    server.script = { files: { 'disk1.vmdk': { size: 10, sizeReply: '-5' } } };
    server.commands = [];
    await assert.rejects(downloadFromFtps({ endpoint: endpoint(), files: [{ name: 'disk1.vmdk', size: 10 }], toDir: emptyDir() }), /disk1\.vmdk: the server's SIZE is -5, not a number of bytes/);
    assert.ok(!server.commands.some((c) => c.startsWith('RETR')));
  });

  for (const [name, why] of [
    ['../evil.vmdk', /path separator/],
    ['.ssh\\authorized_keys', /path separator/],
    ['..', /names a folder/],
    ['disk\x1b[2J.vmdk', /control characters/],
    ['disk\x00.vmdk', /control characters/],
    ['disk1.vmdk.partial', /ovfkit's own partial downloads/],
  ] as const) {
    test(`a server name like ${JSON.stringify(name)} is refused before anything is fetched`, async () => {
      server.script = { files: { [name]: { size: 4 }, 'ok.vmdk': { size: 4 } } };
      server.commands = [];
      const to = emptyDir();
      await assert.rejects(downloadFromFtps({ endpoint: endpoint(), files: [{ name: 'ok.vmdk', size: 4 }, { name, size: 4 }], toDir: to }), (err: unknown) =>
        err instanceof FtpsDownloadError && err.reason instanceof LocalFileError && why.test(err.message) && !/[\x00-\x1f]/.test(err.message));
      assert.deepEqual(readdirSync(to), []);
      assert.ok(!server.commands.some((c) => c.startsWith('RETR')), server.commands.join(', '));
    });
  }
  test('a name with a folder no longer creates that folder under the target', async () => {
    server.script = { files: { '.ssh/authorized_keys': { size: 4 } } };
    const to = emptyDir();
    await assert.rejects(downloadFromFtps({ endpoint: endpoint(), files: [{ name: '.ssh/authorized_keys', size: 4 }], toDir: to }), /path separator/);
    assert.ok(!existsSync(path.join(to, '.ssh')));
  });
});

describe('uploading to a hostile server', () => {
  test('a server that never reads the data is cut off by the file\'s overall deadline', async () => {
    server.script = { files: {}, uploads: 'stall' };
    const dir = emptyDir();
    // Far more than loopback socket buffers hold, so the client's writes back up.
    const file = path.join(dir, 'disk1.vmdk');
    writeFileSync(file, randomBytes(48 * MiB));
    const limits = { floorSeconds: 1, minBytesPerSecond: 1024 * MiB };
    await within(20_000, assert.rejects(uploadToFtps({ endpoint: endpoint(limits), files: [{ name: 'disk1.vmdk', path: file, packageDir: dir }], retry: { attempts: 1 } }), (err: unknown) =>
      err instanceof FtpsUploadError && err.reason instanceof FtpsTimeoutError && /uploading disk1\.vmdk .*overall deadline.*--min-rate/.test(err.message) && err.uploaded.length === 0));
  });
});

describe('download safety: only ovfkit\'s own .partial files are resumed', () => {
  const content = randomBytes(3000);
  const files = () => ({ 'app.ovf': { size: 11, body: { kind: 'bytes' as const, data: '<Envelope/>' } }, 'app-disk1.vmdk': { size: content.length, body: { kind: 'bytes' as const, data: content } } });
  const items = [{ name: 'app.ovf', size: 11 }, { name: 'app-disk1.vmdk', size: content.length }];

  test('an existing file of the same size but other content is neither "resumed" nor replaced', async () => {
    server.script = { files: files() };
    const to = emptyDir();
    const mine = randomBytes(content.length);
    writeFileSync(path.join(to, 'app-disk1.vmdk'), mine);
    await assert.rejects(downloadFromFtps({ endpoint: endpoint(), files: items, toDir: to }), (err: unknown) =>
      err instanceof FtpsDownloadError && err.reason instanceof ExistingFilesError && /app-disk1\.vmdk/.test(err.message) && /--overwrite/.test(err.message));
    assert.deepEqual(readFileSync(path.join(to, 'app-disk1.vmdk')), mine, 'the user\'s file is untouched');
    assert.deepEqual(readdirSync(to), ['app-disk1.vmdk']);
  });

  test('with overwrite the existing file is replaced by the server\'s', async () => {
    server.script = { files: files() };
    const to = emptyDir();
    writeFileSync(path.join(to, 'app-disk1.vmdk'), randomBytes(content.length));
    const result = await downloadFromFtps({ endpoint: endpoint(), files: items, toDir: to, overwrite: true });
    assert.deepEqual(result.files.map((f) => [f.name, f.resumedFrom]), [['app.ovf', 0], ['app-disk1.vmdk', 0]]);
    assert.deepEqual(readFileSync(path.join(to, 'app-disk1.vmdk')), content);
  });

  test('a run that stops leaves only .partial files, and the next run resumes and names them', async () => {
    server.script = { files: { ...files(), 'app-disk2.vmdk': { size: 50, body: { kind: 'endless' } } } };
    const to = emptyDir();
    const all = [...items, { name: 'app-disk2.vmdk', size: 50 }];
    await assert.rejects(downloadFromFtps({ endpoint: endpoint(), files: all, toDir: to, retry: { attempts: 1 } }), FtpsDownloadError);
    assert.deepEqual(readdirSync(to).sort(), ['app-disk1.vmdk' + PARTIAL_SUFFIX, 'app.ovf' + PARTIAL_SUFFIX]);
    server.script = { files: { ...files(), 'app-disk2.vmdk': { size: 5, body: { kind: 'bytes', data: 'hello' } } } };
    const result = await downloadFromFtps({ endpoint: endpoint(), files: [...items, { name: 'app-disk2.vmdk', size: 5 }], toDir: to });
    assert.deepEqual(result.files.map((f) => f.resumedFrom), [11, content.length, 0]);
    assert.deepEqual(readdirSync(to).sort(), ['app-disk1.vmdk', 'app-disk2.vmdk', 'app.ovf']);
    assert.deepEqual(readFileSync(path.join(to, 'app-disk1.vmdk')), content);
  });

  test('the CLI refuses to replace an existing file unless --overwrite', async () => {
    server.script = { files: files() };
    const to = emptyDir();
    writeFileSync(path.join(to, 'app.ovf'), 'my own descriptor');
    const run = async (...extra: string[]) => {
      const out = capture();
      const err = capture();
      const code = await main(['download', 'ftps', '--host', server.host, '--port', String(server.port), '--user', server.user, '--password-env', 'PW', '--ca', server.caFile, 'app', '--to', to, ...extra], {
        stdout: out,
        stderr: err,
        env: { PW: server.password },
        signal: new AbortController().signal,
      });
      return { code, stderr: err.text() };
    };
    const refused = await run();
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to replace a file already in .* \(app\.ovf\).*--overwrite/);
    assert.equal(readFileSync(path.join(to, 'app.ovf'), 'utf8'), 'my own descriptor');
    const replaced = await run('--overwrite');
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.equal(readFileSync(path.join(to, 'app.ovf'), 'utf8'), '<Envelope/>');
  });
});

function capture(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}
