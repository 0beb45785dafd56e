// `ovfkit import|export|images cloudcontrol` and `upload ftps --import` against the CloudControl
// simulator on 127.0.0.1 (HTTPS API and FTPS staging, trusted through its test CA): exit codes,
// the server's words on refusals and failed imports, the wait's bound, --no-wait, the listing, an
// export downloaded from the staging area and verified, the upload→import chain, and Ctrl-C on the
// built CLI. No run may print the password.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/src/cli/main';
import { CloudControlSimulator, startCloudControlSimulator } from '../../client/src/simulator/cloudcontrol/simulator';
import { CloudControlClient } from '../../client/src/transfer/cloudcontrol';
import { makeTestPackage, TestPackage } from './vcloudTestPackage';

let sim: CloudControlSimulator;
/** An import there never finishes: for the wait's bound and Ctrl-C. */
let slowSim: CloudControlSimulator;
let pkg: TestPackage;
const scratch: string[] = [];
const allOutput: string[] = [];

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function ovfkit(args: string[], options: { env?: Record<string, string>; tty?: boolean } = {}) {
  const stdout = new Capture(false);
  const stderr = new Capture(options.tty ?? false);
  const code = await main(args, { stdout, stderr, env: options.env ?? { CC_PW: sim.password }, signal: new AbortController().signal });
  allOutput.push(stdout.text, stderr.text);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function api(s: CloudControlSimulator = sim): string[] {
  return ['--api-host', s.apiHost, '--user', s.user, '--password-env', 'CC_PW', '--ca', s.caFile];
}

async function stage(p: TestPackage, s: CloudControlSimulator = sim): Promise<void> {
  for (const f of [p.descriptorPath, p.manifestPath!, ...p.diskPaths]) await copyFile(f, path.join(s.stagingDir, path.basename(f)));
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'ovfkit-cccli-'));
  scratch.push(d);
  return d;
}

const image = (name: string) => sim.images.find((i) => i.name === name);

before(async () => {
  // Two polls to NORMAL: the CLI's first check is at once, the next a second later.
  sim = await startCloudControlSimulator({ pollsToFinish: 2 });
  slowSim = await startCloudControlSimulator({ pollsToFinish: 1_000_000, ftps: false });
  pkg = await makeTestPackage({ disks: [{ name: 'web-disk1.vmdk', size: 64 * 1024 }], manifest: true, name: 'web' });
  scratch.push(pkg.dir);
  await stage(pkg);
  await stage(pkg, slowSim);
});

after(async () => {
  await sim?.close();
  await slowSim?.close();
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

describe('ovfkit import cloudcontrol', () => {
  test('imports to NORMAL: exit 0, the id on stdout, the steps on stderr as plain lines', async () => {
    const r = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'web-img', '--description', 'the web tier', '--poll', '0.02', pkg.manifestPath!]);
    assert.equal(r.code, 0, r.stderr);
    const img = image('web-img');
    assert.ok(img, 'the simulator has the image');
    assert.equal(img.state, 'NORMAL');
    assert.equal(img.description, 'the web tier');
    assert.equal(r.stdout, `${img.id}\n`);
    assert.match(r.stderr, /^import web-img: WAITING_FOR_STAGING \(step 1\) \d+%$/m);
    assert.match(r.stderr, /is NORMAL/);
    assert.doesNotMatch(r.stderr, /\r/, 'no terminal control on a pipe');
    const sent = sim.requests.find((q) => q.method === 'POST' && q.path.endsWith('/image/importImage'));
    assert.ok(sent);
  });

  test('on a terminal the progress is one line rewritten; --format json prints one object', async () => {
    const r = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'web-json', '--no-guest-customization', '--poll', '0.02', '--format', 'json', 'web.mf'], { tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\r\x1b\[Kimport web-json: /);
    const out = JSON.parse(r.stdout);
    assert.deepEqual({ ...out, id: undefined }, { id: undefined, name: 'web-json', datacenterId: 'NA9', ovfPackage: 'web.mf', state: 'NORMAL', outcome: 'normal', awaited: true });
    assert.equal(out.id, image('web-json')?.id);
  });

  test('a failed import: exit 1 with the reason, and how to clean the failed image', async () => {
    // vmx-13 is newer than EU6 runs: the simulator's own check of the staged package fails it.
    const r = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'EU6', '--name', 'web-eu', '--poll', '0.02', 'web.mf']);
    assert.equal(r.code, 1);
    const img = image('web-eu');
    assert.equal(img?.state, 'FAILED_ADD');
    assert.match(r.stderr, /the import of web-eu failed: state FAILED_ADD: The image's virtual hardware vmx-13 is newer than this data centre supports \(vmx-11\)/);
    assert.ok(r.stderr.includes(`image/cleanCustomerImage with id ${img!.id}`), r.stderr);
    assert.equal(r.stdout, '', 'no id printed for a failed image');
  });

  test('--clean-on-failure removes the failed image (an injected failure), json says so', async () => {
    sim.inject({ kind: 'fail-import', reason: 'Disk web-disk1.vmdk is not a stream-optimized VMDK' });
    const r = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'web-bad', '--poll', '0.02', '--clean-on-failure', '--format', 'json', 'web.mf']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Disk web-disk1\.vmdk is not a stream-optimized VMDK/);
    assert.match(r.stderr, /removed the failed image/);
    const out = JSON.parse(r.stdout);
    assert.equal(out.outcome, 'failed');
    assert.equal(out.state, 'FAILED_ADD');
    assert.equal(out.cleaned, true);
    assert.equal(out.failureReason, 'Disk web-disk1.vmdk is not a stream-optimized VMDK');
    assert.equal(image('web-bad'), undefined, 'cleaned from the simulator');
  });

  test('a refusal by the server: exit 1 with responseCode and message verbatim', async () => {
    const dup = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'web-img', 'web.mf']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /the server refused the import of web\.mf \(HTTP 400\): NAME_NOT_UNIQUE: Image name web-img is already in use in NA9\./);
    const dc = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'XX1', '--name', 'web-x', 'web.mf']);
    assert.equal(dc.code, 1);
    assert.match(dc.stderr, /RESOURCE_NOT_FOUND: Data Center XX1 not found\./);
    sim.inject({ kind: 'status', status: 500, count: 1 });
    const five = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'web-5xx', 'web.mf']);
    assert.equal(five.code, 1);
    assert.match(five.stderr, /UNEXPECTED_ERROR: An unexpected error occurred\./);
  });

  test('a refused login: exit 1, plain words, no password; an untrusted certificate says --ca', async () => {
    const r = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'nope', 'web.mf'], { env: { CC_PW: 'wrong-password-123' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the login was refused/);
    assert.ok(!(r.stdout + r.stderr).includes('wrong-password-123'));
    const noCa = await ovfkit(['images', 'cloudcontrol', '--api-host', sim.apiHost, '--user', sim.user, '--password-env', 'CC_PW']);
    assert.equal(noCa.code, 1);
    assert.match(noCa.stderr, /certificate of 127\.0\.0\.1:\d+ is not trusted .*--ca FILE/);
  });

  test('bad usage: exit 2 naming the option', async () => {
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [[...api(), '--name', 'n', 'web.mf'], /--datacenter ID is required/],
      [[...api(), '--datacenter', 'NA9', 'web.mf'], /--name NAME is required/],
      [[...api(), '--datacenter', 'NA9', '--name', 'n', 'web.ovf'], /web\.ovf: expected the package's manifest, NAME\.mf/],
      [[...api(), '--datacenter', 'NA9', '--name', 'n'], /no PACKAGE\.mf given/],
      [[...api(), '--region', 'eu', '--datacenter', 'NA9', '--name', 'n', 'web.mf'], /give --region or --api-host, not both/],
      [['--region', 'mars', '--user', 'u', '--password-env', 'CC_PW', '--datacenter', 'NA9', '--name', 'n', 'web.mf'], /--region mars: unknown region/],
      [[...api(), '--datacenter', 'NA9', '--name', 'n', '--timeout', '0', 'web.mf'], /--timeout 0: expected a positive number/],
      [[...api(), '--datacenter', 'NA9', '--name', 'n', '--format', 'xml', 'web.mf'], /--format xml: expected text or json/],
      [[...api(), '--datacenter', 'NA9', '--name', 'n', '--bogus', 'web.mf'], /--bogus/],
      [[...api(), '--datacenter', 'NA9', '--name', 'n', 'web.mf'], /--password-env: environment variable CC_PW is not set/, {}],
      [['--api-host', sim.apiHost, '--user', sim.user, '--password-env', 'CC_PW', '--ca', '/nonexistent/ca.pem', '--datacenter', 'NA9', '--name', 'n', 'web.mf'], /--ca: cannot use CA file \/nonexistent\/ca\.pem/],
    ];
    for (const [args, message, env] of cases) {
      const r = await ovfkit(['import', 'cloudcontrol', ...args], { env: env ?? { CC_PW: sim.password } });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const help = await ovfkit(['import', 'cloudcontrol', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: ovfkit import cloudcontrol \(--region R \| --api-host HOST\[:PORT\]\)/);
    assert.equal((await ovfkit(['import', 'vcloud'])).code, 2);
  });

  test('--no-wait prints the id once accepted and says it was not awaited', async () => {
    const r = await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', 'NA9', '--name', 'web-later', '--no-wait', 'web.mf']);
    assert.equal(r.code, 0, r.stderr);
    const img = image('web-later');
    assert.equal(r.stdout, `${img!.id}\n`);
    assert.equal(img!.state, 'PENDING_ADD');
    assert.match(r.stderr, /not awaited/);
  });

  test('the wait is bounded by --timeout: exit 1, the image still importing', async () => {
    const started = Date.now();
    const r = await ovfkit(['import', 'cloudcontrol', ...api(slowSim), '--datacenter', 'NA9', '--name', 'web-slow', '--timeout', '1', '--poll', '0.05', 'web.mf'], { env: { CC_PW: slowSim.password } });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - started < 6000, 'stopped near the bound');
    assert.match(r.stderr, /not finished within 1 s/);
    assert.match(r.stderr, /last seen [A-Z_]+ \(step \d\) \d+%/);
    assert.equal(slowSim.images.find((i) => i.name === 'web-slow')?.state, 'PENDING_ADD');
  });
});

describe('ovfkit images cloudcontrol', () => {
  test('a table of images with state and progress, and the exports in progress; json too', async () => {
    // Each listing advances the simulator's exports one poll: one fresh export per listing.
    const startExport = async (imageName: string, prefix: string) => {
      const client = await CloudControlClient.connect({ apiHost: sim.apiHost, user: sim.user, password: sim.password, caFile: sim.caFile });
      try {
        return (await client.exportImage({ imageId: image(imageName)!.id, ovfPackagePrefix: prefix })).imageExportId;
      } finally {
        client.close();
      }
    };
    const exportId = await startExport('web-json', 'listed');
    const r = await ovfkit(['images', 'cloudcontrol', ...api()]);
    assert.equal(r.code, 0, r.stderr);
    const [head, ...rows] = r.stdout.split('\n');
    assert.match(head, /^ID +NAME +DATACENTER +STATE +PROGRESS$/);
    const row = (name: string) => rows.find((l) => l.includes(` ${name} `));
    assert.match(row('web-img')!, new RegExp(`^${image('web-img')!.id} +web-img +NA9 +NORMAL$`));
    assert.match(row('web-eu')!, /EU6 +FAILED_ADD +The image's virtual hardware vmx-13/);
    assert.match(row('web-later')!, /PENDING_ADD/);
    assert.match(r.stdout, /exports in progress:\nEXPORT ID +PREFIX +IMAGE +PROGRESS\n.*listed +web-json +EXPORTING/);
    assert.ok(r.stdout.includes(exportId));

    const secondId = await startExport('web-img', 'listed2');
    const all = JSON.parse((await ovfkit(['images', 'cloudcontrol', ...api(), '--format', 'json'])).stdout);
    const listed = all.exportsInProgress.find((e: { imageExportId: string }) => e.imageExportId === secondId);
    assert.deepEqual({ ...listed, progress: undefined }, { imageExportId: secondId, ovfPackagePrefix: 'listed2', imageId: image('web-img')!.id, imageName: 'web-img', state: 'IN_PROGRESS', progress: undefined });
    assert.equal(all.images.find((i: { name: string }) => i.name === 'web-img').state, 'PENDING_CHANGE', 'exporting');

    const j = await ovfkit(['images', 'cloudcontrol', ...api(), '--datacenter', 'EU6', '--format', 'json']);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.deepEqual(out.images.map((i: { name: string }) => i.name), ['web-eu']);
    assert.equal(out.images[0].state, 'FAILED_ADD');
    assert.deepEqual(out.exportsInProgress, [], 'the exports are of NA9 images');
  });
});

describe('ovfkit export cloudcontrol', () => {
  test('exports by name, downloads from the FTPS staging area and verifies: byte-identical files', async () => {
    const to = await tempDir();
    const r = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img', '--prefix', 'webexp', '--poll', '0.02', '--to', to, '--ftps-port', String(sim.ftps.port)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^webexp\.ovf +/m);
    assert.match(r.stdout, /^downloaded webexp-disk1\.vmdk/m);
    assert.match(r.stdout, /verified: 2 of 2 files match webexp\.mf/);
    assert.deepEqual((await readdir(to)).sort(), ['webexp-disk1.vmdk', 'webexp.mf', 'webexp.ovf']);
    for (const f of await readdir(to)) assert.ok((await readFile(path.join(to, f))).equals(await readFile(path.join(sim.stagingDir, f))), `${f} identical`);
    assert.ok((await readFile(path.join(to, 'webexp-disk1.vmdk'))).equals(await readFile(pkg.diskPaths[0])), 'the disk is the one imported');
  });

  test('without --to lists the exported files; an unknown image exits 1; an ambiguous name exits 2 with the ids', async () => {
    const r = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', image('web-json')!.id, '--prefix', 'byid', '--poll', '0.02', '--ftps-port', String(sim.ftps.port)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^byid\.ovf +.*\nbyid\.mf +.*\nbyid-disk1\.vmdk +64 KiB$/m);

    const unknown = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'no-such', '--prefix', 'x']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--image no-such: no client image has this id or name/);

    for (const dc of ['NA9', 'EU6']) assert.equal((await ovfkit(['import', 'cloudcontrol', ...api(), '--datacenter', dc, '--name', 'twin', '--no-wait', 'web.mf'])).code, 0);
    const twins = sim.images.filter((i) => i.name === 'twin').map((i) => i.id);
    const amb = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'twin', '--prefix', 'x']);
    assert.equal(amb.code, 2);
    assert.match(amb.stderr, /2 images have this name/);
    for (const id of twins) assert.ok(amb.stderr.includes(id));

    const busy = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-later', '--prefix', 'x']);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /RESOURCE_BUSY: Image .* is PENDING_ADD\./);
    assert.equal((await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img'])).code, 2);
  });
});

describe('ovfkit export cloudcontrol --format json', () => {
  test('one object on stdout: the image, the export, the staged files and, with --to, what arrived and the manifest check', async () => {
    const to = await tempDir();
    const web = image('web-img')!;
    const r = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img', '--prefix', 'jsonexp', '--poll', '0.02', '--to', to, '--ftps-port', String(sim.ftps.port), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `stdout holds more than the object: ${r.stdout}`);
    const out = JSON.parse(lines[0]);
    assert.deepEqual(out.image, { id: web.id, name: 'web-img', datacenterId: web.datacenterId });
    assert.equal(out.prefix, 'jsonexp');
    assert.match(out.exportId, /\S/);
    assert.equal(out.stagingHost, '127.0.0.1');
    assert.deepEqual(out.files.map((f: { name: string }) => f.name).sort(), ['jsonexp-disk1.vmdk', 'jsonexp.mf', 'jsonexp.ovf']);
    assert.equal(out.download.dir, to);
    assert.deepEqual(out.download.files.map((f: { name: string }) => f.name).sort(), ['jsonexp-disk1.vmdk', 'jsonexp.mf', 'jsonexp.ovf']);
    assert.deepEqual(out.download.verified, { ok: true, manifest: 'jsonexp.mf', matched: 2, checked: 2 });
    for (const f of out.download.files) assert.equal(f.size, (await readFile(path.join(to, f.name))).length);

    const listed = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img', '--prefix', 'jsonlist', '--poll', '0.02', '--ftps-port', String(sim.ftps.port), '--format', 'json']);
    assert.equal(listed.code, 0, listed.stderr);
    const only = JSON.parse(listed.stdout);
    assert.equal(only.download, undefined);
    assert.deepEqual(only.files.map((f: { name: string }) => f.name).sort(), ['jsonlist-disk1.vmdk', 'jsonlist.mf', 'jsonlist.ovf']);

    const bad = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img', '--prefix', 'x', '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format xml: expected text or json/);
  });
});

describe('ovfkit export cloudcontrol: the staging host', () => {
  test('a staging host the API names that is neither a CloudControl host nor the API host gets no login', async () => {
    // .invalid never resolves (RFC 2606): nothing could leave the machine even if it were tried.
    sim.inject({ kind: 'ftps-host', host: 'ftps.attacker.invalid' });
    const to = await tempDir();
    const r = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img', '--prefix', 'foreign', '--poll', '0.02', '--to', to, '--ftps-port', String(sim.ftps.port)]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /the API names ftps\.attacker\.invalid as the staging host of NA9, which is neither a CloudControl staging host nor the API's host; the login is not sent there/);
    assert.match(r.stderr, /the staging host of NA9 is not known; give --ftps-host to download foreign/);
    assert.deepEqual(await readdir(to), []);
    // --ftps-host is the user's choice: it is used as given.
    const chosen = await ovfkit(['export', 'cloudcontrol', ...api(), '--image', 'web-img', '--prefix', 'chosen', '--poll', '0.02', '--ftps-host', '127.0.0.1', '--ftps-port', String(sim.ftps.port)]);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.match(chosen.stdout, /^chosen\.ovf +/m);
  });
});

describe('ovfkit upload ftps --import', () => {
  test('uploads to the staging area then imports it to NORMAL with the same login', async () => {
    const p = await makeTestPackage({ disks: [{ name: 'chain-disk1.vmdk', size: 32 * 1024 }], manifest: true, name: 'chain' });
    scratch.push(p.dir);
    const r = await ovfkit(['upload', 'ftps', '--host', '127.0.0.1', '--port', String(sim.ftps.port), '--user', sim.user, '--password-env', 'CC_PW', '--ca', sim.caFile, '--import', '--datacenter', 'NA9', '--name', 'chained', '--api-host', sim.apiHost, p.descriptorPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /uploaded chain\.ovf/);
    assert.ok((await readFile(path.join(sim.stagingDir, 'chain-disk1.vmdk'))).equals(await readFile(p.diskPaths[0])));
    const img = image('chained');
    assert.equal(img?.state, 'NORMAL');
    assert.ok(r.stdout.endsWith(`${img!.id}\n`), r.stdout);
    const sent = sim.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/image/importImage'));
    assert.ok(sent.length > 0);

    // The import's own options go with --import: a description, and a failed import cleaned up.
    const withDescription = await ovfkit(['upload', 'ftps', '--host', '127.0.0.1', '--port', String(sim.ftps.port), '--user', sim.user, '--password-env', 'CC_PW', '--ca', sim.caFile, '--import', '--datacenter', 'NA9', '--name', 'chained-described', '--description', 'built by CI', '--no-guest-customization', '--api-host', sim.apiHost, p.descriptorPath]);
    assert.equal(withDescription.code, 0, withDescription.stderr);
    assert.equal(image('chained-described')?.description, 'built by CI');
    sim.inject({ kind: 'fail-import', reason: 'Disk chain-disk1.vmdk is not a stream-optimized VMDK' });
    const failed = await ovfkit(['upload', 'ftps', '--host', '127.0.0.1', '--port', String(sim.ftps.port), '--user', sim.user, '--password-env', 'CC_PW', '--ca', sim.caFile, '--import', '--datacenter', 'NA9', '--name', 'chained-bad', '--clean-on-failure', '--api-host', sim.apiHost, p.descriptorPath]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /removed the failed image/);
    assert.equal(image('chained-bad'), undefined, 'the failed image was not cleaned up');
    const stray = await ovfkit(['upload', 'ftps', '--host', '127.0.0.1', '--user', sim.user, '--password-env', 'CC_PW', '--clean-on-failure', p.descriptorPath]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--clean-on-failure goes with --import/);

    const usage = await ovfkit(['upload', 'ftps', '--host', '127.0.0.1', '--user', sim.user, '--password-env', 'CC_PW', '--import', '--name', 'x', p.descriptorPath]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--import needs --datacenter ID/);
    const noApi = await ovfkit(['upload', 'ftps', '--host', '127.0.0.1', '--user', sim.user, '--password-env', 'CC_PW', '--import', '--datacenter', 'NA9', '--name', 'x', p.descriptorPath]);
    assert.equal(noApi.code, 2);
    assert.match(noApi.stderr, /--import needs --api-host HOST or --region/);
  });
});

describe('the built CLI', () => {
  test('Ctrl-C while waiting for an import: exit 130, the import goes on in the cloud', async () => {
    const child = spawn(process.execPath, [path.resolve('bin/ovfkit.js'), 'import', 'cloudcontrol', ...api(slowSim), '--datacenter', 'NA9', '--name', 'web-int', '--poll', '0.05', 'web.mf'], { env: { ...process.env, CC_PW: slowSim.password } });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      // One Ctrl-C: a second one (the CLI's own words arriving as more stderr) would force the exit.
      if (!interrupted && /import web-int: /.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no exit after SIGINT: ${stderr}`));
      }, 20000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    allOutput.push(stdout, stderr);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopped waiting; the import of image web-int .* continues on the server/);
    assert.equal(slowSim.images.find((i) => i.name === 'web-int')?.state, 'PENDING_ADD');
  });
});

test('no run printed a password', () => {
  for (const text of allOutput) {
    assert.ok(!text.includes(sim.password), 'simulator password in output');
    assert.ok(!text.includes(slowSim.password), 'simulator password in output');
  }
});
