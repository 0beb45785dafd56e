// The CloudControl API client against the project's simulator on 127.0.0.1 over TLS (trusted
// through its test CA): org id, data centre paging and limits, import to NORMAL with progress, a
// failed import with the server's reason and its clean-up, export, 401, 5xx, the wait's bound,
// Accept, an oversize answer and a redirect to another host.
import assert from 'node:assert/strict';
import { copyFile, rm } from 'node:fs/promises';
import * as https from 'node:https';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CloudControlSimulator, startCloudControlSimulator } from '../../client/src/simulator/cloudcontrol/simulator';
import { apiHostForRegion, CloudControlClient, CloudControlError, CustomerImage } from '../../client/src/transfer/cloudcontrol';
import { makeTestPackage, TestPackage } from './vcloudTestPackage';

let sim: CloudControlSimulator;
let pkg: TestPackage;

async function stage(p: TestPackage): Promise<void> {
  for (const f of [p.descriptorPath, p.manifestPath!, ...p.diskPaths]) await copyFile(f, path.join(sim.stagingDir, path.basename(f)));
}

function connect(extra: Partial<Parameters<typeof CloudControlClient.connect>[0]> = {}) {
  return CloudControlClient.connect({ apiHost: sim.apiHost, user: sim.user, password: sim.password, caFile: sim.caFile, ...extra });
}

async function rejectsWith(p: Promise<unknown>, kind: string, match?: RegExp): Promise<CloudControlError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CloudControlError, String(err));
    assert.equal(err.kind, kind, err.message);
    if (match) assert.match(err.message, match);
    return err;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  sim = await startCloudControlSimulator({ pollsToFinish: 3, datacenterPageSize: 1, ftps: false });
  pkg = await makeTestPackage({ disks: [{ name: 'web-disk1.vmdk', size: 8192 }], manifest: true, name: 'web' });
  await stage(pkg);
});

after(async () => {
  await sim.close();
  await rm(pkg.dir, { recursive: true, force: true });
});

describe('CloudControl client', () => {
  test('regions map to API hosts, staging region ids too', () => {
    assert.equal(apiHostForRegion('eu'), 'api-eu.mcp-services.net');
    assert.equal(apiHostForRegion('northamerica'), 'api-na.mcp-services.net');
    assert.equal(apiHostForRegion('mars'), undefined);
  });

  test('connect resolves the org id; data centres come from every page with their limits', async () => {
    const client = await connect();
    try {
      assert.equal(client.orgId, sim.orgId);
      const dcs = await client.listDatacenters();
      assert.deepEqual(dcs.map((d) => d.id), ['NA9', 'EU6']);
      assert.equal(dcs[1].city, 'Frankfurt');
      assert.equal(dcs[1].limits.maxCpuCount, 16);
      assert.equal(dcs[0].limits.maxMemoryMb, 262144);
      assert.equal((await client.getDatacenter('EU6')).country, 'DE');
      await rejectsWith(client.getDatacenter('XX1'), 'not-found');
      assert.ok(sim.requests.filter((r) => r.path.includes('infrastructure/datacenter')).length >= 2, 'more than one page was read');
    } finally {
      client.close();
    }
  });

  test('an API version outside 2.4-2.11 and a host with a path are refused before any request', async () => {
    await rejectsWith(connect({ apiVersion: '2.3' }), 'usage', /2\.4 to 2\.11/);
    await rejectsWith(connect({ apiHost: `${sim.apiHost}/caas` }), 'usage');
  });

  test('import reaches NORMAL with progress; a second import of the same name is NAME_NOT_UNIQUE; export writes the package', async () => {
    const client = await connect();
    try {
      const staged = await client.listStagedPackages();
      assert.ok(staged.some((s) => s.name === 'web.mf'));
      const { imageId } = await client.importImage({ ovfPackage: 'web.mf', name: 'web', datacenterId: 'NA9', guestOsCustomization: true });
      const seen: CustomerImage[] = [];
      const image = await client.waitForImage(imageId, { timeoutMs: 10_000, pollMs: 5, onProgress: (i) => seen.push(i) });
      assert.equal(image.state, 'NORMAL');
      assert.ok(seen.some((i) => i.state === 'PENDING_ADD' && i.progress?.stepName && (i.progress.percentComplete ?? -1) >= 0), JSON.stringify(seen));
      const dup = await rejectsWith(client.importImage({ ovfPackage: 'web.mf', name: 'web', datacenterId: 'NA9', guestOsCustomization: true }), 'refused');
      assert.equal(dup.responseCode, 'NAME_NOT_UNIQUE');
      assert.equal(dup.status, 400);
      assert.match(dup.message, /already in use/);

      const { imageExportId } = await client.exportImage({ imageId, ovfPackagePrefix: 'webcopy' });
      assert.equal((await client.listExportsInProgress({ imageId }))[0]?.imageExportId, imageExportId);
      const done = await client.waitForExport(imageExportId, { timeoutMs: 10_000, pollMs: 5, ovfPackagePrefix: 'webcopy' });
      assert.equal(done.state, 'SUCCEEDED');
      assert.ok((await client.listStagedPackages()).some((s) => s.name === 'webcopy.mf'));
    } finally {
      client.close();
    }
  });

  test('missing fields and an unknown data centre are refused with the server words', async () => {
    const client = await connect();
    try {
      const unknown = await rejectsWith(client.importImage({ ovfPackage: 'web.mf', name: 'w2', datacenterId: 'ZZ9', guestOsCustomization: false }), 'not-found');
      assert.equal(unknown.responseCode, 'RESOURCE_NOT_FOUND');
      const missing = await rejectsWith(client.importImage({ ovfPackage: 'web.mf', name: '', datacenterId: 'NA9', guestOsCustomization: false }), 'refused');
      assert.equal(missing.responseCode, 'INVALID_INPUT_DATA');
      assert.match(missing.serverMessage ?? '', /name/);
    } finally {
      client.close();
    }
  });

  test('a failed import carries the reason and can be cleaned', async () => {
    const client = await connect();
    try {
      sim.inject({ kind: 'fail-import', reason: 'The SHA1 digest of web.ovf does not match the manifest' });
      const { imageId } = await client.importImage({ ovfPackage: 'web.mf', name: 'web-bad', datacenterId: 'EU6', guestOsCustomization: true });
      const err = await rejectsWith(client.waitForImage(imageId, { timeoutMs: 10_000, pollMs: 5 }), 'import-failed', /does not match the manifest/);
      assert.equal(err.responseCode, 'FAILED_ADD');
      await client.cleanCustomerImage(imageId);
      await rejectsWith(client.getCustomerImage(imageId), 'not-found');
    } finally {
      client.close();
    }
  });

  test('the simulator judges the staged package itself: a changed disk fails the import', async () => {
    const other = await makeTestPackage({ disks: [{ name: 'db-disk1.vmdk', size: 4096 }], manifest: true, name: 'db' });
    try {
      await stage(other);
      await copyFile(pkg.diskPaths[0], path.join(sim.stagingDir, 'db-disk1.vmdk'));
      const client = await connect();
      try {
        const { imageId } = await client.importImage({ ovfPackage: 'db.mf', name: 'db', datacenterId: 'NA9', guestOsCustomization: true });
        await rejectsWith(client.waitForImage(imageId, { timeoutMs: 10_000, pollMs: 5 }), 'import-failed', /digest of db-disk1\.vmdk does not match/);
      } finally {
        client.close();
      }
    } finally {
      await rm(other.dir, { recursive: true, force: true });
    }
  });

  test('401 is "the login was refused"; the password never appears in the message', async () => {
    const err = await rejectsWith(connect({ password: 'wrong-secret' }), 'auth', /the login was refused/);
    assert.equal(err.status, 401);
    assert.doesNotMatch(err.message, /wrong-secret/);
  });

  test('a 500 carries status and responseCode; a wait rides out a short run of 503s', async () => {
    const client = await connect();
    try {
      sim.inject({ kind: 'status', status: 500, count: 1 });
      const err = await rejectsWith(client.listDatacenters(), 'refused', /UNEXPECTED_ERROR/);
      assert.equal(err.status, 500);
      const imgs = await client.listCustomerImages({ name: 'web' });
      sim.inject({ kind: 'status', status: 503, count: 2 });
      assert.equal((await client.waitForImage(imgs[0].id, { timeoutMs: 10_000, pollMs: 5 })).state, 'NORMAL');
    } finally {
      client.close();
    }
  });

  test('a wait is bounded by its timeout, and cancel stops it', async () => {
    const client = await connect();
    try {
      const { imageId } = await client.importImage({ ovfPackage: 'web.mf', name: 'web-slow', datacenterId: 'EU6', guestOsCustomization: true });
      sim.inject({ kind: 'slow', ms: 300 });
      const started = Date.now();
      await rejectsWith(client.waitForImage(imageId, { timeoutMs: 400, pollMs: 5 }), 'timeout');
      assert.ok(Date.now() - started < 2000);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      await rejectsWith(client.waitForImage(imageId, { timeoutMs: 10_000, pollMs: 5, signal: ac.signal }), 'cancelled');
    } finally {
      sim.clearFaults();
      client.close();
    }
  });

  test('an oversize answer is cut at the cap; a redirect is not followed', async () => {
    const client = await connect({ maxAnswerBytes: 64 * 1024 });
    try {
      sim.inject({ kind: 'oversize', bytes: 200 * 1024 });
      await rejectsWith(client.listDatacenters(), 'protocol', /larger than 64 KiB/);
      const before = sim.requests.length;
      sim.inject({ kind: 'redirect', location: 'https://elsewhere.example/caas/2.10/user/myUser' });
      await rejectsWith(client.listCustomerImages(), 'protocol', /does not follow redirects/);
      assert.equal(sim.requests.length, before + 1, 'no request after the redirect');
    } finally {
      client.close();
    }
  });

  test('the API refuses an Accept other than JSON (406)', async () => {
    const ca = (await import('node:fs/promises')).readFile(sim.caFile, 'utf8');
    const status = await new Promise<number>(async (resolve, reject) => {
      const req = https.request(`https://${sim.apiHost}/caas/2.10/user/myUser`, { ca: await ca, headers: { Accept: 'application/xml', Authorization: `Basic ${Buffer.from(`${sim.user}:${sim.password}`).toString('base64')}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 406);
  });

  test('TLS stays verified: without the CA the certificate is not trusted', async () => {
    await rejectsWith(connect({ caFile: undefined }), 'tls', /not trusted/);
  });
});
