// `ovfkit upload vcloud` in-process against the simulator: exit codes, progress, resume/abandon,
// pre-flight validation, and no secret in any line it prints.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/src/cli/main';
import { startVcloudSimulator, VcloudSimulator } from '../../client/src/simulator/vcloud/simulator';
import { findRecordedUpload, newUploadRecord, recordPathBeside, writeUploadRecord } from '../../client/src/transfer/vcloud/resumeRecord';
import { uploadToVcloud, VcloudCancelledError } from '../../client/src/transfer/vcloud';
import { makeTestPackage, TestPackage } from './vcloudTestPackage';

const MiB = 1024 * 1024;
let sim: VcloudSimulator;
const packages: TestPackage[] = [];
/** Everything any CLI run printed, to search for secrets at the end. */
const allOutput: string[] = [];

before(async () => {
  sim = await startVcloudSimulator({ descriptorProcessingMs: 30, importProcessingMs: 60 });
});

after(async () => {
  await sim.close();
  for (const p of packages) await rm(p.dir, { recursive: true, force: true });
});

async function pkg(spec: Parameters<typeof makeTestPackage>[0]): Promise<TestPackage> {
  const p = await makeTestPackage(spec);
  packages.push(p);
  return p;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean, private readonly onText?: (text: string) => void) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    this.onText?.(this.text);
    cb();
  }
}

async function run(args: string[], options: { password?: string; tty?: boolean; onStderr?: (text: string, abort: () => void) => void } = {}) {
  const controller = new AbortController();
  const stdout = new Capture(false);
  const stderr = new Capture(options.tty ?? false, options.onStderr && ((t) => options.onStderr!(t, () => controller.abort())));
  const code = await main(['upload', 'vcloud', ...args], { stdout, stderr, env: { VCD_PASSWORD: options.password ?? sim.password }, signal: controller.signal });
  allOutput.push(stdout.text, stderr.text);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function baseArgs(): string[] {
  return ['--url', sim.url, '--org', sim.org.name, '--user', sim.user, '--password-env', 'VCD_PASSWORD', '--ca', sim.caFile];
}

describe('ovfkit upload vcloud', () => {
  test('uploads to status 8, exit 0, with progress on a terminal and the VM names', async () => {
    const p = await pkg({ name: 'cli-ok', disks: [{ name: 'disk1.vmdk', size: 2 * MiB }], manifest: true, vmIds: ['NewVirtualMachine1'] });
    const r = await run([...baseArgs(), '--catalog', 'Templates', '--chunk-size', '512K', '--verbose', p.descriptorPath], { tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /template 'cli-ok' is ready \(status 8\)/);
    assert.match(r.stdout, /VMs: NewVirtualMac001/);
    assert.match(r.stderr, /vCloud will name VirtualSystem 'NewVirtualMachine1' 'NewVirtualMac001'/);
    assert.match(r.stderr, /\r\x1b\[K\[3\/3\] disk1\.vmdk [\d.]+ [KM]iB \/ 2\.0 MiB \d+%/, 'a progress line with the file and the package bytes');
    assert.match(r.stderr, /server: Importing Virtual Application Template/, 'the server phase after the bytes');
    assert.match(r.stderr, /PUT https:\/\/127\.0\.0\.1:\d+\/transfer\/.*\/disk1\.vmdk -> 200/, 'verbose request lines');
    assert.equal(existsSync(recordPathBeside(p.descriptorPath)), false, 'no resume record left after success');
    assert.ok((await readFile(sim.storedFile(sim.template('cli-ok')!, 'disk1.vmdk'))).equals(await readFile(p.diskPaths[0])));
  });

  test('Ctrl-C keeps the upload resumable; --resume finishes it with identical bytes', async () => {
    const p = await pkg({ name: 'cli-resume', disks: [{ name: 'disk1.vmdk', size: 4 * MiB }] });
    const first = await run([...baseArgs(), '--catalog', 'Templates', '--chunk-size', '256K', p.descriptorPath], {
      tty: true,
      onStderr: (text, abort) => {
        if (/disk1\.vmdk [\d.]+ [KM]iB \//.test(text)) abort();
      },
    });
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /--resume to continue it, or with --abandon/);
    assert.ok(existsSync(recordPathBeside(p.descriptorPath)), 'the upload is recorded beside the descriptor');
    const held = sim.template('cli-resume')!.files.find((f) => f.name === 'disk1.vmdk')!.received;
    assert.ok(held < 4 * MiB, `interrupted before the end (${held} bytes held)`);

    const second = await run([...baseArgs(), '--resume', '--chunk-size', '256K', '--verbose', p.descriptorPath]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resuming the upload of template 'cli-resume'/);
    if (held > 0) assert.match(second.stderr, /already has \d+ of 4194304 bytes; continuing/);
    assert.ok((await readFile(sim.storedFile(sim.template('cli-resume')!, 'disk1.vmdk'))).equals(await readFile(p.diskPaths[0])));
    assert.equal(existsSync(recordPathBeside(p.descriptorPath)), false);
  });

  // The editor's command finds the record with recordPathBeside + findRecordedUpload and writes it
  // with newUploadRecord + writeUploadRecord when the server creates the template (commands/vcloudUpload.ts).
  test('an upload the CLI started is found and finished by the editor\'s record lookup', async () => {
    const p = await pkg({ name: 'cli-to-editor', disks: [{ name: 'disk1.vmdk', size: 2 * MiB }] });
    const first = await run([...baseArgs(), '--catalog', 'Templates', '--chunk-size', '256K', p.descriptorPath], {
      tty: true,
      onStderr: (text, abort) => {
        if (/disk1\.vmdk [\d.]+ [KM]iB \//.test(text)) abort();
      },
    });
    assert.equal(first.code, 130, first.stderr);
    const found = await findRecordedUpload(recordPathBeside(p.descriptorPath), { url: sim.url, org: sim.org.name, descriptorPath: p.descriptorPath });
    assert.ok(found && !found.whyNot, `the editor finds the CLI's record: ${JSON.stringify(found)}`);
    const result = await uploadToVcloud({ url: sim.url, org: sim.org.name, user: sim.user, password: sim.password, caFile: sim.caFile, descriptorPath: p.descriptorPath, resumeTemplateHref: found.record.templateHref, chunkSize: 256 * 1024 });
    assert.equal(result.resumed, true);
    assert.equal(result.status, 8);
    assert.ok((await readFile(sim.storedFile(sim.template('cli-to-editor')!, 'disk1.vmdk'))).equals(await readFile(p.diskPaths[0])));
  });

  test('an upload the editor started is resumed by the CLI with --resume', async () => {
    const p = await pkg({ name: 'editor-to-cli', disks: [{ name: 'disk1.vmdk', size: 2 * MiB }] });
    const controller = new AbortController();
    const recordFile = recordPathBeside(p.descriptorPath);
    await assert.rejects(
      uploadToVcloud({
        url: sim.url, org: sim.org.name, user: sim.user, password: sim.password, caFile: sim.caFile, descriptorPath: p.descriptorPath, catalog: 'Templates', chunkSize: 256 * 1024, signal: controller.signal,
        onTemplateCreated: async (templateHref, templateName) => writeUploadRecord(recordFile, await newUploadRecord({ url: sim.url, org: sim.org.name, user: sim.user, templateHref, templateName, descriptorPath: p.descriptorPath })),
        onProgress: (pr) => {
          if (pr.files.some((f) => f.name === 'disk1.vmdk' && f.bytesDone > 0)) controller.abort();
        },
      }),
      VcloudCancelledError,
    );
    assert.ok(existsSync(recordFile), 'the editor recorded the upload beside the descriptor');
    const second = await run([...baseArgs(), '--resume', '--chunk-size', '256K', '--verbose', p.descriptorPath]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resuming the upload of template 'editor-to-cli'/);
    assert.ok((await readFile(sim.storedFile(sim.template('editor-to-cli')!, 'disk1.vmdk'))).equals(await readFile(p.diskPaths[0])));
    assert.equal(existsSync(recordFile), false);
  });

  test('--abandon cancels a recorded upload on the server', async () => {
    const p = await pkg({ name: 'cli-abandon', disks: [{ name: 'disk1.vmdk', size: 3 * MiB }] });
    const first = await run([...baseArgs(), '--catalog', 'Templates', '--chunk-size', '256K', p.descriptorPath], {
      tty: true,
      onStderr: (text, abort) => {
        if (/disk1\.vmdk [\d.]+ [KM]iB/.test(text)) abort();
      },
    });
    assert.equal(first.code, 130);
    const r = await run([...baseArgs(), '--abandon', p.descriptorPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cancelled the upload of template 'cli-abandon' on the server/);
    assert.equal(sim.template('cli-abandon')!.task?.status, 'canceled');
    assert.equal(existsSync(recordPathBeside(p.descriptorPath)), false);
    const again = await run([...baseArgs(), '--resume', p.descriptorPath]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no interrupted upload is recorded/);
  });

  test('a descriptor vCloud refuses for certain is stopped before any upload, also with --force', async () => {
    const p = await pkg({ name: 'cli-ovf2', disks: [{ name: 'disk1.vmdk', size: 1024 }], defect: 'ovf2' });
    for (const force of [[], ['--force']]) {
      const r = await run([...baseArgs(), '--catalog', 'Templates', ...force, p.descriptorPath]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cli-ovf2\.ovf:\d+:\d+: error vcloud\/ovf-version /);
      assert.match(r.stderr, /cannot upload to vCloud; fix these first \(--force does not skip them\):\n {2}\S*cli-ovf2\.ovf:2:2: vCloud Director accepts OVF 1\.0 and 1\.1 only/);
    }
    assert.equal(sim.template('cli-ovf2'), undefined, 'nothing was created on the server');
  });

  test('a wrong password ends with one clear line and exit 1', async () => {
    const p = await pkg({ name: 'cli-badpw', disks: [{ name: 'disk1.vmdk', size: 1024 }] });
    const wrong = 'wrong-Secret-123';
    const r = await run([...baseArgs(), '--catalog', 'Templates', p.descriptorPath], { password: wrong });
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^ovfkit upload vcloud: https:\/\/127\.0\.0\.1:\d+ refused the login of 'demo@ovfkit-demo' \(401\).* — check --org, --user and the password in the --password-env variable/);
    assert.ok(!r.stderr.includes(wrong));
  });

  test('an untrusted certificate (no --ca) says how to trust it', async () => {
    const p = await pkg({ name: 'cli-tls', disks: [{ name: 'disk1.vmdk', size: 1024 }] });
    const args = baseArgs().filter((a, i, all) => a !== '--ca' && all[i - 1] !== '--ca');
    const r = await run([...args, '--catalog', 'Templates', p.descriptorPath]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not trusted .*--ca FILE/);
  });

  test('--api-token-env logs in with an API token', async () => {
    const p = await pkg({ name: 'cli-token', disks: [{ name: 'disk1.vmdk', size: 64 * 1024 }] });
    const args = ['--url', sim.url, '--org', sim.org.name, '--api-token-env', 'VCD_PASSWORD', '--ca', sim.caFile, '--catalog', 'Templates', '--verbose', p.descriptorPath];
    const r = await run(args, { password: sim.apiToken });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /POST https:\/\/127\.0\.0\.1:\d+\/oauth\/tenant\/ovfkit-demo\/token -> 200/);
  });

  test('bad usage exits 2 with the reason', async () => {
    const p = await pkg({ name: 'cli-usage', disks: [{ name: 'disk1.vmdk', size: 1024 }] });
    const noPw = await run(['--url', sim.url, '--org', 'o', '--user', 'u', '--catalog', 'c', p.descriptorPath]);
    assert.equal(noPw.code, 2);
    assert.match(noPw.stderr, /--password-env is required/);
    const unset = await run([...baseArgs().map((a) => (a === 'VCD_PASSWORD' ? 'NOT_SET_ANYWHERE' : a)), '--catalog', 'c', p.descriptorPath]);
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /environment variable NOT_SET_ANYWHERE is not set/);
    const both = await run([...baseArgs(), '--catalog', 'c', '--vdc', 'v', p.descriptorPath]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exactly one of --catalog NAME or --vdc NAME/);
    const chunk = await run([...baseArgs(), '--catalog', 'c', '--chunk-size', 'lots', p.descriptorPath]);
    assert.equal(chunk.code, 2);
  });

  test('no password or session token appears in anything the CLI printed', () => {
    const text = allOutput.join('\n');
    assert.ok(text.length > 1000, 'the runs above printed something to search');
    assert.ok(sim.issuedTokens.length >= 5, 'the runs above logged in');
    assert.ok(!text.includes(sim.password), 'password');
    assert.ok(!text.includes(sim.apiToken), 'API token');
    for (const token of sim.issuedTokens) assert.ok(!text.includes(token), 'a session token');
    assert.ok(!text.includes(Buffer.from(`${sim.user}@${sim.org.name}:${sim.password}`).toString('base64')), 'the Basic credentials');
  });
});
