// Uploads check every file against the package manifest while they read it, on a real FTPS server
// on 127.0.0.1: a file that differs never arrives complete (its last bytes are held back until the
// digest is known, then the partial copy is removed), a resumed file's digest includes the prefix
// the server already had, and retries show in the progress line.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeTransferProgress, FtpsEndpoint, FtpsManifestMismatchError, FtpsUploadError, TransferProgress, UploadItem, uploadToFtps } from '../../client/src/transfer/ftps';
import { FtpsTestServer, sha256File, startFtpsTestServer } from '../support/ftpsServer';

const MiB = 1024 * 1024;
const FAST_RETRY = { attempts: 4, baseDelayMs: 50 };

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Descriptor, disk and a manifest of both; `manifestDisk` is what the manifest's digest is taken of (default: the disk). */
function makePackage(disk: Buffer, manifestDisk: Buffer = disk): { dir: string; files: UploadItem[]; manifestPath: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftps-mf-'));
  const descriptor = '<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n';
  writeFileSync(path.join(dir, 'app.ovf'), descriptor);
  writeFileSync(path.join(dir, 'app-disk1.vmdk'), disk);
  writeFileSync(path.join(dir, 'app.mf'), `SHA256(app.ovf)= ${sha256(descriptor)}\nSHA256(app-disk1.vmdk)= ${sha256(manifestDisk)}\n`);
  const files = ['app.ovf', 'app.mf', 'app-disk1.vmdk'].map((name) => ({ name, path: path.join(dir, name) }));
  return { dir, files, manifestPath: path.join(dir, 'app.mf') };
}

function endpointFor(server: FtpsTestServer): FtpsEndpoint {
  return { host: server.host, port: server.port, implicit: server.implicit, user: server.user, password: server.password, caFile: server.caFile, timeoutMs: 10_000 };
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

describe('FTPS upload checked against the manifest', () => {
  let server: FtpsTestServer;
  const scratch: string[] = [];
  before(async () => {
    server = await startFtpsTestServer({ maxRate: 20 * MiB });
  });
  after(async () => {
    await server?.close();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  it('a disk that differs from the manifest never arrives complete: stopped before its last bytes, the partial copy removed', async () => {
    const disk = randomBytes(10 * MiB);
    const pkg = makePackage(disk, Buffer.concat([disk.subarray(0, disk.length - 1), Buffer.from([disk[disk.length - 1] ^ 1])]));
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
    const pkg = makePackage(randomBytes(1000));
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
    const pkg = makePackage(disk, other);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('resume-mismatch');
    mkdirSync(path.join(server.root, remoteDir), { recursive: true });
    writeFileSync(path.join(server.root, remoteDir, 'app-disk1.vmdk'), disk.subarray(0, 2 * MiB));
    const logs: string[] = [];
    const err = await expectUploadError(uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, manifestPath: pkg.manifestPath, onLog: (l) => logs.push(l), retry: FAST_RETRY }));
    assert.ok(logs.some((l) => /app-disk1\.vmdk: resuming at byte 2097152/.test(l)), logs.join('\n'));
    assert.ok(err.reason instanceof FtpsManifestMismatchError, String(err.reason));
    assert.ok(!existsSync(path.join(server.root, remoteDir, 'app-disk1.vmdk')));
  });

  it('a matching package resumes after a cut, arrives byte-identical, and the retry shows in the progress', async () => {
    const disk = randomBytes(6 * MiB);
    const pkg = makePackage(disk);
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
    assert.equal(retry.file, 'app-disk1.vmdk');
    assert.match(describeTransferProgress(retry), /^\[3\/3\] app-disk1\.vmdk: retrying in 0\.1 s \(attempt 2 of 4\): (connection reset|the server answered \d{3}.*)$/);
    assert.ok(!describeTransferProgress(progress.at(-1)!).includes('retrying'), 'the last report should be about the transfer again');
  });
});
