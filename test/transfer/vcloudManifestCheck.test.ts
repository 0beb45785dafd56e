// vCloud uploads check every file against the package manifest while they send it, over HTTPS to
// the transfer-service simulator on 127.0.0.1: a file that differs is stopped before its last
// range (the server never holds it whole) and the template, which cannot be completed any more,
// is cancelled; a resumed file's digest includes the bytes the server already had; retries show
// in the progress.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startVcloudSimulator, VcloudSimulator } from '../../client/src/simulator/vcloud/simulator';
import { VcloudManifestMismatchError } from '../../client/src/transfer/vcloud/errors';
import { describeProgress, UploadProgress } from '../../client/src/transfer/vcloud/progress';
import { uploadToVcloud, VcloudUploadOptions } from '../../client/src/transfer/vcloud/upload';
import { makeTestPackage, TestPackage } from './vcloudTestPackage';

const KiB = 1024;
const MiB = 1024 * KiB;

let sim: VcloudSimulator;
const packages: TestPackage[] = [];

before(async () => {
  sim = await startVcloudSimulator({ descriptorProcessingMs: 50, importProcessingMs: 100 });
});

after(async () => {
  await sim.close();
  for (const p of packages) await rm(p.dir, { recursive: true, force: true });
});

async function pkg(spec: Parameters<typeof makeTestPackage>[0]): Promise<TestPackage> {
  const p = await makeTestPackage({ manifest: true, ...spec });
  packages.push(p);
  return p;
}

function options(p: TestPackage, extra: Partial<VcloudUploadOptions> = {}): VcloudUploadOptions {
  return {
    url: sim.url, org: sim.org.name, user: sim.user, password: sim.password, caFile: sim.caFile,
    descriptorPath: p.descriptorPath, catalog: sim.catalogs[0].name,
    pollIntervalMs: 20, linkTimeoutSeconds: 10, taskTimeoutSeconds: 20, retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  };
}

/** Changes one byte of a file in place (same size: only a digest can tell). */
async function flipByte(file: string, at: number): Promise<void> {
  const bytes = await readFile(file);
  bytes[at] ^= 0xff;
  await writeFile(file, bytes);
}

describe('vCloud upload checked against the manifest', () => {
  test('a disk that differs is stopped before its last range; the template is cancelled on the server', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 2 * MiB + 100 }] });
    await flipByte(p.diskPaths[0], 2 * MiB + 50); // in the last range
    const err = await uploadToVcloud(options(p, { name: 'mf-last-range', chunkSize: 512 * KiB })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VcloudManifestMismatchError, String(err));
    assert.equal(err.file, 'disk1.vmdk');
    assert.match(err.message, /disk1\.vmdk does not match the manifest: its SHA1 is [0-9a-f]{40}, the manifest says [0-9a-f]{40}; the upload stopped before its last 100 bytes were sent/);
    assert.match(err.message, /cancelled on the server/);
    const t = sim.template('mf-last-range')!;
    assert.equal(t.files.find((f) => f.name === 'disk1.vmdk')!.received, 2 * MiB, 'every range but the last was sent');
    const ranges = sim.requests.filter((r) => r.method === 'PUT' && r.path.includes(t.transferId) && r.path.endsWith('disk1.vmdk')).map((r) => r.contentRange);
    assert.ok(!ranges.some((r) => r?.startsWith(`bytes ${2 * MiB}-`)), `the last range went out: ${ranges.join(', ')}`);
    assert.equal(t.task?.status, 'canceled');
  });

  test('a descriptor edited after the manifest was made is not sent', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 10 * KiB }] });
    await writeFile(p.descriptorPath, (await readFile(p.descriptorPath, 'utf8')).replace('<Info>A virtual machine</Info>', '<Info>A virtual machine.</Info>'));
    const descriptorPuts = () => sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('descriptor.ovf')).length;
    const before = descriptorPuts();
    const err = await uploadToVcloud(options(p, { name: 'mf-descriptor' })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VcloudManifestMismatchError, String(err));
    assert.match(err.message, /the descriptor was not sent/);
    assert.equal(descriptorPuts(), before, 'the descriptor went out');
    assert.equal(sim.template('mf-descriptor'), undefined, 'the empty template should be removed from the server');
  });

  test('a resumed upload hashes the prefix the server already holds: a change there is caught', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 2 * MiB }] });
    let templateHref = '';
    sim.faults.push({ kind: 'cut', file: 'disk1.vmdk', atOffset: MiB + 3 });
    await assert.rejects(uploadToVcloud(options(p, { name: 'mf-resume', chunkSize: 768 * KiB, retry: { attempts: 1 }, onTemplateCreated: (h) => void (templateHref = h) })));
    // The server's first MiB came from the original file; the local one now differs there, the manifest does not know.
    const original = await readFile(p.diskPaths[0]);
    await flipByte(p.diskPaths[0], 10);
    const err = await uploadToVcloud(options(p, { resumeTemplateHref: templateHref, chunkSize: 768 * KiB })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VcloudManifestMismatchError, String(err));
    assert.equal(sim.template('mf-resume')!.files.find((f) => f.name === 'disk1.vmdk')!.received < 2 * MiB, true);
    // And with the original bytes back, a resume of a fresh upload completes: the prefix digest is right.
    await writeFile(p.diskPaths[0], original);
    sim.faults.push({ kind: 'cut', file: 'disk1.vmdk', atOffset: MiB + 3 });
    await assert.rejects(uploadToVcloud(options(p, { name: 'mf-resume-ok', chunkSize: 768 * KiB, retry: { attempts: 1 }, onTemplateCreated: (h) => void (templateHref = h) })));
    const result = await uploadToVcloud(options(p, { resumeTemplateHref: templateHref, chunkSize: 768 * KiB }));
    assert.equal(result.status, 8);
    assert.equal(result.bytesSentThisAttempt, 2 * MiB - (MiB + 3));
  });

  test('a retried range shows in the progress: "retrying in … (attempt 2 of 7): the server answered 503"', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 300 * KiB }] });
    sim.faults.push({ kind: 'status', file: 'disk1.vmdk', status: 503, count: 1 });
    const events: UploadProgress[] = [];
    const result = await uploadToVcloud(options(p, { name: 'mf-retry', onProgress: (e) => events.push(e) }));
    assert.equal(result.status, 8);
    const retry = events.find((e) => e.retry);
    assert.ok(retry, 'no progress event announced the retry');
    assert.equal(describeProgress(retry), '[3/3] disk1.vmdk: retrying in 0.1 s (attempt 2 of 7): the server answered 503');
    assert.ok(!events.at(-1)!.retry);
  });
});
