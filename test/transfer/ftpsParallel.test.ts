// Parallel FTPS transfers (issue #15) against a real server on 127.0.0.1 (ftp-srv, or vsftpd with
// OVFKIT_FTPS_SERVER=vsftpd via scripts/ci/vsftpd.sh): several disks at once on their own sessions,
// the descriptor and manifest first and alone, a server limiting sessions, a cut in one file,
// cancel, the one progress, and downloads in parallel.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Client } from 'basic-ftp';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadFromFtps, FtpsCancelledError, FtpsEndpoint, FtpsUploadError, TransferProgress, UploadItem, uploadToFtps } from '../../client/src/transfer/ftps';
import { FtpsTestServer, sha256File, startFtpsTestServer } from '../support/ftpsServer';

const MiB = 1024 * 1024;
const FAST_RETRY = { attempts: 4, baseDelayMs: 50 };

function makePackage(diskSizes: number[]): { dir: string; files: UploadItem[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftps-par-'));
  const write = (name: string, data: Buffer | string) => {
    writeFileSync(path.join(dir, name), data);
    return { name, path: path.join(dir, name), packageDir: dir };
  };
  const files = [
    write('app.ovf', '<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n'),
    write('app.mf', 'SHA256(app.ovf)= 00\n'),
    ...diskSizes.map((size, i) => write(`app-disk${i + 1}.vmdk`, randomBytes(size))),
  ];
  return { dir, files };
}

function endpointFor(server: FtpsTestServer): FtpsEndpoint {
  return { host: server.host, port: server.port, implicit: server.implicit, user: server.user, password: server.password, caFile: server.caFile, timeoutMs: 10_000 };
}

async function settledSize(file: string): Promise<number> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      // not created (yet)
    }
    if (size === last) return size;
    last = size;
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

/** The most files in flight at once, over all progress reports. */
const mostInFlight = (progress: TransferProgress[]) => Math.max(...progress.map((p) => p.files.length));

describe('FTPS parallel transfers', () => {
  let server: FtpsTestServer;
  const scratch: string[] = [];
  before(async () => {
    // Rate-limited per session, so the files overlap long enough to see it.
    server = await startFtpsTestServer({ maxRate: 8 * MiB });
  });
  after(async () => {
    await server?.close();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  it('sends the disks at once on their own sessions, after the descriptor and manifest, byte-identical, one progress', async () => {
    const pkg = makePackage([3 * MiB, 3 * MiB, 2 * MiB, 1 * MiB]);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('par-ok');
    const logs: string[] = [];
    const progress: TransferProgress[] = [];
    const result = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, parallel: 3, onLog: (l) => logs.push(l), onProgress: (p) => progress.push(p), retry: FAST_RETRY });
    assert.deepEqual(result.files.map((f) => f.name), pkg.files.map((f) => f.name), 'reported in the package order');
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path), `${f.name} differs`);
    // Descriptor and manifest first and alone: both verified before a second session opened or a disk started.
    const firstDisk = logs.findIndex((l) => /session \d|app-disk/.test(l));
    assert.ok(logs.findIndex((l) => l.startsWith('uploaded app.mf')) < firstDisk, logs.join('\n'));
    assert.ok(!progress.some((p) => p.files.length > 1 && p.files.some((f) => /\.(ovf|mf)$/.test(f.name))), 'the descriptor or manifest was in flight beside another file');
    assert.equal(logs.filter((l) => l.startsWith('connected to')).length, 3, 'one session per parallel file');
    assert.equal(mostInFlight(progress), 3);
    // The one progress: package totals, and the files in flight add up.
    const total = pkg.files.reduce((n, f) => n + statSync(f.path).size, 0);
    for (const p of progress) {
      assert.equal(p.bytesTotal, total);
      assert.equal(p.fileCount, pkg.files.length);
      assert.ok(p.bytesDone <= total);
    }
    assert.equal(progress.at(-1)!.bytesDone, total);
    assert.ok(!logs.some((l) => l.includes(server.password)));
  });

  it('a server that takes fewer sessions: continues with those it accepts, says so once, and completes', async () => {
    const limited = await startFtpsTestServer({ maxSessions: 2 });
    try {
      const pkg = makePackage([2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB]);
      scratch.push(pkg.dir);
      const remoteDir = limited.freshDir('par-limited');
      const logs: string[] = [];
      const result = await uploadToFtps({ endpoint: endpointFor(limited), remoteDir, files: pkg.files, parallel: 4, onLog: (l) => logs.push(l), retry: FAST_RETRY });
      assert.equal(result.files.length, pkg.files.length);
      for (const f of pkg.files) assert.equal(sha256File(path.join(limited.root, remoteDir, f.name)), sha256File(f.path));
      const notes = logs.filter((l) => /refused another session/.test(l));
      assert.equal(notes.length, 1, logs.join('\n'));
      assert.match(notes[0], limited.kind === 'vsftpd' ? /421/ : /530 .*too many users/i);
    } finally {
      await limited.close();
    }
  });

  it('a session refused on reconnecting mid-file hands its file to another session, which resumes it, byte-identical', async () => {
    // Three sessions at most: when one is cut, another client takes its place before ovfkit reconnects.
    const limited = await startFtpsTestServer({ maxSessions: 3, maxUploadRate: 4 * MiB });
    let blocker: Client | undefined;
    try {
      const pkg = makePackage([4 * MiB, 4 * MiB, 4 * MiB, 2 * MiB, 2 * MiB]);
      scratch.push(pkg.dir);
      const remoteDir = limited.freshDir('par-handback');
      const cut = `${remoteDir}/app-disk3.vmdk`;
      limited.onFileReaches(cut, 1 * MiB, () => {
        limited.cutSessionWriting(cut);
        void (async () => {
          for (let i = 0; i < 40 && !blocker; i++) {
            const c = new Client(5000);
            try {
              await c.access({ host: limited.host, port: limited.port, user: limited.user, password: limited.password, secure: limited.implicit ? 'implicit' : true, secureOptions: { ca: readFileSync(limited.caFile) } });
              blocker = c;
            } catch {
              c.close();
              await new Promise((r) => setTimeout(r, 25));
            }
          }
        })();
      });
      const logs: string[] = [];
      const result = await uploadToFtps({ endpoint: endpointFor(limited), remoteDir, files: pkg.files, parallel: 3, onLog: (l) => logs.push(l), retry: { attempts: 4, baseDelayMs: 500 } });
      assert.ok(blocker, 'the other client took the free session');
      for (const f of pkg.files) assert.equal(sha256File(path.join(limited.root, remoteDir, f.name)), sha256File(f.path), `${f.name} differs`);
      assert.equal(logs.filter((l) => /refused on reconnecting.*goes to another session/.test(l)).length, 1, logs.join('\n'));
      const disk3 = result.files.find((f) => f.name === 'app-disk3.vmdk')!;
      assert.ok(disk3.resumedFrom > 0, 'another session resumed the handed-back file');
    } finally {
      blocker?.close();
      await limited.close();
    }
  });

  it('a connection dropped in one parallel file resumes that file alone, byte-identical', async () => {
    const pkg = makePackage([6 * MiB, 6 * MiB, 6 * MiB]);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('par-cut');
    server.onFileReaches(`${remoteDir}/app-disk2.vmdk`, 2 * MiB, () => server.cutSessionWriting(`${remoteDir}/app-disk2.vmdk`));
    const logs: string[] = [];
    const result = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, parallel: 3, onLog: (l) => logs.push(l), retry: FAST_RETRY });
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path), `${f.name} differs`);
    const byName = new Map(result.files.map((f) => [f.name, f]));
    assert.ok(byName.get('app-disk2.vmdk')!.resumedFrom > 0, 'the cut file resumed');
    assert.equal(byName.get('app-disk1.vmdk')!.resumedFrom, 0, 'the others were not disturbed');
    assert.equal(byName.get('app-disk3.vmdk')!.resumedFrom, 0);
    const retries = logs.filter((l) => /; retry \d/.test(l));
    assert.ok(retries.length >= 1 && retries.every((l) => l.includes('app-disk2.vmdk')), logs.join('\n'));
  });

  it('cancel mid-parallel stops every file; none in flight is reported uploaded, and the next run completes', async () => {
    const pkg = makePackage([16 * MiB, 16 * MiB, 16 * MiB]);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('par-cancel');
    const controller = new AbortController();
    server.onFileReaches(`${remoteDir}/app-disk1.vmdk`, 2 * MiB, () => controller.abort());
    const err = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, parallel: 3, signal: controller.signal, retry: FAST_RETRY }).then(
      () => assert.fail('the upload should have been cancelled'),
      (e: unknown) => e as FtpsUploadError,
    );
    assert.ok(err instanceof FtpsUploadError && err.reason instanceof FtpsCancelledError, String(err));
    assert.deepEqual(err.uploaded.map((f) => f.name), ['app.ovf', 'app.mf'], 'no disk was complete, none may be reported');
    // The server may still be draining what was in flight (vsftpd does): wait until the partial files stop growing.
    for (const f of pkg.files.slice(2)) await settledSize(path.join(server.root, remoteDir, f.name));
    const again = await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, parallel: 3, retry: FAST_RETRY });
    assert.ok(again.files.some((f) => f.resumedFrom > 0), 'the partial disks resumed');
    for (const f of pkg.files) assert.equal(sha256File(path.join(server.root, remoteDir, f.name)), sha256File(f.path));
  });

  it('downloads a staged package in parallel, byte-identical', async () => {
    const pkg = makePackage([3 * MiB, 3 * MiB, 3 * MiB]);
    scratch.push(pkg.dir);
    const remoteDir = server.freshDir('par-down');
    await uploadToFtps({ endpoint: endpointFor(server), remoteDir, files: pkg.files, retry: FAST_RETRY });
    const toDir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftps-par-down-'));
    scratch.push(toDir);
    const progress: TransferProgress[] = [];
    const logs: string[] = [];
    const got = await downloadFromFtps({
      endpoint: endpointFor(server),
      remoteDir,
      toDir,
      files: pkg.files.map((f) => ({ name: f.name, size: statSync(f.path).size })),
      parallel: 3,
      onProgress: (p) => progress.push(p),
      onLog: (l) => logs.push(l),
      retry: FAST_RETRY,
    });
    assert.deepEqual(got.files.map((f) => f.name), pkg.files.map((f) => f.name));
    for (const f of pkg.files) assert.equal(sha256File(path.join(toDir, f.name)), sha256File(f.path));
    assert.ok(mostInFlight(progress) >= 2, 'files were in flight together');
    assert.ok(logs.filter((l) => l.startsWith('connected to')).length >= 2);
  });
});
