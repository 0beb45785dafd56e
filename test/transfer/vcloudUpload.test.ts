// The vCloud upload workflow end to end, over HTTPS against the project's transfer-service
// simulator on 127.0.0.1 (trusted through its test CA, as a user would trust a private CA).
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startVcloudSimulator, VcloudSimulator } from '../../client/src/simulator/vcloud/simulator';
import { VcloudConnection } from '../../client/src/transfer/vcloud/connection';
import {
  VcloudAuthError,
  VcloudCancelledError,
  VcloudHttpError,
  VcloudManifestMismatchError,
  VcloudTaskError,
  VcloudTimeoutError,
  VcloudTlsError,
  VcloudUsageError,
} from '../../client/src/transfer/vcloud/errors';
import { DEFAULT_RETRY, sendFile } from '../../client/src/transfer/vcloud/fileTransfer';
import { byteSource } from '../../client/src/transfer/common/byteSource';
import { UploadProgress } from '../../client/src/transfer/vcloud/progress';
import { readTemplate } from '../../client/src/transfer/vcloud/responses';
import { uploadToVcloud, VcloudUploadOptions } from '../../client/src/transfer/vcloud/upload';
import { makeTestPackage, TestPackage } from './vcloudTestPackage';

const KiB = 1024;
const MiB = 1024 * KiB;

let sim: VcloudSimulator;
let caFile: string;
const packages: TestPackage[] = [];

before(async () => {
  sim = await startVcloudSimulator({ descriptorProcessingMs: 50, importProcessingMs: 100 });
  caFile = sim.caFile;
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

function options(p: TestPackage, extra: Partial<VcloudUploadOptions> = {}): VcloudUploadOptions {
  return {
    url: sim.url,
    org: sim.org.name,
    user: sim.user,
    password: sim.password,
    caFile,
    descriptorPath: p.descriptorPath,
    catalog: sim.catalogs[0].name,
    pollIntervalMs: 20,
    linkTimeoutSeconds: 10,
    taskTimeoutSeconds: 20,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  };
}

/** Asserts the simulator holds exactly the local package's bytes under the server's names. */
async function assertSameBytes(p: TestPackage, templateName: string): Promise<void> {
  const t = sim.template(templateName);
  assert.ok(t, `the simulator has template ${templateName}`);
  assert.deepEqual(await readFile(sim.storedFile(t, 'descriptor.ovf')), await readFile(p.descriptorPath), 'descriptor bytes unchanged');
  if (p.manifestPath) assert.deepEqual(await readFile(sim.storedFile(t, 'descriptor.mf')), await readFile(p.manifestPath), 'manifest as descriptor.mf');
  for (const d of p.diskPaths) {
    const name = d.split('/').pop()!;
    const mine: Buffer = await readFile(d);
    const theirs: Buffer = await readFile(sim.storedFile(t, name));
    assert.equal(theirs.length, mine.length, `${name} length`);
    assert.ok(mine.equals(theirs), `${name} bytes identical`);
  }
}

describe('vCloud upload against the simulator', () => {
  test('a multi-disk package with a manifest ends at status 8 with identical bytes, chunked in order', async () => {
    const p = await pkg({ name: 'multi', disks: [{ name: 'disk1.vmdk', size: 3 * MiB + 123 }, { name: 'disk2.vmdk', size: 200 * KiB }], manifest: true, vmIds: ['NewVirtualMachine1', 'NewVirtualMachine2'] });
    const events: UploadProgress[] = [];
    const result = await uploadToVcloud(options(p, { name: 'multi-disk', chunkSize: 512 * KiB, onProgress: (e) => events.push(e) }));
    assert.equal(result.status, 8);
    assert.equal(result.loginMethod, 'cloudapi');
    assert.deepEqual(result.vmNames, ['NewVirtualMac001', 'NewVirtualMac002']);
    await assertSameBytes(p, 'multi-disk');
    const t = sim.template('multi-disk')!;
    assert.equal(t.status, 8);
    assert.equal(t.manifestRequired, true, 'manifestRequired="true" sent because a manifest exists');
    assert.equal(t.task?.status, 'success');

    // disk1 went as 7 ordered ranges of at most 512 KiB.
    const ranges = sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/disk1.vmdk') && r.path.includes(t.transferId)).map((r) => r.contentRange);
    assert.equal(ranges.length, 7);
    assert.equal(ranges[0], `bytes 0-${512 * KiB - 1}/${3 * MiB + 123}`);
    assert.equal(ranges[6], `bytes ${6 * 512 * KiB}-${3 * MiB + 122}/${3 * MiB + 123}`);

    const uploading = events.filter((e) => e.phase === 'uploading');
    const inFlight = (e: UploadProgress, name: string) => e.files.some((f) => f.name === name);
    assert.ok(uploading.some((e) => inFlight(e, 'disk1.vmdk')) && uploading.some((e) => inFlight(e, 'disk2.vmdk')));
    const last = uploading[uploading.length - 1];
    assert.equal(last.bytesDone, last.bytesTotal, 'progress reaches the total');
    assert.ok(events.findIndex((e) => e.phase === 'processing') > events.lastIndexOf(last), 'the server phase is reported after the bytes are sent');
    assert.equal(events[events.length - 1].phase, 'done');
  });

  test('a legacy server (API 5.1, /api/sessions, VDC upload form) works; its catalog form is refused clearly', async () => {
    const legacy = await startVcloudSimulator({ legacy: true, descriptorProcessingMs: 20, importProcessingMs: 40 });
    try {
      const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 100 * KiB }] });
      const base = { ...options(p), url: legacy.url, org: legacy.org.name, user: legacy.user, password: legacy.password, caFile: legacy.caFile };
      const result = await uploadToVcloud({ ...base, catalog: undefined, vdc: legacy.vdcs[0].name, name: 'legacy' });
      assert.equal(result.loginMethod, 'legacy');
      assert.equal(result.apiVersion, '5.1');
      assert.equal(legacy.template('legacy')!.manifestRequired, false);
      await assert.rejects(uploadToVcloud({ ...base, name: 'legacy-2' }), (err: Error) => err instanceof VcloudUsageError && /offers no upload link.*VDC/.test(err.message));
    } finally {
      await legacy.close();
    }
  });

  test('a connection cut mid-chunk is retried from the offset the server holds', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 2 * MiB }] });
    sim.faults.push({ kind: 'cut', file: 'disk1.vmdk', atOffset: 700 * KiB + 17 });
    const notices: string[] = [];
    const result = await uploadToVcloud(options(p, { name: 'cut-retry', chunkSize: 512 * KiB, onNotice: (m) => notices.push(m) }));
    assert.equal(result.status, 8);
    await assertSameBytes(p, 'cut-retry');
    const t = sim.template('cut-retry')!;
    const ranges = sim.requests.filter((r) => r.method === 'PUT' && r.path.includes(t.transferId) && r.path.endsWith('disk1.vmdk')).map((r) => r.contentRange);
    assert.ok(ranges.some((r) => r?.startsWith(`bytes ${700 * KiB + 17}-`)), `resumed mid-chunk: ${ranges.join(', ')}`);
    assert.ok(notices.some((n) => /retry 1/.test(n)));
  });

  test('after a cut that exhausts the retries, a new attempt resumes the same template to identical bytes', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 2 * MiB + 5 }] });
    let templateHref = '';
    sim.faults.push({ kind: 'cut', file: 'disk1.vmdk', atOffset: MiB + 3 });
    await assert.rejects(
      uploadToVcloud(options(p, { name: 'cut-resume', chunkSize: 768 * KiB, retry: { attempts: 1 }, onTemplateCreated: (href) => void (templateHref = href) })),
      /disk1\.vmdk: sending bytes .* failed/,
    );
    const held = sim.template('cut-resume')!.files.find((f) => f.name === 'disk1.vmdk')!.received;
    assert.equal(held, MiB + 3, 'the server kept the bytes before the cut');
    const result = await uploadToVcloud(options(p, { resumeTemplateHref: templateHref, chunkSize: 768 * KiB }));
    assert.equal(result.resumed, true);
    assert.equal(result.status, 8);
    assert.equal(result.bytesSentThisAttempt, 2 * MiB + 5 - held, 'only the missing bytes were sent again');
    await assertSameBytes(p, 'cut-resume');
  });

  test('cancel keeps the upload resumable; a new attempt completes it to identical bytes', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 3 * MiB }], manifest: true });
    const controller = new AbortController();
    const first = uploadToVcloud(
      options(p, {
        name: 'cancel-resume',
        chunkSize: 256 * KiB,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.files.some((f) => f.name === 'disk1.vmdk' && f.bytesDone > MiB)) controller.abort();
        },
      }),
    );
    const err = await first.then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VcloudCancelledError, String(err));
    assert.equal(err.serverTaskCancelled, false);
    const t = sim.template('cancel-resume')!;
    assert.equal(t.task?.status, 'running', 'the server task still waits for the rest');
    const held = t.files.find((f) => f.name === 'disk1.vmdk')!.received;
    assert.ok(held > 0 && held < 3 * MiB, `partial: ${held}`);
    const result = await uploadToVcloud(options(p, { resumeTemplateHref: err.templateHref, chunkSize: 256 * KiB }));
    assert.equal(result.status, 8);
    await assertSameBytes(p, 'cancel-resume');
  });

  test('cancel for good cancels the server task, and that upload cannot be resumed', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 2 * MiB }] });
    const controller = new AbortController();
    const err = await uploadToVcloud(
      options(p, {
        name: 'cancel-for-good',
        chunkSize: 256 * KiB,
        signal: controller.signal,
        cancelServerTaskOnAbort: true,
        onProgress: (e) => {
          if ((e.files[0]?.bytesDone ?? 0) > 300 * KiB) controller.abort();
        },
      }),
    ).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VcloudCancelledError, String(err));
    assert.equal(err.serverTaskCancelled, true);
    const t = sim.template('cancel-for-good')!;
    assert.equal(t.task?.status, 'canceled');
    await assert.rejects(uploadToVcloud(options(p, { resumeTemplateHref: err.templateHref })), (e: Error) => e instanceof VcloudTaskError && /was canceled/.test(e.message));
  });

  test('a session that expires during the upload is renewed and the upload goes on', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 2 * MiB }] });
    let expired = false;
    const notices: string[] = [];
    const result = await uploadToVcloud(
      options(p, {
        name: 'expiry',
        chunkSize: 256 * KiB,
        onNotice: (m) => notices.push(m),
        onProgress: (e) => {
          if (!expired && (e.files[0]?.bytesDone ?? 0) > MiB) {
            expired = true;
            sim.expireSessions();
          }
        },
      }),
    );
    assert.equal(result.status, 8);
    assert.ok(notices.some((n) => /session expired \(401\); logging in again/.test(n)), notices.join('\n'));
    await assertSameBytes(p, 'expiry');
  });

  test('transient 503 answers are retried with backoff', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 300 * KiB }] });
    sim.faults.push({ kind: 'status', file: 'disk1.vmdk', status: 503, count: 2 });
    const notices: string[] = [];
    const result = await uploadToVcloud(options(p, { name: 'busy', onNotice: (m) => notices.push(m) }));
    assert.equal(result.status, 8);
    assert.equal(notices.filter((n) => /503/.test(n)).length, 2);
    await assertSameBytes(p, 'busy');
  });

  test('a 416 (out-of-order range) is recovered by re-reading the server offset', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * MiB }] });
    let templateHref = '';
    sim.faults.push({ kind: 'cut', file: 'disk1.vmdk', atOffset: 400 * KiB });
    await assert.rejects(uploadToVcloud(options(p, { name: 'range', chunkSize: MiB, retry: { attempts: 1 }, onTemplateCreated: (h) => void (templateHref = h) })));
    // Send from 0 although the server holds 400 KiB: the server answers 416, the client asks and continues.
    const connection = await VcloudConnection.login({ url: sim.url, org: sim.org.name, user: sim.user, password: sim.password, caFile });
    try {
      const t = readTemplate(await connection.get(templateHref));
      const file = t.files.find((f) => f.name === 'disk1.vmdk')!;
      const positions: number[] = [];
      await sendFile({
        connection,
        source: byteSource('disk1.vmdk', [{ path: p.diskPaths[0], packageDir: path.dirname(p.diskPaths[0]), offset: 0, length: MiB }]),
        serverName: 'disk1.vmdk',
        size: MiB,
        uploadHref: file.uploadHref!,
        startOffset: 0,
        chunkSize: 256 * KiB,
        retry: DEFAULT_RETRY,
        readServerOffset: async () => readTemplate(await connection.get(templateHref)).files.find((f) => f.name === 'disk1.vmdk')!.bytesTransferred,
        onPosition: (n) => positions.push(n),
      });
      assert.ok(positions.includes(400 * KiB), 'continued from the server offset');
    } finally {
      await connection.logout();
    }
    const statuses = sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('disk1.vmdk')).map((r) => r.status);
    assert.ok(statuses.includes(416));
    const t = sim.template('range')!;
    assert.equal(t.files.find((f) => f.name === 'disk1.vmdk')!.received, MiB);
    assert.ok((await readFile(sim.storedFile(t, 'disk1.vmdk'))).equals(await readFile(p.diskPaths[0])));
  });
});

describe('vCloud upload errors: each ends with one clear error', () => {
  test('an OVF 2.x descriptor is refused by the server: status -1 and the task error message', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 10 * KiB }], defect: 'ovf2' });
    await assert.rejects(uploadToVcloud(options(p, { name: 'ovf2' })), (err: Error) => err instanceof VcloudTaskError && /OVF 2/.test(err.message) && /failed/.test(err.message));
    assert.equal(sim.template('ovf2')!.status, -1);
  });

  test('a compressed package is refused by the server', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 10 * KiB }], defect: 'compressed' });
    await assert.rejects(uploadToVcloud(options(p, { name: 'gz' })), (err: Error) => err instanceof VcloudTaskError && /compress/i.test(err.message));
  });

  test('a disk that does not match the manifest is stopped by the client, naming the file (see vcloudManifestCheck.test.ts)', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 10 * KiB }], manifest: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(p.diskPaths[0], Buffer.alloc(10 * KiB, 7)); // same size, other bytes
    await assert.rejects(uploadToVcloud(options(p, { name: 'bad-mf' })), (err: Error) => err instanceof VcloudManifestMismatchError && err.file === 'disk1.vmdk' && /disk1\.vmdk does not match the manifest/.test(err.message));
  });

  test('a wrong password is an authentication error that does not repeat the password', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * KiB }] });
    const wrong = 'not-the-Password-42';
    await assert.rejects(uploadToVcloud(options(p, { password: wrong })), (err: Error) => err instanceof VcloudAuthError && /refused the login of 'demo@/.test(err.message) && !err.message.includes(wrong));
  });

  test('an API token logs in through /oauth; a wrong one is refused without being repeated', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 64 * KiB }] });
    const result = await uploadToVcloud(options(p, { name: 'api-token', user: '', password: undefined, apiToken: sim.apiToken }));
    assert.equal(result.status, 8);
    assert.equal(result.loginMethod, 'cloudapi');
    const wrong = 'not-the-api-token-0123456789';
    await assert.rejects(
      uploadToVcloud(options(p, { user: '', password: undefined, apiToken: wrong })),
      (err: Error) => err instanceof VcloudAuthError && /refused the API token of organisation 'ovfkit-demo' \(400\): invalid_grant/.test(err.message) && !err.message.includes(wrong),
    );
  });

  test('a link wait that times out names what it waited for', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * KiB }] });
    sim.behaviour.descriptorProcessingMs = 60_000;
    try {
      await assert.rejects(uploadToVcloud(options(p, { name: 'slow', linkTimeoutSeconds: 0.5 })), (err: Error) => err instanceof VcloudTimeoutError && /upload links of disk1\.vmdk/.test(err.message) && /0\.5 s/.test(err.message));
    } finally {
      sim.behaviour.descriptorProcessingMs = 50;
    }
  });

  test('an import task that does not finish in time names what was awaited', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * KiB }] });
    sim.behaviour.importProcessingMs = 60_000;
    try {
      await assert.rejects(uploadToVcloud(options(p, { name: 'slow-import', taskTimeoutSeconds: 0.5 })), (err: Error) => err instanceof VcloudTimeoutError && /template 'slow-import' to be ready \(status 8\)/.test(err.message));
    } finally {
      sim.behaviour.importProcessingMs = 100;
    }
  });

  test("an Error answer from the API is shown with the server's message", async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * KiB }] });
    await uploadToVcloud(options(p, { name: 'twice' }));
    await assert.rejects(uploadToVcloud(options(p, { name: 'twice' })), (err: Error) => err instanceof VcloudHttpError && err.status === 400 && /answered 400: The VCD entity twice already exists\./.test(err.message));
  });

  test('an untrusted certificate is refused as such (the front ends say how to trust it)', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * KiB }] });
    await assert.rejects(uploadToVcloud(options(p, { caFile: undefined })), (err: Error) => err instanceof VcloudTlsError && err.problem === 'certificate-untrusted' && /not trusted/.test(err.message) && !/--ca|ovfkit\.vcloud/.test(err.message));
  });

  test('an unknown catalog lists the ones that exist', async () => {
    const p = await pkg({ disks: [{ name: 'disk1.vmdk', size: 1 * KiB }] });
    await assert.rejects(uploadToVcloud(options(p, { catalog: 'Nope' })), (err: Error) => err instanceof VcloudUsageError && /no catalog 'Nope'.*Templates/.test(err.message));
  });
});
