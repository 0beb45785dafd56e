// `ovfkit sign` and `ovfkit unpack` as users run them (the built CLI as a process).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../support/cliRunner';
import { makePackage } from '../unit/manifestFixture';
import { descriptor } from '../support/descriptors';

const dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-signcli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (...p: string[]) => path.join(dir, ...p);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

test('ovfkit sign writes FILE.cert that openssl verifies; without a manifest it says what to run', async () => {
  writeFileSync(at('app.ovf'), '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>\n');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '5', '-subj', '/CN=cli', '-passout', 'pass:pw');
  const missing = await runCli(['sign', '--key', at('key.pem'), '--cert', at('cert.pem'), at('app.ovf')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /manifest .* does not exist; run 'ovfkit manifest .*app\.ovf' first/);

  writeFileSync(at('app.mf'), 'SHA1(app.ovf)= 0123456789abcdef0123456789abcdef01234567\n');
  const noPass = await runCli(['sign', '--key', at('key.pem'), '--cert', at('cert.pem'), at('app.ovf')]);
  assert.equal(noPass.code, 1);
  assert.match(noPass.stderr, /encrypted and the passphrase is missing or wrong/);

  const ok = await runCli(['sign', '--key', at('key.pem'), '--cert', at('cert.pem'), '--passphrase-env', 'OVF_KEY_PASS', at('app.ovf')], { env: { ...process.env, OVF_KEY_PASS: 'pw' } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(!`${ok.stdout}${ok.stderr}`.includes('pw '), 'the passphrase is never printed');
  const cert = readFileSync(at('app.cert'), 'utf8');
  const hex = /^SHA256\(app\.mf\)= ([0-9a-f]+)\n/.exec(cert)![1];
  writeFileSync(at('sig.bin'), Buffer.from(hex, 'hex'));
  openssl('x509', '-in', 'cert.pem', '-pubkey', '-noout', '-out', 'pub.pem');
  assert.match(openssl('dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.bin', 'app.mf').toString(), /Verified OK/);
});

test('ovfkit unpack writes the members; a hostile OVA exits 1 and writes nothing', async () => {
  mkdirSync(at('pkg'));
  writeFileSync(at('pkg', 'app.ovf'), '<Envelope/>');
  writeFileSync(at('pkg', 'disk.vmdk'), Buffer.alloc(5000, 7));
  execFileSync('tar', ['-cf', at('app.ova'), '-C', at('pkg'), 'app.ovf', 'disk.vmdk']);
  const ok = await runCli(['unpack', at('app.ova')]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(readdirSync(at('app')).sort(), ['app.ovf', 'disk.vmdk']);
  assert.ok(readFileSync(at('app', 'disk.vmdk')).equals(Buffer.alloc(5000, 7)));
  const again = await runCli(['unpack', at('app.ova')]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists; pass --force/);

  execFileSync('python3', ['-c', 'import tarfile,io,sys\nwith tarfile.open(sys.argv[1],"w") as t:\n  i=tarfile.TarInfo("../escaped.txt"); i.size=1; t.addfile(i,io.BytesIO(b"x"))', at('evil.ova')]);
  const evil = await runCli(['unpack', '--to', at('evil-out'), at('evil.ova')]);
  assert.equal(evil.code, 1);
  assert.match(evil.stderr, /leaves the folder/);
  assert.ok(!existsSync(at('escaped.txt')) && !existsSync(at('evil-out')));
});

test('ovfkit verify checks a signed package: valid, manifest changed after signing, untrusted with --ca', async () => {
  const p = makePackage({ files: { 'pkg-disk1.vmdk': Buffer.alloc(70000, 3) } });
  try {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'signer.key', '-out', 'signer.crt', '-days', '5', '-subj', '/CN=verify');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '5', '-subj', '/CN=other CA');
    assert.equal((await runCli(['manifest', p.descriptorPath])).code, 0);
    assert.equal((await runCli(['sign', '--key', at('signer.key'), '--cert', at('signer.crt'), p.descriptorPath])).code, 0);

    const valid = await runCli(['verify', p.descriptorPath]);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.stderr, /signature valid/);
    assert.match(valid.stdout, /information signature\/self-signed/);

    const untrusted = await runCli(['verify', '--ca', at('other.crt'), p.descriptorPath]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stdout, /error signature\/untrusted .*no trusted CA issued/);
    const trusted = await runCli(['verify', '--ca', at('signer.crt'), p.descriptorPath]);
    assert.equal(trusted.code, 0, trusted.stdout);

    // Digests still match, but the manifest's bytes are no longer the signed ones.
    writeFileSync(p.manifestPath, readFileSync(p.manifestPath, 'utf8').replace(/\n$/, '\r\n'));
    const broken = await runCli(['verify', p.descriptorPath]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /pkg\.cert:1:1: error signature\/invalid/);
    assert.match(broken.stderr, /signature INVALID/);
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('ovfkit validate FILE.ova reads the descriptor in place, with its members as the package', async () => {
  const pkgDir = at('ovapkg');
  mkdirSync(pkgDir);
  writeFileSync(path.join(pkgDir, 'app.ovf'), descriptor());
  writeFileSync(path.join(pkgDir, 'disk1.vmdk'), Buffer.alloc(1024, 1));
  writeFileSync(path.join(pkgDir, 'notes.txt'), 'not referenced');
  const tar = (ova: string, ...names: string[]) => execFileSync('tar', ['-cf', ova, '-C', pkgDir, ...names]);
  const validate = (...args: string[]) => runCli(['validate', '--target', 'generic', ...args]);

  const good = at('good.ova');
  tar(good, 'app.ovf', 'disk1.vmdk');
  const ok = await validate('--format', 'json', good);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).filter((f: { severity: string }) => f.severity === 'error'), []);

  // A missing member is the package rule's finding, at the href in the descriptor member.
  const missing = at('missing.ova');
  tar(missing, 'app.ovf', 'notes.txt');
  const r = await validate('--format', 'json', missing);
  assert.equal(r.code, 1);
  const findings = JSON.parse(r.stdout) as Array<{ code: string; entry: string; line: number }>;
  const miss = findings.find((f) => f.code === 'package/missing-file');
  assert.ok(miss, r.stdout);
  assert.equal(miss.entry, 'app.ovf');
  assert.ok(miss.line > 1);
  assert.ok(findings.some((f) => f.code === 'ova/unreferenced-member'), r.stdout);

  const late = at('late.ova');
  tar(late, 'disk1.vmdk', 'app.ovf');
  const text = await validate(late);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /late\.ova\(app\.ovf\):\d+:\d+: error ova\/descriptor-not-first /);

  writeFileSync(at('junk.ova'), 'not a tar'.repeat(100));
  const junk = await validate(at('junk.ova'));
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /junk\.ova: not a tar archive/);
});

test('ovfkit pack: generates a missing manifest, writes an OVA tar reads in order, refuses a stale signed one', async () => {
  const pkgDir = at('packpkg');
  mkdirSync(pkgDir);
  writeFileSync(path.join(pkgDir, 'app.ovf'), descriptor());
  writeFileSync(path.join(pkgDir, 'disk1.vmdk'), Buffer.alloc(1024, 5));
  const r = await runCli(['pack', path.join(pkgDir, 'app.ovf')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*app\.mf .*was missing/);
  const ova = path.join(pkgDir, 'app.ova');
  assert.deepEqual(execFileSync('tar', ['-tf', ova], { encoding: 'utf8' }).trim().split('\n'), ['app.ovf', 'app.mf', 'disk1.vmdk']);
  assert.equal((await runCli(['validate', '--target', 'generic', ova])).code, 0);

  const again = await runCli(['pack', path.join(pkgDir, 'app.ovf')]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists; remove it or pass --force/);

  // Sign, then change the disk: the manifest is stale and a new one would break the signature.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'pk.key', '-out', 'pk.crt', '-days', '5', '-subj', '/CN=pack');
  assert.equal((await runCli(['sign', '--key', at('pk.key'), '--cert', at('pk.crt'), path.join(pkgDir, 'app.ovf')])).code, 0);
  writeFileSync(path.join(pkgDir, 'disk1.vmdk'), Buffer.alloc(1024, 6));
  const stale = await runCli(['pack', '--force', path.join(pkgDir, 'app.ovf')]);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /app\.cert signs it/);
});

test('ovfkit verify FILE.ova checks a packed, signed OVA in place: the .cert after the manifest, members named app.ova(member)', async () => {
  const p = makePackage({ files: { 'pkg-disk1.vmdk': Buffer.alloc(70001, 3) } });
  try {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ova.key', '-out', 'ova.crt', '-days', '5', '-subj', '/CN=ova');
    assert.equal((await runCli(['manifest', p.descriptorPath])).code, 0);
    assert.equal((await runCli(['sign', '--key', at('ova.key'), '--cert', at('ova.crt'), p.descriptorPath])).code, 0);
    assert.equal((await runCli(['pack', p.descriptorPath])).code, 0);
    const ova = p.path('pkg.ova');
    assert.deepEqual(execFileSync('tar', ['-tf', ova], { encoding: 'utf8' }).trim().split('\n'), ['pkg.ovf', 'pkg.mf', 'pkg.cert', 'pkg-disk1.vmdk']);

    const valid = await runCli(['verify', ova]);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.stderr, /ok: 2 of 2 checked files match .*signature valid/);
    assert.match(valid.stdout, /pkg\.ova\(pkg\.cert\):1:1: information signature\/self-signed/);
    const json = JSON.parse((await runCli(['verify', '--format', 'json', ova])).stdout);
    assert.ok(Array.isArray(json) || typeof json === 'object');

    // One byte of the disk member changed inside the tar: a mismatch named by member.
    const bytes = readFileSync(ova);
    const at0 = bytes.indexOf(Buffer.alloc(512, 3));
    bytes[at0 + 10] = 4;
    writeFileSync(ova, bytes);
    const broken = await runCli(['verify', ova]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /pkg\.ova\(pkg\.mf\):\d+:\d+: error manifest\/digest-mismatch 'pkg-disk1\.vmdk'/);
    assert.match(broken.stdout, /pkg\.ova\(pkg\.ovf\):\d+:\d+: error manifest\/digest-mismatch/);

    writeFileSync(at('notatar.ova'), 'hello');
    const notTar = await runCli(['verify', at('notatar.ova')]);
    assert.equal(notTar.code, 1);
    assert.match(notTar.stderr, /notatar\.ova: .*tar/);
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});
