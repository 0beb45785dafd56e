// `ovfkit upload ftps` and `ovfkit download ftps` run in-process against a real FTPS server on
// 127.0.0.1: exit codes, validation before upload, descriptor-only uploads, manifest verification
// after download, and no password in any line of output.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../client/src/cli/main';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { makePackage } from '../unit/manifestFixture';
import { descriptor } from '../support/descriptors';
import { FtpsTestServer, sha256File, startFtpsTestServer } from '../support/ftpsServer';
import { makeTempDir } from '../support/tempDir';

/** A small package CloudControl would accept: one VM, one disk, a manifest. */
function cloudControlPackage(): { dir: string; descriptorPath: string; path: (name: string) => string } {
  const dir = makeTempDir('ovfkit-cli-pkg-');
  const disk = randomBytes(300_000);
  writeFileSync(path.join(dir, 'pkg-disk1.vmdk'), disk);
  const descriptorPath = path.join(dir, 'pkg.ovf');
  // The shared test descriptor, with its one File pointing at this package's disk.
  writeFileSync(descriptorPath, descriptor({ references: `<References><File ovf:href="pkg-disk1.vmdk" ovf:id="file1" ovf:size="${disk.length}"/></References>` }));
  return { dir, descriptorPath, path: (name) => path.join(dir, name) };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  w.isTTY = isTTY;
  w.text = () => chunks.join('');
  return w;
}

async function ovfkit(args: string[], env: Record<string, string>, isTTY = false): Promise<Run> {
  const stdout = capture(isTTY);
  const stderr = capture(isTTY);
  const code = await main(args, { stdout, stderr, env, signal: new AbortController().signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('ovfkit upload/download ftps', () => {
  let server: FtpsTestServer;
  let pkg: ReturnType<typeof cloudControlPackage>;
  const scratch: string[] = [];
  const runs: Run[] = [];
  let env: Record<string, string>;
  const conn = () => ['--host', server.host, '--port', String(server.port), '--user', server.user, '--password-env', 'STAGING_PW', '--ca', server.caFile];
  const run = async (args: string[], runEnv = env, isTTY = false) => {
    const r = await ovfkit(args, runEnv, isTTY);
    runs.push(r);
    return r;
  };

  before(async () => {
    server = await startFtpsTestServer();
    env = { STAGING_PW: server.password };
    pkg = cloudControlPackage();
    scratch.push(pkg.dir);
    await generateManifest(pkg.descriptorPath);
  });
  after(async () => {
    await server?.close();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  it('uploads descriptor, manifest, disk; exit 0; progress only on a terminal', async () => {
    const dir = server.freshDir('cli-up');
    const quiet = await run(['upload', 'ftps', ...conn(), '--dir', dir, pkg.descriptorPath]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '', 'a valid package uploads without findings or notes');
    assert.deepEqual(quiet.stdout.split('\n').filter((l) => l.startsWith('uploaded ')).map((l) => l.split(' ')[1]), ['pkg.ovf', 'pkg.mf', 'pkg-disk1.vmdk']);
    assert.ok(!quiet.stderr.includes('\r'), 'no progress line when stderr is not a TTY');
    for (const name of ['pkg.ovf', 'pkg.mf', 'pkg-disk1.vmdk']) assert.equal(sha256File(path.join(server.root, dir, name)), sha256File(pkg.path(name)));

    const dir2 = server.freshDir('cli-up-tty');
    const tty = await run(['upload', 'ftps', ...conn(), '--dir', dir2, '-v', pkg.descriptorPath], env, true);
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stderr, /\r\x1b\[K\[\d\/3\] /);
  });

  it('--only-descriptor uploads just the descriptor and the manifest (here over active data connections)', async () => {
    const dir = server.freshDir('cli-only');
    const r = await run(['upload', 'ftps', ...conn(), '--active', '--dir', dir, '--only-descriptor', pkg.descriptorPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(path.join(server.root, dir)).sort(), ['pkg.mf', 'pkg.ovf']);
  });

  it('a missing file blocks the upload, listed, even with --force; errors CloudControl may accept need --force', async () => {
    const broken = makePackage({ files: { 'b-disk1.vmdk': 'x' }, hrefs: ['b-disk1.vmdk', 'not-there.vmdk'] });
    scratch.push(broken.dir);
    const dir = server.freshDir('cli-invalid');
    for (const force of [[], ['--force']]) {
      const refused = await run(['upload', 'ftps', ...conn(), '--dir', dir, ...force, broken.descriptorPath]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /cannot upload to CloudControl; fix these first \(--force does not skip them\):\n/);
      assert.match(refused.stderr, /\n {2}\S*pkg\.ovf:\d+:\d+: File 'not-there\.vmdk' does not exist/);
      assert.match(refused.stderr, /\n {2}\S*pkg\.ovf:\d+:\d+: CloudControl imports only packages with a manifest/);
    }
    assert.deepEqual(readdirSync(path.join(server.root, dir)), []);

    // No VirtualHardwareSection: an error, but not one CloudControl is known to refuse for certain.
    const doubtful = makePackage({ files: { 'd-disk1.vmdk': 'x' } });
    scratch.push(doubtful.dir);
    await generateManifest(doubtful.descriptorPath);
    const asked = await run(['upload', 'ftps', ...conn(), '--dir', dir, doubtful.descriptorPath]);
    assert.equal(asked.code, 1);
    assert.match(asked.stderr, /the package has 1 error\(s\) for CloudControl, which may refuse it; fix them, or pass --force to upload anyway/);
    assert.deepEqual(readdirSync(path.join(server.root, dir)), []);
    const forced = await run(['upload', 'ftps', ...conn(), '--dir', dir, '--force', '--only-descriptor', doubtful.descriptorPath]);
    assert.equal(forced.code, 0, forced.stderr);
  });

  it('a disk changed after the manifest was made stops the upload before it completes, with the CLI advice', async () => {
    const changed = makePackage({ files: { 'c-disk1.vmdk': 'original bytes' } });
    scratch.push(changed.dir);
    await generateManifest(changed.descriptorPath);
    writeFileSync(changed.path('c-disk1.vmdk'), 'changed bytes!');
    const dir = server.freshDir('cli-mismatch');
    const r = await run(['upload', 'ftps', ...conn(), '--dir', dir, '--force', changed.descriptorPath]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /c-disk1\.vmdk does not match the manifest: its SHA\d+ is [0-9a-f]+, the manifest says [0-9a-f]+; the upload stopped before the file was complete and the partial copy was removed from the server — if the file is right, regenerate the manifest \(ovfkit manifest \S+pkg\.ovf\), otherwise fix the file/);
    assert.ok(!existsSync(path.join(server.root, dir, 'c-disk1.vmdk')));
  });

  it('bad usage exits 2; a refused login exits 1 with the server\'s words', async () => {
    assert.equal((await run(['upload', 'ftps', '--user', 'u', '--password-env', 'STAGING_PW', pkg.descriptorPath])).code, 2);
    assert.equal((await run(['upload', 'ftps', ...conn()])).code, 2);
    const noVar = await run(['upload', 'ftps', ...conn(), pkg.descriptorPath], {});
    assert.equal(noVar.code, 2);
    assert.match(noVar.stderr, /STAGING_PW is not set/);
    assert.equal((await run(['upload', 'ftps', '--region', 'atlantis', '--user', 'u', '--password-env', 'STAGING_PW', pkg.descriptorPath])).code, 2);
    const wrong = await run(['upload', 'ftps', ...conn(), '-v', pkg.descriptorPath], { STAGING_PW: 'wrong-password-123' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /login to 127\.0\.0\.1 refused: the server answered "530 .*" — check --user \(case-sensitive\) and the password in the --password-env variable/);
  });

  it('lists the staging folder, downloads a package and verifies it against its manifest', async () => {
    const dir = server.freshDir('cli-export');
    assert.equal((await run(['upload', 'ftps', ...conn(), '--dir', dir, pkg.descriptorPath])).code, 0);
    const list = await run(['download', 'ftps', ...conn(), '--dir', dir]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^pkg {2}3 file\(s\), .* deleted \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);

    const to = makeTempDir('ovfkit-cli-dl-');
    scratch.push(to);
    const got = await run(['download', 'ftps', ...conn(), '--dir', dir, 'pkg', '--to', to]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /verified: 2 of 2 files match pkg\.mf/);
    assert.equal(sha256File(path.join(to, 'pkg-disk1.vmdk')), sha256File(pkg.path('pkg-disk1.vmdk')));

    // A staged disk that no longer matches the manifest fails the check.
    writeFileSync(path.join(server.root, dir, 'pkg-disk1.vmdk'), randomBytes(300_000));
    const to2 = makeTempDir('ovfkit-cli-dl-');
    scratch.push(to2);
    const bad = await run(['download', 'ftps', ...conn(), '--dir', dir, 'pkg.mf', '--to', to2]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /FAILED/);
    assert.equal((await run(['download', 'ftps', ...conn(), '--dir', dir, 'nope', '--to', to2])).code, 1);
    assert.equal((await run(['download', 'ftps', ...conn(), '--dir', dir, 'pkg'])).code, 2);
  });

  it('never prints the password, in any run above', () => {
    assert.ok(runs.length >= 10);
    for (const r of runs) {
      for (const secret of [server.password, 'wrong-password-123']) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `password found in output:\n${r.stdout}\n${r.stderr}`);
      }
    }
    assert.ok(!readFileSync(pkg.descriptorPath, 'utf8').includes(server.password));
  });
});
