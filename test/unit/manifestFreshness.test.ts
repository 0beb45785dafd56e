// Manifest freshness for the status bar: every file the manifest lists counts; only files changed
// after the manifest are hashed; a touched but identical disk is fresh, a changed byte is stale.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { checkManifestFreshness, ConfirmedStamps, confirmManifestFreshness, Freshness } from '../../server/src/ovf/manifest/manifestFreshness';
import { makePackage, TestPackage } from './manifestFixture';

const made: TestPackage[] = [];
after(() => made.forEach((p) => rmSync(p.dir, { recursive: true, force: true })));

async function freshPackage(): Promise<TestPackage> {
  const pkg = makePackage({ files: { 'disk1.vmdk': Buffer.alloc(300_000, 1), 'disk2.vmdk': Buffer.alloc(1000, 2) } });
  made.push(pkg);
  await generateManifest(pkg.descriptorPath, { algorithm: 'SHA256' });
  // The package files predate the manifest, as after a real generate.
  const past = new Date(Date.now() - 60_000);
  for (const f of [pkg.descriptorPath, pkg.path('disk1.vmdk'), pkg.path('disk2.vmdk')]) utimesSync(f, past, past);
  return pkg;
}

/** A file modified "later": after the manifest was written. */
function later(file: string): void {
  const t = new Date(Date.now() + 60_000);
  utimesSync(file, t, t);
}

async function settle(pkg: TestPackage, confirmed: ConfirmedStamps = new Map()): Promise<Freshness> {
  const check = await checkManifestFreshness(pkg.descriptorPath, confirmed);
  return check.state === 'unsure' ? confirmManifestFreshness(check, confirmed) : check;
}

describe('manifest freshness', () => {
  test('missing without a manifest; fresh when nothing changed after it, without hashing', async () => {
    const bare = makePackage({ files: { 'disk1.vmdk': 'x' } });
    made.push(bare);
    assert.equal((await checkManifestFreshness(bare.descriptorPath)).state, 'missing');
    const pkg = await freshPackage();
    assert.equal((await checkManifestFreshness(pkg.descriptorPath)).state, 'fresh');
  });

  test('a changed byte in a listed disk is stale, after a re-hash of that disk only', async () => {
    const pkg = await freshPackage();
    const disk = Buffer.alloc(300_000, 1);
    disk[123_456] = 9;
    writeFileSync(pkg.path('disk1.vmdk'), disk);
    later(pkg.path('disk1.vmdk'));
    const check = await checkManifestFreshness(pkg.descriptorPath);
    assert.equal(check.state, 'unsure');
    assert.deepEqual(check.state === 'unsure' && check.suspects.map((s) => s.job.name), ['disk1.vmdk']);
    const result = await settle(pkg);
    assert.equal(result.state, 'stale');
    assert.match(result.state === 'stale' ? result.reason : '', /'disk1\.vmdk' changed after the manifest/);
  });

  test('a touched but identical disk is fresh, and is not hashed again until it changes', async () => {
    const pkg = await freshPackage();
    later(pkg.path('disk2.vmdk'));
    const confirmed: ConfirmedStamps = new Map();
    assert.equal((await settle(pkg, confirmed)).state, 'fresh');
    assert.equal((await checkManifestFreshness(pkg.descriptorPath, confirmed)).state, 'fresh', 'remembered: no second hash');
    writeFileSync(pkg.path('disk2.vmdk'), Buffer.alloc(1001, 2)); // size changes too
    later(pkg.path('disk2.vmdk'));
    assert.equal((await checkManifestFreshness(pkg.descriptorPath, confirmed)).state, 'unsure');
    assert.equal((await settle(pkg, confirmed)).state, 'stale');
  });

  test('the descriptor counts like any file; so do a missing file and a file the manifest does not list', async () => {
    const edited = await freshPackage();
    writeFileSync(edited.descriptorPath, `${readFileSync(edited.descriptorPath, 'utf8')}<!-- edited -->\n`);
    later(edited.descriptorPath);
    assert.equal((await settle(edited)).state, 'stale');

    const missing = await freshPackage();
    rmSync(missing.path('disk2.vmdk'));
    const m = await checkManifestFreshness(missing.descriptorPath);
    assert.deepEqual(m.state === 'stale' && m.reason, "'disk2.vmdk' is missing");

    const unlisted = await freshPackage();
    writeFileSync(unlisted.manifestPath, readFileSync(unlisted.manifestPath, 'utf8').split('\n').filter((l: string) => !l.includes('disk2')).join('\n'));
    const u = await checkManifestFreshness(unlisted.descriptorPath);
    assert.deepEqual(u.state === 'stale' && u.reason, "'disk2.vmdk' has no line in the manifest");
  });

  test('a cancelled re-hash rejects with an AbortError', async () => {
    const pkg = await freshPackage();
    later(pkg.path('disk1.vmdk'));
    const check = await checkManifestFreshness(pkg.descriptorPath);
    assert.equal(check.state, 'unsure');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(confirmManifestFreshness(check as Extract<Freshness, { state: 'unsure' }>, new Map(), { signal: controller.signal }), { name: 'AbortError' });
  });
});
