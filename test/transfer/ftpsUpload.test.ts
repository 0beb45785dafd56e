// Upload to a real FTPS server on 127.0.0.1 (ftp-srv from npm, or vsftpd with OVFKIT_FTPS_SERVER=vsftpd):
// order, byte-identical arrival, resume after a cut and after a cancel, one clear error per failure,
// and every file checked against the manifest as it is sent.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FtpsCancelledError,
  FtpsConnectionError,
  FtpsEndpoint,
  FtpsLoginError,
  FtpsManifestMismatchError,
  FtpsPermissionError,
  FtpsStorageError,
  FtpsTlsError,
  FtpsUploadError,
  FtpsVerifyError,
  LocalFileError,
  TransferProgress,
  UploadItem,
  describeTransferProgress,
  downloadFromFtps,
  listStagingFolder,
  uploadToFtps,
} from '../../client/src/transfer/ftps';
import { writeTestPki } from '../../client/src/simulator/testPki';
import { FtpsTestServer, sha256File, startFtpsTestServer } from '../support/ftpsServer';
import { makeTempDir } from '../support/tempDir';

const MiB = 1024 * 1024;
const FAST_RETRY = { attempts: 4, baseDelayMs: 50 };
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A package on disk: descriptor, manifest, a disk of `diskBytes` and a small second disk. */
function makePackage(diskBytes = 4 * MiB): { dir: string; files: UploadItem[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftps-pkg-'));
  const write = (name: string, data: Buffer | string) => {
    writeFileSync(path.join(dir, name), data);
    return { name, path: path.join(dir, name), packageDir: dir };
  };
  const files = [
    write('web.ovf', '<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n'),
    write('web.mf', 'SHA256(web.ovf)= 00\n'),
    write('web-disk1.vmdk', randomBytes(diskBytes)),
    write('web-disk2.vmdk', randomBytes(70_000)),
  ];
  return { dir, files };
}

/** Descriptor, disk and a manifest of both; `manifestDisk` is what the manifest's digest is taken of (default: the disk). */
function makeManifestPackage(disk: Buffer, manifestDisk: Buffer = disk): { dir: string; files: UploadItem[]; manifestPath: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftps-mf-'));
  const descriptor = '<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n';
  writeFileSync(path.join(dir, 'app.ovf'), descriptor);
  writeFileSync(path.join(dir, 'app-disk1.vmdk'), disk);
  writeFileSync(path.join(dir, 'app.mf'), `SHA256(app.ovf)= ${sha256(descriptor)}\nSHA256(app-disk1.vmdk)= ${sha256(manifestDisk)}\n`);
  const files = ['app.ovf', 'app.mf', 'app-disk1.vmdk'].map((name) => ({ name, path: path.join(dir, name), packageDir: dir }));
  return { dir, files, manifestPath: path.join(dir, 'app.mf') };
}

function endpointFor(server: FtpsTestServer, overrides: Partial<FtpsEndpoint> = {}): FtpsEndpoint {
  return { host: server.host, port: server.port, implicit: server.implicit, user: server.user, password: server.password, caFile: server.caFile, timeoutMs: 10_000, ...overrides };
}

async function settledSize(file: string): Promise<number> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const size = statSync(file).size;
    if (size === last) return size;
    last = size;
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

async function expectUploadError(promise: Promise<unknown>): Promise<FtpsUploadError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof FtpsUploadError, `expected FtpsUploadError, got ${err}`);
    return err;
  }
  assert.fail('the upload should have failed');
}

describe('FTPS upload', () => {
  let server: FtpsTestServer;
  const scratch: string[] = [];
  before(async () => {
    server = await startFtpsTestServer({ maxRate: 20 * MiB });
  });
  after(async () => {
    await server?.close();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  it('one at a time (parallel 1): delivers a multi-file package byte-identical, in the order given, verified', async () => {
    const pkg = makePackage();
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('order');
    const logs: string[] = [];
    const progress: number[] = [];
    const result = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, parallel: 1, onLog: (l) => logs.push(l), onProgress: (p) => progress.push(p.bytesDone), retry: FAST_RETRY });
    assert.deepEqual(result.files.map((f) => f.name), pkg.files.map((f) => f.name));
    for (const f of pkg.files) {
      const remote = path.join(server.root, remoteDir, f.name);
      assert.equal(sha256File(remote), sha256File(f.path), `${f.name} differs on the server`);
    }
    // Arrival order: each file was complete on the server before the next one started.
    const mtimes = pkg.files.map((f) => statSync(path.join(server.root, remoteDir, f.name)).mtimeMs);
    assert.deepEqual([...mtimes].sort((a, b) => a - b), mtimes);
    assert.deepEqual(logs.filter((l) => l.startsWith('uploaded ')).map((l) => l.split(' ')[1]), pkg.files.map((f) => f.name));
    const total = pkg.files.reduce((n, f) => n + statSync(f.path).size, 0);
    assert.equal(progress.at(-1), total);
    for (const f of result.files) assert.match(f.verifiedBy, server.offersHash ? /HASH SHA-256/ : /^size$/);
    assert.ok(logs.length >= 5 && !logs.some((l) => l.includes(server.password)), 'the password must not appear in any log line');
  });

  it('resumes a file after the connection is cut mid-transfer, to a byte-identical copy', async () => {
    const pkg = makePackage(6 * MiB);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('cut');
    server.onFileReaches(`${remoteDir}/web-disk1.vmdk`, 2 * MiB, () => server.cutConnections());
    const logs: string[] = [];
    const result = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, onLog: (l) => logs.push(l), retry: FAST_RETRY });
    const disk = result.files.find((f) => f.name === 'web-disk1.vmdk')!;
    assert.ok(disk.resumedFrom > 0 && disk.resumedFrom < 6 * MiB, `expected a resume inside the file, got ${disk.resumedFrom}`);
    assert.ok(logs.some((l) => /retry 1/.test(l)), logs.join('\n'));
    assert.ok(logs.some((l) => /web-disk1.vmdk: resuming at byte \d+/.test(l)), logs.join('\n'));
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
  });

  it('a session whose server process dies mid-file (vsftpd writes 500 OOPS in clear onto TLS) is retried and resumes', async () => {
    const pkg = makePackage(6 * MiB);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('oops');
    server.onFileReaches(`${remoteDir}/web-disk1.vmdk`, 2 * MiB, () => server.crashSessions());
    const logs: string[] = [];
    const result = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, onLog: (l) => logs.push(l), retry: FAST_RETRY });
    const disk = result.files.find((f) => f.name === 'web-disk1.vmdk')!;
    // The client notices either the OOPS on the control connection or the reset of the data
    // connection it is writing to, whichever comes first (the download test sees the OOPS every
    // time): both are a dropped session, and the file resumes.
    assert.ok(logs.some((l) => /(session .* ended .*plain text|dropped|ECONNRESET|EPIPE).*; retry 1/.test(l)), logs.join('\n'));
    assert.ok(disk.resumedFrom > 0 && disk.resumedFrom < 6 * MiB, `expected a resume inside the file, got ${disk.resumedFrom}`);
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
  });

  it('cancel stops within a second, keeps the partial file unreported, and the next run resumes it', async () => {
    // Much larger than what can be in flight when the abort fires (a 4 MiB read plus socket
    // buffers), so the server is left with a partial file however the bytes drain.
    const size = 32 * MiB;
    const pkg = makePackage(size);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('cancel');
    const controller = new AbortController();
    let abortedAt = 0;
    server.onFileReaches(`${remoteDir}/web-disk1.vmdk`, 2 * MiB, () => {
      abortedAt = Date.now();
      controller.abort();
    });
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, signal: controller.signal, retry: FAST_RETRY }));
    const stoppedAfter = Date.now() - abortedAt;
    assert.ok(abortedAt > 0, 'the abort never fired');
    assert.ok(stoppedAfter < 1000, `stopped ${stoppedAfter} ms after the abort`);
    assert.ok(err.reason instanceof FtpsCancelledError);
    // The small second disk may have finished beside the first (parallel); the cut one is never reported.
    assert.deepEqual(err.uploaded.map((f) => f.name).slice(0, 2), ['web.ovf', 'web.mf']);
    assert.ok(!err.uploaded.some((f) => f.name === 'web-disk1.vmdk'));
    // The server may still be draining what was in flight: wait until the partial file stops growing.
    const partial = await settledSize(path.join(server.root, remoteDir, 'web-disk1.vmdk'));
    assert.ok(partial > 0 && partial < size, `partial size ${partial}`);

    const again = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, retry: FAST_RETRY });
    const disk = again.files.find((f) => f.name === 'web-disk1.vmdk')!;
    assert.equal(disk.resumedFrom, partial);
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
  });

  it('a wrong password is one login error with the server\'s words, nothing uploaded, no retries', async () => {
    const pkg = makePackage(1000);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('badlogin');
    const logs: string[] = [];
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server, { password: 'not-the-password' }), remoteDir, files: pkg.files, onLog: (l) => logs.push(l), retry: { attempts: 5, baseDelayMs: 50 } }));
    assert.ok(err.reason instanceof FtpsLoginError, String(err.reason));
    assert.match(err.message, /530/);
    assert.equal(err.uploaded.length, 0);
    assert.ok(!logs.some((l) => /retry/.test(l)), `a login refusal must not be retried:\n${logs.join('\n')}`);
    assert.ok(!err.reason.transient);
    assert.deepEqual(readdirSync(path.join(server.root, remoteDir)), []);
    assert.ok(!err.message.includes('not-the-password'));
  });

  it('an untrusted certificate is refused as such (the front ends say how to trust it); never falls back to plain FTP', async () => {
    const pkg = makePackage(1000);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('untrusted');
    const otherCa = await writeTestPki(makeTempDir('ovfkit-otherca-'));
    for (const caFile of [undefined, otherCa.caFile]) {
      const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server, { caFile }), remoteDir, files: pkg.files, retry: FAST_RETRY }));
      assert.ok(err.reason instanceof FtpsTlsError, String(err.reason));
      assert.match(err.message, /not trusted/);
      assert.equal(err.reason.problem, 'certificate-untrusted');
      assert.doesNotMatch(err.message, /--ca|ovfkit\.ftps/, 'advice is worded by each front end, not the transfer layer');
      assert.equal(err.uploaded.length, 0);
    }
    assert.deepEqual(readdirSync(path.join(server.root, remoteDir)), []);
  });

  it('a missing local file is named before anything is sent', async () => {
    const pkg = makePackage(1000);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('missing');
    rmSync(pkg.files[2].path);
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, retry: FAST_RETRY }));
    assert.ok(err.reason instanceof LocalFileError);
    assert.match(err.message, /web-disk1\.vmdk/);
    assert.match(err.message, /web-disk1\.vmdk.*does not exist/);
    assert.equal(err.uploaded.length, 0);
    assert.deepEqual(readdirSync(path.join(server.root, remoteDir)), []);
  });

  it('a read-only remote folder stops at once with the server\'s words', async () => {
    const pkg = makePackage(1000);
    scratch.push(pkg.dir);
    const logs: string[] = [];
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir: server.readOnlyDir, files: pkg.files, onLog: (l) => logs.push(l), retry: FAST_RETRY }));
    assert.ok(err.reason instanceof FtpsPermissionError, String(err.reason));
    assert.ok(err.reason.serverReply && err.message.includes(err.reason.serverReply));
    assert.equal(err.uploaded.length, 0);
    assert.ok(!logs.some((l) => /retry/.test(l)), logs.join('\n'));
    assert.deepEqual(readdirSync(path.join(server.root, server.readOnlyDir)), []);
  });

  it('a full remote folder stops with the server\'s words and reports nothing half-sent', async (t) => {
    if (!server.fullDir) return t.skip('this server has no full folder (set OVFKIT_FTPS_FULL_DIR)');
    const pkg = makePackage(3 * MiB);
    scratch.push(pkg.dir);
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir: server.fullDir, files: pkg.files, retry: FAST_RETRY }));
    assert.ok(err.reason instanceof FtpsStorageError || err.reason instanceof FtpsPermissionError, `${err.reason.name}: ${err.message}`);
    assert.ok(!err.reason.transient);
    assert.ok(err.reason.serverReply && err.message.includes(err.reason.serverReply));
    assert.ok(!err.uploaded.some((f) => f.name === 'web-disk1.vmdk'));
    t.diagnostic(err.message);
  });

  it('a copy the server hashes differently is not reported as uploaded', async (t) => {
    if (server.kind !== 'ftp-srv') return t.skip('needs the npm server (HASH and a corrupting store)');
    const corrupting = await startFtpsTestServer({ corruptOnStore: (name) => name.endsWith('web-disk2.vmdk') });
    try {
      const pkg = makePackage(1000);
      scratch.push(pkg.dir);
      const remoteDir = corrupting.freshDir('corrupt');
      const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(corrupting), remoteDir, files: pkg.files, parallel: 1, retry: FAST_RETRY }));
      assert.ok(err.reason instanceof FtpsVerifyError, String(err.reason));
      assert.match(err.message, /HASH SHA-256/);
      assert.deepEqual(err.uploaded.map((f) => f.name), ['web.ovf', 'web.mf', 'web-disk1.vmdk']);
      assert.ok(!existsSync(path.join(corrupting.root, remoteDir, 'web-disk2.vmdk')), 'the bad copy should be removed');
    } finally {
      await corrupting.close();
    }
  });

  it('an unreachable server is retried, then one connection error', async () => {
    const pkg = makePackage(1000);
    scratch.push(pkg.dir);
    const logs: string[] = [];
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server, { port: 1 }), files: pkg.files, onLog: (l) => logs.push(l), retry: { attempts: 3, baseDelayMs: 20 } }));
    assert.ok(err.reason instanceof FtpsConnectionError, String(err.reason));
    assert.equal(logs.filter((l) => /retry \d/.test(l)).length, 2);
  });

  // Checked against the manifest while sent: a file that differs never arrives complete (its last
  // bytes are held back until the digest is known, then the partial copy is removed); a resumed
  // file's digest includes the prefix the server already had; retries show in the progress line.
  it('a disk that differs from the manifest never arrives complete: stopped before its last bytes, the partial copy removed', async () => {
    const disk = randomBytes(10 * MiB);
    const pkg = makeManifestPackage(disk, Buffer.concat([disk.subarray(0, disk.length - 1), Buffer.from([disk[disk.length - 1] ^ 1])]));
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('mismatch');
    let completeOnServer = false;
    server.onFileReaches(`${remoteDir}/app-disk1.vmdk`, disk.length, () => (completeOnServer = true));
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, manifestPath: pkg.manifestPath, retry: FAST_RETRY, chunkBytes: MiB }));
    assert.ok(err.reason instanceof FtpsManifestMismatchError, String(err.reason));
    assert.equal(err.reason.file, 'app-disk1.vmdk');
    assert.match(err.message, /app-disk1\.vmdk does not match the manifest: its SHA256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}/);
    assert.ok(!err.reason.transient, 'a mismatch is not retried');
    assert.deepEqual(err.uploaded.map((f) => f.name), ['app.ovf', 'app.mf']);
    assert.equal(completeOnServer, false, 'the whole disk reached the server');
    assert.ok(!existsSync(path.join(server.root, remoteDir, 'app-disk1.vmdk')), 'the partial copy should be removed');
  });

  it('a descriptor edited after the manifest was made is not sent at all', async () => {
    const pkg = makeManifestPackage(randomBytes(1000));
    scratch.push(pkg.dir);
    writeFileSync(pkg.files[0].path, readFileSync(pkg.files[0].path, 'utf8').replace('Envelope ', 'Envelope  '));
    const remoteDir = server.freshDir('stale-descriptor');
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, manifestPath: pkg.manifestPath, retry: FAST_RETRY }));
    assert.ok(err.reason instanceof FtpsManifestMismatchError, String(err.reason));
    assert.equal(err.reason.file, 'app.ovf');
    assert.deepEqual(err.uploaded, []);
    assert.ok(!existsSync(path.join(server.root, remoteDir, 'app.ovf')));
  });

  it('a resumed file is checked including the prefix the server already had', async () => {
    const disk = randomBytes(6 * MiB);
    // The manifest was made of a disk that differs only inside the first 2 MiB, which the server already holds.
    const other = Buffer.from(disk);
    other[1000] ^= 0xff;
    const pkg = makeManifestPackage(disk, other);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('resume-mismatch');
    const prefix = path.join(server.root, remoteDir, 'app-disk1.vmdk');
    writeFileSync(prefix, disk.subarray(0, 2 * MiB));
    // Owned like the folder (vsftpd's test user), as a file the server itself had stored.
    const owner = statSync(path.join(server.root, remoteDir));
    chownSync(prefix, owner.uid, owner.gid);
    const logs: string[] = [];
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, manifestPath: pkg.manifestPath, onLog: (l) => logs.push(l), retry: FAST_RETRY }));
    assert.ok(logs.some((l) => /app-disk1\.vmdk: resuming at byte 2097152/.test(l)), logs.join('\n'));
    assert.ok(err.reason instanceof FtpsManifestMismatchError, String(err.reason));
    assert.ok(!existsSync(path.join(server.root, remoteDir, 'app-disk1.vmdk')));
  });

  it('a matching package resumes after a cut, arrives byte-identical, and the retry shows in the progress', async () => {
    const disk = randomBytes(6 * MiB);
    const pkg = makeManifestPackage(disk);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('resume-match');
    server.onFileReaches(`${remoteDir}/app-disk1.vmdk`, 2 * MiB, () => server.cutConnections());
    const progress: TransferProgress[] = [];
    const result = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, manifestPath: pkg.manifestPath, onProgress: (p) => progress.push(p), retry: FAST_RETRY });
    const uploadedDisk = result.files.find((f) => f.name === 'app-disk1.vmdk')!;
    assert.ok(uploadedDisk.resumedFrom > 0, 'the disk should have resumed');
    assert.match(uploadedDisk.verifiedBy, /manifest SHA256/);
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
    const retry = progress.find((p) => p.retry);
    assert.ok(retry, 'no progress report announced the retry');
    assert.equal(retry.retry!.file, 'app-disk1.vmdk');
    assert.match(describeTransferProgress(retry), /^\[3\/3\] app-disk1\.vmdk: retrying in 0\.1 s \(attempt 2 of 4\): (connection reset|the server answered \d{3}.*)$/);
    assert.ok(!describeTransferProgress(progress.at(-1)!).includes('retrying'), 'the last report should be about the transfer again');
  });
});

describe('FTPS upload with implicit TLS', () => {
  it('delivers a package over implicit TLS', async () => {
    const server = await startFtpsTestServer({ implicit: true });
    const pkg = makePackage(200_000);
    try {
      const remoteDir = server.freshDir('implicit');
      await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, retry: FAST_RETRY });
      for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
    } finally {
      await server.close();
      rmSync(pkg.dir, { recursive: true, force: true });
    }
  });
});

describe('FTPS with active data connections', () => {
  it('uploads, lists and downloads a package with PORT instead of passive mode', async () => {
    const server = await startFtpsTestServer();
    const pkg = makePackage(3 * MiB);
    const to = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftps-active-'));
    try {
      const remoteDir = server.freshDir('active');
      const endpoint = endpointFor(server, { active: true });
      await uploadToFtps({ endpoint, remoteDir, files: pkg.files, retry: FAST_RETRY });
      for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
      const listing = await listStagingFolder(endpoint, remoteDir);
      assert.deepEqual(listing.packages.map((p) => p.name), ['web']);
      await downloadFromFtps({ endpoint, remoteDir, files: listing.packages[0].files, toDir: to, retry: FAST_RETRY });
      for (const f of pkg.files) assert.equal(sha256File(path.join(to, f.name)), sha256File(f.path));
    } finally {
      await server.close();
      rmSync(pkg.dir, { recursive: true, force: true });
      rmSync(to, { recursive: true, force: true });
    }
  });
});
