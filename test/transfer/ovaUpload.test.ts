// Uploads straight from an OVA and of chunked files, against real servers on 127.0.0.1: the
// vCloud transfer-service simulator (members sent from their ranges of an OVA made by GNU tar,
// byte-identical, resumed after a drop; a chunked File's parts as one continuous upload that the
// simulator reassembles and checks part by part) and ftp-srv (an OVA's members stored as separate
// files in the import's order, resumed; a chunked File's parts carried as they are). An OVA with
// a `../` or link member is refused before anything is sent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/src/cli/main';
import { checkManifest } from '../../client/src/simulator/vcloud/manifestCheck';
import { startVcloudSimulator, VcloudSimulator } from '../../client/src/simulator/vcloud/simulator';
import { uploadToVcloud, VcloudUploadOptions } from '../../client/src/transfer/vcloud/upload';
import { FtpsTestServer, startFtpsTestServer } from '../support/ftpsServer';
import { descriptorText, makeTestPackage, TestPackage } from './vcloudTestPackage';

const KiB = 1024;
const MiB = 1024 * KiB;
const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');

let sim: VcloudSimulator;
let ftps: FtpsTestServer;
const packages: TestPackage[] = [];

before(async () => {
  sim = await startVcloudSimulator({ descriptorProcessingMs: 30, importProcessingMs: 60 });
  ftps = await startFtpsTestServer();
});

after(async () => {
  await sim.close();
  await ftps.close();
  for (const p of packages) await rm(p.dir, { recursive: true, force: true });
});

async function pkg(spec: Parameters<typeof makeTestPackage>[0]): Promise<TestPackage> {
  const p = await makeTestPackage(spec);
  packages.push(p);
  return p;
}

/** GNU tar's own OVA of the package: descriptor, manifest, then the files, in that order. */
function gnuTar(dir: string, ova: string, members: string[]): string {
  execFileSync('tar', ['--format=gnu', '-cf', ova, '-C', dir, ...members]);
  return ova;
}

/** A package whose disk is a chunked File (ovf:chunkSize) stored as parts, with a manifest listing each part. */
async function chunkedPackage(name: string, diskSize: number, chunkSize: number): Promise<TestPackage & { disk: Buffer; parts: string[] }> {
  const p = await pkg({ name, disks: [{ name: 'disk1.vmdk', size: 1 }] });
  const disk = randomBytes(diskSize);
  const text = descriptorText({ name, disks: [{ name: 'disk1.vmdk', size: diskSize }] }).replace(`ovf:size="${diskSize}"`, `ovf:size="${diskSize}" ovf:chunkSize="${chunkSize}"`);
  assert.match(text, /ovf:chunkSize/);
  await writeFile(p.descriptorPath, text);
  await rm(p.diskPaths[0]);
  const parts: string[] = [];
  for (let i = 0, at = 0; at < diskSize; i++, at += chunkSize) {
    const part = `disk1.vmdk.${String(i).padStart(9, '0')}`;
    await writeFile(path.join(p.dir, part), disk.subarray(at, at + chunkSize));
    parts.push(part);
  }
  const lines = [`SHA1(${name}.ovf)= ${sha1(text)}`, ...parts.map((n) => `SHA1(${n})= ${sha1(readFileSync(path.join(p.dir, n)))}`)];
  p.manifestPath = path.join(p.dir, `${name}.mf`);
  await writeFile(p.manifestPath, lines.join('\n') + '\n');
  return { ...p, disk, parts, diskPaths: [] };
}

function vcloudOptions(descriptorPath: string, extra: Partial<VcloudUploadOptions> = {}): VcloudUploadOptions {
  return {
    url: sim.url,
    org: sim.org.name,
    user: sim.user,
    password: sim.password,
    caFile: sim.caFile,
    descriptorPath,
    catalog: sim.catalogs[0].name,
    pollIntervalMs: 20,
    linkTimeoutSeconds: 10,
    taskTimeoutSeconds: 20,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  };
}

async function assertStored(templateName: string, expected: Record<string, Buffer>): Promise<void> {
  const t = sim.template(templateName);
  assert.ok(t, `the simulator has template ${templateName}`);
  assert.equal(t.status, 8, `template ${templateName} is ready`);
  for (const [name, bytes] of Object.entries(expected)) {
    const stored: Buffer = await readFile(sim.storedFile(t, name));
    assert.equal(stored.length, bytes.length, `${name}: length at the server`);
    assert.ok(stored.equals(bytes), `${name}: bytes identical at the server`);
  }
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function cli(args: string[], env: Record<string, string>) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, env, signal: new AbortController().signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const vcloudArgs = () => ['upload', 'vcloud', '--url', sim.url, '--org', sim.org.name, '--user', sim.user, '--password-env', 'VCD_PASSWORD', '--ca', sim.caFile, '--catalog', sim.catalogs[0].name];
const ftpsArgs = (dir: string) => ['upload', 'ftps', '--host', ftps.host, '--port', String(ftps.port), '--user', ftps.user, '--password-env', 'STAGING_PW', '--ca', ftps.caFile, '--dir', dir];

describe('upload vcloud from an OVA', () => {
  test('an OVA made by GNU tar goes member by member from its ranges; the server holds the loose files byte for byte', async () => {
    const p = await pkg({ name: 'ova-app', disks: [{ name: 'disk1.vmdk', size: 2 * MiB + 77 }, { name: 'disk2.vmdk', size: 100 * KiB }], manifest: true });
    const ova = gnuTar(p.dir, path.join(p.dir, 'ova-app.ova'), ['ova-app.ovf', 'ova-app.mf', 'disk1.vmdk', 'disk2.vmdk']);
    const r = await cli([...vcloudArgs(), '--name', 'from-ova', '--chunk-size', '512K', ova], { VCD_PASSWORD: sim.password });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /template 'from-ova' is ready \(status 8\)/);
    await assertStored('from-ova', {
      'descriptor.ovf': await readFile(p.descriptorPath),
      'descriptor.mf': await readFile(p.manifestPath!),
      'disk1.vmdk': await readFile(p.diskPaths[0]),
      'disk2.vmdk': await readFile(p.diskPaths[1]),
    });
    // Nothing was unpacked beside the OVA.
    assert.deepEqual(readdirSync(p.dir).filter((n) => !['ova-app.ovf', 'ova-app.mf', 'disk1.vmdk', 'disk2.vmdk', 'ova-app.ova'].includes(n)), []);
  });

  test('after a drop that exhausts the retries, a resumed upload continues from bytesTransferred to identical bytes', async () => {
    const p = await pkg({ name: 'ova-drop', disks: [{ name: 'disk1.vmdk', size: 3 * MiB }], manifest: true });
    const ova = gnuTar(p.dir, path.join(p.dir, 'ova-drop.ova'), ['ova-drop.ovf', 'ova-drop.mf', 'disk1.vmdk']);
    sim.faults.push({ kind: 'cut', file: 'disk1.vmdk', atOffset: MiB + 5 });
    let templateHref = '';
    await assert.rejects(uploadToVcloud(vcloudOptions(ova, { name: 'ova-drop', chunkSize: 768 * KiB, retry: { attempts: 1 }, onTemplateCreated: (h) => void (templateHref = h) })));
    const t = sim.template('ova-drop')!;
    assert.equal(t.files.find((f) => f.name === 'disk1.vmdk')!.received, MiB + 5, 'the server kept the bytes before the drop');
    const result = await uploadToVcloud(vcloudOptions(ova, { resumeTemplateHref: templateHref, chunkSize: 768 * KiB }));
    assert.equal(result.resumed, true);
    assert.equal(result.bytesSentThisAttempt, 3 * MiB - (MiB + 5), 'only what the server lacked was sent');
    const ranges = sim.requests.filter((r) => r.method === 'PUT' && r.path.includes(t.transferId) && r.path.endsWith('/disk1.vmdk')).map((r) => r.contentRange);
    assert.ok(ranges.includes(`bytes ${MiB + 5}-${MiB + 5 + 768 * KiB - 1}/${3 * MiB}`), `resumed at the server's offset: ${ranges.join(', ')}`);
    await assertStored('ova-drop', { 'disk1.vmdk': await readFile(p.diskPaths[0]), 'descriptor.ovf': await readFile(p.descriptorPath) });
  });
});

describe('chunked files', () => {
  test('a chunked package validates and verifies, and vCloud gets its parts as one continuous upload, reassembled identical', async () => {
    const p = await chunkedPackage('chunky', 1 * MiB + 300, 256 * KiB);
    assert.equal(p.parts.length, 5);
    const validated = await cli(['validate', p.descriptorPath], {});
    assert.equal(validated.code, 0, validated.stdout + validated.stderr);
    const verified = await cli(['verify', p.descriptorPath], {});
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);

    const result = await uploadToVcloud(vcloudOptions(p.descriptorPath, { name: 'chunky', chunkSize: 200 * KiB }));
    assert.equal(result.status, 8);
    await assertStored('chunky', { 'disk1.vmdk': p.disk });
    const t = sim.template('chunky')!;
    const puts = sim.requests.filter((r) => r.method === 'PUT' && r.path.includes(t.transferId) && r.path.includes('/disk1.vmdk'));
    assert.ok(puts.every((r) => r.path.endsWith('/disk1.vmdk')), 'every part went to the File\'s one link');
    const ranges = puts.map((r) => /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.contentRange ?? '')!).map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    assert.equal(ranges.length, Math.ceil((MiB + 300) / (200 * KiB)));
    ranges.forEach(([start, , total], i) => {
      assert.equal(total, MiB + 300, 'one total: the whole file');
      assert.equal(start, i === 0 ? 0 : ranges[i - 1][1] + 1, 'the range runs on across parts');
    });
  });

  test('the client checks each part against the manifest as the one sequence goes out: a differing part stops the last range', async () => {
    const p = await chunkedPackage('chunky-bad', 600 * KiB, 256 * KiB);
    // The manifest's digest of part 2 no longer matches the part.
    const mf = (await readFile(p.manifestPath!, 'utf8')).replace(/(SHA1\(disk1\.vmdk\.000000002\)= )[0-9a-f]+/, `$1${'0'.repeat(40)}`);
    await writeFile(p.manifestPath!, mf);
    await assert.rejects(uploadToVcloud(vcloudOptions(p.descriptorPath, { name: 'chunky-bad' })), /disk1\.vmdk\.000000002 does not match the manifest/);
    const puts = sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/disk1.vmdk') && r.path.includes(sim.template('chunky-bad')!.transferId));
    const last = puts.map((r) => Number(/-(\d+)\//.exec(r.contentRange ?? '')?.[1] ?? -1));
    assert.ok(!last.includes(600 * KiB - 1), 'the last range was never sent');
  });

  test('the simulator checks the reassembled file against each part\'s manifest line, as vCloud does', async () => {
    const p = await chunkedPackage('chunky-sim', 600 * KiB, 256 * KiB);
    const whole = path.join(p.dir, 'reassembled');
    await writeFile(whole, p.disk);
    const manifest = await readFile(p.manifestPath!, 'utf8');
    const files = new Map([['disk1.vmdk', { path: whole, chunkSize: 256 * KiB }]]);
    assert.equal(await checkManifest(manifest, files), undefined);
    const bad = Buffer.from(p.disk);
    bad[2 * 256 * KiB + 9] ^= 1;
    await writeFile(whole, bad);
    assert.match((await checkManifest(manifest, files)) ?? '', /disk1\.vmdk\.000000002 in the manifest does not match bytes 524288-614399 of the uploaded disk1\.vmdk/);
    assert.match((await checkManifest(manifest.replace(/^SHA1\(disk1\.vmdk\.000000001\).*$/m, ''), files)) ?? '', /does not list disk1\.vmdk\.000000001, part 2 of the chunked file/);
  });

  test('a chunked package packed as an OVA by GNU tar uploads to vCloud from its member ranges', async () => {
    const p = await chunkedPackage('chunky-ova', 700 * KiB, 256 * KiB);
    const ova = gnuTar(p.dir, path.join(p.dir, 'chunky-ova.ova'), ['chunky-ova.ovf', 'chunky-ova.mf', ...p.parts]);
    const result = await uploadToVcloud(vcloudOptions(ova, { name: 'chunky-ova', chunkSize: 300 * KiB }));
    assert.equal(result.status, 8);
    await assertStored('chunky-ova', { 'disk1.vmdk': p.disk });
  });

  test('upload ftps carries the parts as they are, in order after the descriptor and manifest', async () => {
    const p = await chunkedPackage('chunky-ftps', 600 * KiB, 256 * KiB);
    const dir = ftps.freshDir('chunked');
    const r = await cli([...ftpsArgs(dir), p.descriptorPath], { STAGING_PW: ftps.password });
    assert.equal(r.code, 0, r.stderr);
    const order = [...r.stdout.matchAll(/^uploaded (\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(order, ['chunky-ftps.ovf', 'chunky-ftps.mf', ...p.parts]);
    for (const part of p.parts) assert.ok(readFileSync(path.join(ftps.root, dir, part)).equals(readFileSync(path.join(p.dir, part))), `${part} identical`);
  });
});

describe('upload ftps from an OVA', () => {
  test('the members arrive as separate files in the import\'s order, byte-identical, and a second run resumes a cut file', async () => {
    const p = await pkg({ name: 'cc-app', disks: [{ name: 'cc-disk1.vmdk', size: 6 * MiB }], manifest: true });
    // A .cert member travels after the manifest (its content is not checked by the upload).
    await writeFile(path.join(p.dir, 'cc-app.cert'), 'SHA256(cc-app.mf)= 00\n');
    const members = ['cc-app.ovf', 'cc-app.mf', 'cc-app.cert', 'cc-disk1.vmdk'];
    const ova = gnuTar(p.dir, path.join(p.dir, 'cc-app.ova'), members);
    const dir = ftps.freshDir('from-ova');
    ftps.onFileReaches(`${dir}/cc-disk1.vmdk`, 2 * MiB, () => ftps.cutConnections());
    const first = await cli([...ftpsArgs(dir), '--retries', '1', ova], { STAGING_PW: ftps.password });
    assert.equal(first.code, 1, first.stdout + first.stderr);
    const second = await cli([...ftpsArgs(dir), '-v', ova], { STAGING_PW: ftps.password });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /cc-disk1\.vmdk: resuming at byte [1-9]\d*/);
    const order = [...second.stdout.matchAll(/^uploaded (\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(order, members);
    for (const m of members) assert.ok(readFileSync(path.join(ftps.root, dir, m)).equals(readFileSync(path.join(p.dir, m))), `${m} identical`);
    assert.ok(!existsSync(path.join(ftps.root, dir, 'cc-app.ova')), 'the OVA itself is not staged');
  });
});

describe('unsafe OVAs are refused before anything is sent', () => {
  const python = (script: string, ...args: string[]) => execFileSync('python3', ['-c', script, ...args]);
  const MAKE = `
import io, sys, tarfile
out, kind = sys.argv[1], sys.argv[2]
with tarfile.open(out, 'w', format=tarfile.USTAR_FORMAT) as tar:
    for name in sys.argv[3:]:
        data = open(name.split('=')[1], 'rb').read()
        info = tarfile.TarInfo(name.split('=')[0]); info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    bad = tarfile.TarInfo('../evil.vmdk' if kind == 'dotdot' else 'link.vmdk')
    if kind == 'link':
        bad.type = tarfile.SYMTYPE; bad.linkname = '/etc/passwd'
    tar.addfile(bad, io.BytesIO(b''))
`;
  for (const kind of ['dotdot', 'link'] as const) {
    test(`an OVA with a ${kind === 'dotdot' ? "'../' member" : 'symlink member'}: no request to vCloud, no file on the FTPS server`, async () => {
      const p = await pkg({ name: `bad-${kind}`, disks: [{ name: 'disk1.vmdk', size: 10 * KiB }], manifest: true });
      const ova = path.join(p.dir, `bad-${kind}.ova`);
      python(MAKE, ova, kind, ...[`bad-${kind}.ovf`, `bad-${kind}.mf`, 'disk1.vmdk'].map((n) => `${n}=${path.join(p.dir, n)}`));
      const before = sim.requests.length;
      const v = await cli([...vcloudArgs(), ova], { VCD_PASSWORD: sim.password });
      assert.equal(v.code, 1, v.stdout + v.stderr);
      assert.match(v.stderr, kind === 'dotdot' ? /\.\.\/evil\.vmdk.*leaves the folder/ : /link\.vmdk.*is a link/);
      assert.equal(sim.requests.length, before, 'not even a login');
      const dir = ftps.freshDir(`bad-${kind}`);
      const f = await cli([...ftpsArgs(dir), ova], { STAGING_PW: ftps.password });
      assert.equal(f.code, 1, f.stdout + f.stderr);
      assert.deepEqual(readdirSync(path.join(ftps.root, dir)), [], 'nothing staged');
    });
  }
});
