// Hostile packages (issue 10, item 1): symlinks that leave the package and special files. Every
// test builds real symlinks and FIFOs in a temp folder; nothing outside the package may be read,
// hashed or sent, and nothing may wait on a FIFO.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { uploadToFtps, FtpsUploadError } from '../../client/src/transfer/ftps/upload';
import { sendFile, DEFAULT_RETRY } from '../../client/src/transfer/vcloud/fileTransfer';
import { byteSource } from '../../client/src/transfer/common/byteSource';
import { VcloudConnection } from '../../client/src/transfer/vcloud/connection';
import { readUploadContents } from '../../client/src/transfer/vcloud/packageContents';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { lintManifest } from '../../server/src/ovf/manifest/lintManifest';
import { verifyPackage } from '../../server/src/ovf/manifest/verifyPackage';
import { checkPackageFile, openChecked, openPackageFile, PackagePathError } from '../../server/src/ovf/package/openPackageFile';
import { listPackageFiles, PackageError } from '../../server/src/ovf/package/packageFiles';
import { validateFile } from '../../server/src/ovf/validate';
import { runCli } from '../support/cliRunner';
import { descriptorXml, makePackage, TestPackage } from './manifestFixture';

const SECRET = 'TOP-SECRET password=hunter2\n';
const scratch: string[] = [];
after(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function outsideDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-outside-'));
  scratch.push(dir);
  writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  return dir;
}

function pkgWith(hrefs: string[], files: Record<string, string> = {}): TestPackage {
  const p = makePackage({ files: { 'ok.vmdk': 'disk bytes', ...files }, hrefs: ['ok.vmdk', ...hrefs] });
  scratch.push(p.dir);
  return p;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** A package whose disk1.vmdk is a symlink to a secret outside it. */
function symlinkPackage(): TestPackage {
  const p = pkgWith(['disk1.vmdk']);
  symlinkSync(path.join(outsideDir(), 'secret.txt'), p.path('disk1.vmdk'));
  return p;
}

async function codes(descriptorPath: string): Promise<string[]> {
  return (await validateFile(descriptorPath, { targets: [] })).findings.map((f) => f.code);
}

describe('symlinks leaving the package', () => {
  test('validate: package/outside-package (error) at the href, naming where it leads', async () => {
    const p = symlinkPackage();
    const report = await validateFile(p.descriptorPath, { targets: [] });
    const f = report.findings.find((x) => x.code === 'package/outside-package');
    assert.ok(f, JSON.stringify(report.findings));
    assert.equal(f.severity, 'error');
    assert.equal(readFileSync(p.descriptorPath, 'utf8').slice(f.span.start, f.span.end), 'disk1.vmdk');
    assert.match(f.message, /secret\.txt/);
  });

  test('a symlinked folder on the way, and a link to /proc/self/environ, are refused the same way', async () => {
    const p = pkgWith(['disks/a.vmdk', 'env.vmdk']);
    const outside = outsideDir();
    writeFileSync(path.join(outside, 'a.vmdk'), SECRET);
    symlinkSync(outside, p.path('disks'));
    symlinkSync('/proc/self/environ', p.path('env.vmdk'));
    assert.deepEqual((await codes(p.descriptorPath)).filter((c) => c.startsWith('package/')), ['package/outside-package', 'package/outside-package']);
  });

  test('a symlink that stays inside the package is fine', async () => {
    const p = pkgWith(['alias.vmdk']);
    mkdirSync(p.path('real'));
    writeFileSync(p.path('real/disk.vmdk'), 'inside');
    symlinkSync('real/disk.vmdk', p.path('alias.vmdk'));
    assert.deepEqual((await codes(p.descriptorPath)).filter((c) => c.startsWith('package/')), []);
    const generated = await generateManifest(p.descriptorPath, { algorithm: 'SHA1' });
    assert.ok(generated.text.includes(`SHA1(alias.vmdk)= ${sha1('inside')}`));
  });

  test("a symlinked descriptor belongs to the package it points into (the descriptor's real folder)", async () => {
    const p = pkgWith([]);
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-link-'));
    scratch.push(elsewhere);
    symlinkSync(p.descriptorPath, path.join(elsewhere, 'pkg.ovf'));
    const report = await validateFile(path.join(elsewhere, 'pkg.ovf'), { targets: [] });
    assert.deepEqual(report.findings.filter((f) => f.code.startsWith('package/')), []);
    assert.deepEqual((await listPackageFiles(path.join(elsewhere, 'pkg.ovf'))).map((f) => f.path), [path.join(elsewhere, 'pkg.ovf'), p.path('ok.vmdk')]);
  });

  test('manifest generation refuses it by name and hashes nothing', async () => {
    const p = symlinkPackage();
    await assert.rejects(generateManifest(p.descriptorPath, { algorithm: 'SHA1' }), /'disk1\.vmdk' leads outside the package folder/);
    assert.throws(() => readFileSync(p.manifestPath), { code: 'ENOENT' });
  });

  test('verify reports it on the manifest and the href, and never hashes the secret', async () => {
    const p = symlinkPackage();
    writeFileSync(p.manifestPath, `SHA1(pkg.ovf)= ${sha1(readFileSync(p.descriptorPath, 'utf8'))}\nSHA1(ok.vmdk)= ${sha1('disk bytes')}\nSHA1(disk1.vmdk)= ${sha1(SECRET)}\n`);
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    assert.equal(r.summary.matched, 2, 'the secret was not hashed (its digest would match)');
    assert.ok(r.manifest!.findings.some((f) => f.code === 'package/outside-package' && r.manifest!.text.slice(f.span.start, f.span.end) === 'disk1.vmdk'));
    assert.ok(r.descriptor.findings.some((f) => f.code === 'package/outside-package'));
  });

  test("the manifest's own lint (the .mf editor) flags the entry", async () => {
    const p = symlinkPackage();
    const text = `SHA1(pkg.ovf)= ${'0'.repeat(40)}\nSHA1(ok.vmdk)= ${'0'.repeat(40)}\nSHA1(disk1.vmdk)= ${'0'.repeat(40)}\n`;
    const lint = await lintManifest(text, p.manifestPath);
    const f = lint.findings.find((x) => x.code === 'package/outside-package');
    assert.ok(f, JSON.stringify(lint.findings.map((x) => x.code)));
    assert.equal(text.slice(f.span.start, f.span.end), 'disk1.vmdk');
  });

  test('the upload listings refuse it: listPackageFiles at the href, vCloud contents, FTPS before connecting', async () => {
    const p = symlinkPackage();
    await assert.rejects(listPackageFiles(p.descriptorPath), (err: Error) => err instanceof PackageError && /pkg\.ovf:\d+:\d+: File 'file2' href 'disk1\.vmdk' leads outside/.test(err.message));
    await assert.rejects(readUploadContents(p.descriptorPath), /disk1\.vmdk.*leads outside/);
    // Given the file directly, the FTPS uploader refuses it before any connection (port 1: nothing listens).
    const endpoint = { host: '127.0.0.1', port: 1, implicit: false, user: 'u', password: 'p', timeoutMs: 2000 };
    const err = await uploadToFtps({ endpoint, files: [{ name: 'disk1.vmdk', path: p.path('disk1.vmdk'), packageDir: p.dir }], retry: { attempts: 1 } }).catch((e) => e);
    assert.ok(err instanceof FtpsUploadError, String(err));
    assert.match(err.message, /disk1\.vmdk.*leads outside the package folder/);
    // The vCloud sender opens the file before its first request: no connection is needed to refuse it.
    const noConnection = {} as VcloudConnection;
    await assert.rejects(
      sendFile({ connection: noConnection, source: byteSource('disk1.vmdk', [{ path: p.path('disk1.vmdk'), packageDir: p.dir, offset: 0, length: SECRET.length }]), serverName: 'disk1.vmdk', size: SECRET.length, uploadHref: 'https://127.0.0.1:1/x', startOffset: 0, chunkSize: 1024, retry: DEFAULT_RETRY, readServerOffset: async () => 0, onPosition: () => undefined }),
      /disk1\.vmdk: not sent: 'disk1\.vmdk' leads outside the package folder/,
    );
  });

  test('a swap between the check and the open does not win: a symlink or another file in its place is refused', async () => {
    const p = pkgWith([]);
    const disk = p.path('ok.vmdk');
    const check = await checkPackageFile(p.dir, disk);
    assert.equal(check.status, 'file');
    if (check.status !== 'file') return;
    // Swap for a symlink to the secret (O_NOFOLLOW refuses it).
    renameSync(disk, p.path('ok.vmdk.orig'));
    symlinkSync(path.join(outsideDir(), 'secret.txt'), disk);
    await assert.rejects(openChecked(p.dir, disk, check, 'ok.vmdk'), (err: Error) => err instanceof PackagePathError && err.reason === 'changed');
    // Swap for another regular file (a different inode).
    rmSync(disk);
    writeFileSync(disk, 'other bytes');
    await assert.rejects(openChecked(p.dir, disk, check, 'ok.vmdk'), (err: Error) => err instanceof PackagePathError && err.reason === 'changed');
    // Unchanged: opens, and reads the package's bytes.
    const fresh = await checkPackageFile(p.dir, disk);
    assert.equal(fresh.status, 'file');
    const opened = await openPackageFile(p.dir, disk);
    try {
      assert.equal((await opened.handle.readFile()).toString(), 'other bytes');
    } finally {
      await opened.handle.close();
    }
  });
});

describe('special files', () => {
  function fifoPackage(): TestPackage {
    const p = pkgWith(['pipe.vmdk']);
    execFileSync('mkfifo', [p.path('pipe.vmdk')]);
    return p;
  }

  test('a FIFO, a folder and a character device are package/not-a-file at the href', async () => {
    const p = pkgWith(['pipe.vmdk', 'dir.vmdk']);
    execFileSync('mkfifo', [p.path('pipe.vmdk')]);
    mkdirSync(p.path('dir.vmdk'));
    // A device in a package would need mknod; the kind is the same check at the device's real path.
    assert.deepEqual(await checkPackageFile('/dev', '/dev/null'), { status: 'not-a-file', kind: 'a character device' });
    const report = await validateFile(p.descriptorPath, { targets: [] });
    const found = report.findings.filter((f) => f.code === 'package/not-a-file').map((f) => f.message);
    assert.equal(found.length, 2, JSON.stringify(report.findings));
    assert.match(found[0], /'pipe\.vmdk' is a FIFO \(named pipe\), not a regular file/);
    assert.match(found[1], /'dir\.vmdk' is a folder/);
    assert.ok(!report.findings.some((f) => f.code === 'package/missing-file'));
  });

  test('manifest generation and upload listing refuse a FIFO at once instead of waiting on it', async () => {
    const p = fifoPackage();
    await assert.rejects(generateManifest(p.descriptorPath, { algorithm: 'SHA1' }), /'pipe\.vmdk' is a FIFO/);
    await assert.rejects(listPackageFiles(p.descriptorPath), /'pipe\.vmdk' is a FIFO/);
  });

  test('a FIFO descriptor or manifest is refused, not waited on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-fifo-'));
    scratch.push(dir);
    execFileSync('mkfifo', [path.join(dir, 'pipe.ovf')]);
    await assert.rejects(validateFile(path.join(dir, 'pipe.ovf')), /not a regular file/);
    const p = pkgWith([]);
    execFileSync('mkfifo', [p.manifestPath]);
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    assert.match(r.descriptor.findings.find((f) => f.code === 'manifest/unreadable-file')?.message ?? '', /'pkg\.mf' is a FIFO \(named pipe\)/);
    // The upload listing refuses the package by the manifest's name.
    await assert.rejects(listPackageFiles(p.descriptorPath), /pkg\.mf: the manifest is a FIFO/);
  });

  test('ovfkit verify and ovfkit manifest exit 1 at once on a FIFO manifest / disk (the process would hang on a read)', async () => {
    const p = pkgWith([]);
    execFileSync('mkfifo', [p.manifestPath]);
    const verify = await runCli(['verify', p.descriptorPath], { timeoutMs: 20_000 });
    assert.equal(verify.code, 1, verify.stderr);
    assert.match(verify.stdout, /manifest\/unreadable-file .*FIFO/);
    const q = fifoPackage();
    const manifest = await runCli(['manifest', '--algorithm', 'sha1', q.descriptorPath], { timeoutMs: 20_000 });
    assert.equal(manifest.code, 1, manifest.stderr);
    assert.match(manifest.stderr, /'pipe\.vmdk' is a FIFO/);
  });

  test('a manifest larger than the cap is refused unread', async () => {
    const p = pkgWith([]);
    writeFileSync(p.manifestPath, 'x'.repeat(4 * 1024 * 1024 + 1));
    const r = await verifyPackage(p.descriptorPath);
    assert.equal(r.ok, false);
    const f = r.descriptor.findings.find((x) => x.code === 'manifest/unreadable-file');
    assert.ok(f, JSON.stringify(r.descriptor.findings));
    assert.match(f.message, /over the 4194304-byte limit/);
  });
});

describe("'..disk1.vmdk' is a legal file name", () => {
  test('validate and manifest treat it like any other name', async () => {
    const p = pkgWith(['..disk1.vmdk'], { '..disk1.vmdk': 'dots' });
    assert.deepEqual((await codes(p.descriptorPath)).filter((c) => c.startsWith('package/')), []);
    const generated = await generateManifest(p.descriptorPath, { algorithm: 'SHA1' });
    assert.ok(generated.text.includes(`SHA1(..disk1.vmdk)= ${sha1('dots')}`), generated.text);
    assert.equal((await verifyPackage(p.descriptorPath)).ok, true);
  });

  test('while ../disk1.vmdk stays refused', async () => {
    const p = pkgWith([]);
    writeFileSync(p.descriptorPath, descriptorXml(['../disk1.vmdk']));
    assert.ok((await codes(p.descriptorPath)).includes('package/unsafe-href'));
  });
});
