// Listing and downloading exports from a real FTPS staging folder on 127.0.0.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadFromFtps, FtpsCancelledError, FtpsDownloadError, FtpsEndpoint, groupStagedFiles, listStagingFolder, PARTIAL_SUFFIX } from '../../client/src/transfer/ftps';
import { FtpsTestServer, sha256File, startFtpsTestServer } from '../support/ftpsServer';
import { makeTempDir } from '../support/tempDir';

const MiB = 1024 * 1024;
const FAST_RETRY = { attempts: 4, baseDelayMs: 50 };

function endpointFor(server: FtpsTestServer): FtpsEndpoint {
  return { host: server.host, port: server.port, implicit: server.implicit, user: server.user, password: server.password, caFile: server.caFile, timeoutMs: 10_000 };
}

/** Calls `action` once when `file` holds at least `bytes` (polled; downloads are rate-limited by the server). */
function whenFileReaches(file: string, bytes: number, action: () => void): () => void {
  const timer = setInterval(() => {
    try {
      if (statSync(file).size >= bytes) {
        clearInterval(timer);
        action();
      }
    } catch {
      // not there yet
    }
  }, 2);
  return () => clearInterval(timer);
}

/** Puts an exported package straight into the server's folder, as CloudControl's export would. */
function stage(server: FtpsTestServer, remoteDir: string, files: Record<string, Buffer | string>, uploadedAt?: Date): void {
  const dir = path.join(server.root, remoteDir);
  const owner = statSync(dir);
  for (const [name, data] of Object.entries(files)) {
    const file = path.join(dir, name);
    writeFileSync(file, data);
    chownSync(file, owner.uid, owner.gid);
    if (uploadedAt) utimesSync(file, uploadedAt, uploadedAt);
  }
}

describe('FTPS staging listing', () => {
  it('groups files by package base name, longest base first, descriptor and manifest first', () => {
    const t = new Date('2026-03-01T10:00:00Z');
    const later = new Date('2026-03-02T10:00:00Z');
    const listing = groupStagedFiles([
      { name: 'web-disk1.vmdk', size: 10, modifiedAt: later, expiresAt: new Date(later.getTime() + 14 * 86_400_000) },
      { name: 'web.mf', size: 1, modifiedAt: t, expiresAt: new Date(t.getTime() + 14 * 86_400_000) },
      { name: 'web.ovf', size: 2 },
      { name: 'web-2.ovf', size: 3 },
      { name: 'web-2-disk1.vmdk', size: 4 },
      { name: 'notes.txt', size: 5 },
    ]);
    assert.deepEqual(listing.packages.map((p) => [p.name, p.files.map((f) => f.name), p.totalBytes]), [
      ['web', ['web.ovf', 'web.mf', 'web-disk1.vmdk'], 13],
      ['web-2', ['web-2.ovf', 'web-2-disk1.vmdk'], 7],
    ]);
    assert.deepEqual(listing.others.map((f) => f.name), ['notes.txt']);
    assert.equal(listing.packages[0].expiresAt?.toISOString(), '2026-03-15T10:00:00.000Z');
  });

  it('gives a package the files its descriptor references, whatever their names', () => {
    const listing = groupStagedFiles(
      [{ name: 'app.ovf', size: 1 }, { name: 'app.mf', size: 1 }, { name: 'disk1.vmdk', size: 5 }, { name: 'notes.txt', size: 2 }],
      new Map([['app', ['disk1.vmdk']]]),
    );
    assert.deepEqual(listing.packages.map((p) => [p.name, p.files.map((f) => f.name)]), [['app', ['app.ovf', 'app.mf', 'disk1.vmdk']]]);
    assert.deepEqual(listing.others.map((f) => f.name), ['notes.txt']);
  });
});

describe('FTPS download', () => {
  let server: FtpsTestServer;
  const scratch: string[] = [];
  before(async () => {
    server = await startFtpsTestServer({ maxRate: 20 * MiB });
  });
  after(async () => {
    await server?.close();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  it('lists the staging folder with sizes and the expiry 14 days after upload', async () => {
    const remoteDir = server.freshDir('export-list');
    const uploadedAt = new Date('2026-05-10T08:30:00Z');
    stage(server, remoteDir, { 'app.ovf': '<Envelope/>', 'app.mf': 'x', 'app-disk1.vmdk': randomBytes(1234) }, uploadedAt);
    const listing = await listStagingFolder(endpointFor(server), remoteDir);
    assert.equal(listing.packages.length, 1);
    const pkg = listing.packages[0];
    assert.equal(pkg.name, 'app');
    assert.deepEqual(pkg.files.map((f) => [f.name, f.size]), [['app.ovf', 11], ['app.mf', 1], ['app-disk1.vmdk', 1234]]);
    assert.equal(pkg.expiresAt?.toISOString(), '2026-05-24T08:30:00.000Z');
  });

  it('lists a disk named unlike its package with the package whose descriptor references it', async () => {
    const remoteDir = server.freshDir('export-refs');
    const ovf = '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"><References><File ovf:href="disk1.vmdk" ovf:id="f1"/></References></Envelope>';
    stage(server, remoteDir, { 'web.ovf': ovf, 'web.mf': 'x', 'disk1.vmdk': randomBytes(100), 'unrelated.iso': 'y' });
    const listing = await listStagingFolder(endpointFor(server), remoteDir);
    assert.deepEqual(listing.packages.map((p) => [p.name, p.files.map((f) => f.name)]), [['web', ['web.ovf', 'web.mf', 'disk1.vmdk']]]);
    assert.deepEqual(listing.others.map((f) => f.name), ['unrelated.iso']);
  });

  it('downloads a package byte-identical, and resumes a .partial file left by an earlier run', async () => {
    const remoteDir = server.freshDir('export-dl');
    const disk = randomBytes(3 * MiB);
    stage(server, remoteDir, { 'app.ovf': '<Envelope/>', 'app.mf': 'SHA256(app.ovf)= 0\n', 'app-disk1.vmdk': disk });
    const to = makeTempDir('ovfkit-ftps-dl-');
    scratch.push(to);
    // An earlier run stopped after 1 MiB of the disk.
    writeFileSync(path.join(to, 'app-disk1.vmdk' + PARTIAL_SUFFIX), disk.subarray(0, MiB));
    const files = ['app.ovf', 'app.mf', 'app-disk1.vmdk'].map((name) => ({ name, size: statSync(path.join(server.root, remoteDir, name)).size }));
    const result = await downloadFromFtps({ endpoint: endpointFor(server), remoteDir, files, toDir: to, retry: FAST_RETRY });
    assert.equal(result.files.find((f) => f.name === 'app-disk1.vmdk')?.resumedFrom, MiB);
    for (const f of files) assert.equal(sha256File(path.join(to, f.name)), sha256File(path.join(server.root, remoteDir, f.name)));
    assert.deepEqual(readdirSync(to).filter((n) => n.endsWith(PARTIAL_SUFFIX)), []);
  });

  it('resumes after the connection is cut mid-download', async () => {
    const remoteDir = server.freshDir('export-cut');
    stage(server, remoteDir, { 'app.ovf': '<Envelope/>', 'app-disk1.vmdk': randomBytes(6 * MiB) });
    const to = makeTempDir('ovfkit-ftps-dl-');
    scratch.push(to);
    const partial = path.join(to, 'app-disk1.vmdk' + PARTIAL_SUFFIX);
    let cut = false;
    const stopWatching = whenFileReaches(partial, MiB, () => {
      cut = true;
      server.cutConnections();
    });
    const files = ['app.ovf', 'app-disk1.vmdk'].map((name) => ({ name, size: statSync(path.join(server.root, remoteDir, name)).size }));
    const logs: string[] = [];
    const result = await downloadFromFtps({
      endpoint: endpointFor(server),
      remoteDir,
      files,
      toDir: to,
      retry: FAST_RETRY,
      onLog: (l) => logs.push(l),
    });
    stopWatching();
    assert.ok(cut, 'the connection was never cut');
    assert.ok((result.files[1].resumedFrom ?? 0) > 0, logs.join('\n'));
    assert.equal(sha256File(path.join(to, 'app-disk1.vmdk')), sha256File(path.join(server.root, remoteDir, 'app-disk1.vmdk')));
  });

  it('a session whose server process dies mid-download (vsftpd writes 500 OOPS in clear onto TLS) is retried and resumes', async () => {
    const remoteDir = server.freshDir('export-oops');
    stage(server, remoteDir, { 'app.ovf': '<Envelope/>', 'app-disk1.vmdk': randomBytes(6 * MiB) });
    const to = makeTempDir('ovfkit-ftps-dl-');
    scratch.push(to);
    let crashed = false;
    const stopWatching = whenFileReaches(path.join(to, 'app-disk1.vmdk' + PARTIAL_SUFFIX), MiB, () => {
      crashed = true;
      server.crashSessions();
    });
    const files = ['app.ovf', 'app-disk1.vmdk'].map((name) => ({ name, size: statSync(path.join(server.root, remoteDir, name)).size }));
    const logs: string[] = [];
    const result = await downloadFromFtps({ endpoint: endpointFor(server), remoteDir, files, toDir: to, retry: FAST_RETRY, onLog: (l) => logs.push(l) });
    stopWatching();
    assert.ok(crashed, 'the session never crashed');
    assert.ok(logs.some((l) => /session .* ended .*plain text/.test(l)), logs.join('\n'));
    assert.ok((result.files[1].resumedFrom ?? 0) > 0, logs.join('\n'));
    assert.equal(sha256File(path.join(to, 'app-disk1.vmdk')), sha256File(path.join(server.root, remoteDir, 'app-disk1.vmdk')));
  });

  it('cancel leaves only a .partial file and reports it as not downloaded', async () => {
    const remoteDir = server.freshDir('export-cancel');
    stage(server, remoteDir, { 'app-disk1.vmdk': randomBytes(8 * MiB), 'app.ovf': '<Envelope/>' });
    const to = makeTempDir('ovfkit-ftps-dl-');
    scratch.push(to);
    const controller = new AbortController();
    const partial = path.join(to, 'app-disk1.vmdk' + PARTIAL_SUFFIX);
    let abortedAt = 0;
    whenFileReaches(partial, MiB, () => {
      abortedAt = Date.now();
      controller.abort();
    });
    const promise = downloadFromFtps({
      endpoint: endpointFor(server),
      remoteDir,
      files: [{ name: 'app-disk1.vmdk', size: 8 * MiB }],
      toDir: to,
      signal: controller.signal,
    });
    await assert.rejects(promise, (err: unknown) => err instanceof FtpsDownloadError && err.reason instanceof FtpsCancelledError && err.downloaded.length === 0);
    assert.ok(abortedAt > 0 && Date.now() - abortedAt < 1000);
    assert.ok(!existsSync(path.join(to, 'app-disk1.vmdk')));
    assert.ok(statSync(partial).size < 8 * MiB);
  });
});
