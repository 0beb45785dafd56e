// Runs the bundled CLI (dist/cli.js), so this also checks that the bundle finds its hashing worker
// (dist/hashWorker.js beside it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, readlinkSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { coreutilsDigest, makePackage, TestPackage } from '../unit/manifestFixture';

const CLI = path.join(process.cwd(), 'dist', 'cli.js');

function ovfkit(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: TestPackage[] = [];
function pkg(): TestPackage {
  const p = makePackage({ files: { 'pkg-disk1.vmdk': randomBytes(9 * 1024 * 1024 + 3), 'pkg-disk2.vmdk': randomBytes(2048) } });
  made.push(p);
  return p;
}
after(() => made.forEach((p) => rmSync(p.dir, { recursive: true, force: true })));

describe('ovfkit manifest / verify (bundled CLI)', () => {
  test('the bundle ships the hashing worker beside the CLI', () => {
    assert.ok(existsSync(path.join(path.dirname(CLI), 'hashWorker.js')));
  });

  test('manifest writes pkg.mf with digests as coreutils computes them; verify then exits 0', () => {
    const p = pkg();
    const r = ovfkit(['manifest', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote pkg\.mf \(SHA1, 3 files, /);
    assert.equal(
      readFileSync(p.manifestPath, 'utf8'),
      ['pkg.ovf', 'pkg-disk1.vmdk', 'pkg-disk2.vmdk'].map((n) => `SHA1(${n})= ${coreutilsDigest(p.path(n), 'SHA1')}\n`).join(''),
    );
    const v = ovfkit(['verify', 'pkg.ovf'], p.dir);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(v.stdout, '');
    assert.match(v.stderr, /^ok: 3 of 3 checked files match/);
  });

  test('--algorithm sha256 / SHA512 are honoured', () => {
    const p = pkg();
    assert.equal(ovfkit(['manifest', '--algorithm', 'sha256', 'pkg.ovf'], p.dir).code, 0);
    assert.match(readFileSync(p.manifestPath, 'utf8'), new RegExp(`^SHA256\\(pkg-disk1\\.vmdk\\)= ${coreutilsDigest(p.path('pkg-disk1.vmdk'), 'SHA256')}$`, 'm'));
    assert.equal(ovfkit(['manifest', '-a', 'SHA512', p.descriptorPath], p.dir).code, 0);
    assert.match(readFileSync(p.manifestPath, 'utf8'), /^SHA512\(pkg\.ovf\)= [0-9a-f]{128}$/m);
    assert.equal(ovfkit(['verify', 'pkg.ovf'], p.dir).code, 0);
  });

  test('verify exits 1 on a mismatch, printing file:line:col: severity code message', () => {
    const p = pkg();
    assert.equal(ovfkit(['manifest', 'pkg.ovf'], p.dir).code, 0);
    appendFileSync(p.path('pkg-disk2.vmdk'), 'x');
    const r = ovfkit(['verify', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/ '.*$/, '')), [
      'pkg.mf:3:23: error manifest/digest-mismatch',
      'pkg.ovf:5:36: error manifest/digest-mismatch',
    ]);
    assert.match(r.stderr, /FAILED: 2 of 3 checked files match, 1 mismatch/);
  });

  test('verify --format json: an array of {file, line, column, endLine, endColumn, severity, code, message}', () => {
    const p = pkg();
    assert.equal(ovfkit(['manifest', 'pkg.ovf'], p.dir).code, 0);
    unlinkSync(p.path('pkg-disk1.vmdk'));
    const r = ovfkit(['verify', '--format', 'json', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout);
    assert.deepEqual(findings[0], {
      file: 'pkg.mf',
      line: 2,
      column: 6,
      endLine: 2,
      endColumn: 20,
      severity: 'error',
      code: 'manifest/missing-file',
      message: `'pkg-disk1.vmdk' is missing: ${p.path('pkg-disk1.vmdk')} does not exist`,
    });
    assert.deepEqual(findings.map((f: { file: string; code: string }) => `${f.file} ${f.code}`), ['pkg.mf manifest/missing-file', 'pkg.ovf manifest/missing-file']);
  });

  test('verify exits 1 when the manifest is missing or lacks a referenced file', () => {
    const p = pkg();
    let r = ovfkit(['verify', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^pkg\.ovf:1:1: error manifest\/no-manifest /);
    writeFileSync(p.manifestPath, `SHA1(pkg.ovf)= ${coreutilsDigest(p.descriptorPath, 'SHA1')}\n`);
    r = ovfkit(['verify', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.match(/manifest\/missing-entry/g)?.length, 4);
  });

  test('manifest exits 1 with a clear message for a missing referenced file or an href outside the folder', () => {
    const p = pkg();
    unlinkSync(p.path('pkg-disk2.vmdk'));
    let r = ovfkit(['manifest', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ovfkit manifest: 'pkg-disk2\.vmdk' is missing/);
    assert.ok(!existsSync(p.manifestPath));
    writeFileSync(p.descriptorPath, readFileSync(p.descriptorPath, 'utf8').replace('pkg-disk2.vmdk', '../../etc/passwd'));
    r = ovfkit(['manifest', 'pkg.ovf'], p.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\.\.\/\.\.\/etc\/passwd/);
  });

  test('bad usage exits 2', () => {
    const p = pkg();
    for (const args of [
      ['manifest'],
      ['manifest', '--algorithm', 'md5', 'pkg.ovf'],
      ['manifest', '--bogus', 'pkg.ovf'],
      ['manifest', 'a.ovf', 'b.ovf'],
      ['verify'],
      ['verify', '--format', 'xml', 'pkg.ovf'],
      ['verify', 'nonexistent.ovf'],
      ['manifest', 'nonexistent.ovf'],
    ]) {
      const r = ovfkit(args, p.dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /usage/);
    }
    assert.equal(ovfkit(['manifest', '--help'], p.dir).code, 0);
    assert.equal(ovfkit(['verify', '--help'], p.dir).code, 0);
  });

  test('Ctrl-C mid-hash exits 130 and leaves the previous manifest as it was', async () => {
    // A 4 GiB sparse disk: seconds of SHA512 work, no disk space.
    const p = makePackage({ files: { 'pkg-disk1.vmdk': '' } });
    made.push(p);
    truncateSync(p.path('pkg-disk1.vmdk'), 4 * 1024 ** 3);
    writeFileSync(p.manifestPath, 'SHA1(pkg.ovf)= 0000000000000000000000000000000000000000\n');
    const child = spawn(process.execPath, [CLI, 'manifest', '--algorithm', 'sha512', 'pkg.ovf'], { cwd: p.dir });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the disk is open for hashing (Linux: the process's open files in /proc).
    const disk = p.path('pkg-disk1.vmdk');
    const isHashing = () => {
      try {
        return readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === disk;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    };
    for (const started = Date.now(); !isHashing(); ) {
      assert.ok(Date.now() - started < 20_000, 'the CLI never opened the disk');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /cancelled; any previous manifest is unchanged/);
    assert.equal(readFileSync(p.manifestPath, 'utf8'), 'SHA1(pkg.ovf)= 0000000000000000000000000000000000000000\n');
    assert.deepEqual(readdirSync(p.dir).sort(), ['pkg-disk1.vmdk', 'pkg.mf', 'pkg.ovf']);
  });
});
