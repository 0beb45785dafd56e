import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CHUNK_SIZE } from '../../server/src/ovf/manifest/digestFile';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { HashProgress } from '../../server/src/ovf/manifest/hashFiles';
import { parseManifest } from '../../server/src/ovf/manifest/parseManifest';
import { coreutilsDigest, makePackage, TestPackage } from './manifestFixture';

const made: TestPackage[] = [];
function pkg(...args: Parameters<typeof makePackage>): TestPackage {
  const p = makePackage(...args);
  made.push(p);
  return p;
}
after(() => made.forEach((p) => rmSync(p.dir, { recursive: true, force: true })));

const OLD_MANIFEST = 'SHA1(pkg.ovf)= 0000000000000000000000000000000000000000\n';

describe('generateManifest', () => {
  test('writes <base>.mf: descriptor first, then every referenced file, strict form, LF, digests as coreutils computes them', async () => {
    const p = pkg({
      files: {
        'pkg-disk1.vmdk': randomBytes(3 * CHUNK_SIZE + 777), // several chunks: streamed
        'pkg-disk2.vmdk': randomBytes(4096),
        'sub dir.iso': 'iso image',
      },
    });
    // A manifest and certificate already beside it are not listed in the new manifest.
    writeFileSync(p.manifestPath, OLD_MANIFEST);
    writeFileSync(p.path('pkg.cert'), 'certificate');
    const progress: HashProgress[] = [];
    const result = await generateManifest(p.descriptorPath, { onProgress: (e) => progress.push(e) });

    assert.equal(result.manifestPath, p.manifestPath);
    assert.equal(result.algorithm, 'SHA1');
    const text = readFileSync(p.manifestPath, 'utf8');
    assert.equal(text, result.text);
    const expected = ['pkg.ovf', 'pkg-disk1.vmdk', 'pkg-disk2.vmdk', 'sub dir.iso']
      .map((n) => `SHA1(${n})= ${coreutilsDigest(p.path(n), 'SHA1')}\n`)
      .join('');
    assert.equal(text, expected);
    assert.ok(!text.includes('\r'));
    assert.deepEqual(parseManifest(text).findings, []);
    assert.ok(progress.filter((e) => e.bytesDone > 0).length >= 4, 'progress reported per chunk');
    assert.equal(progress.at(-1)!.bytesDone, progress.at(-1)!.bytesTotal);
    assert.deepEqual(readdirSync(p.dir).filter((n) => n.endsWith('.tmp')), []);
  });

  test('default algorithm: SHA1 for OVF 1.x, SHA256 for OVF 2.x, SHA1 when targeting vCloud; an explicit choice wins', async () => {
    const files = { 'd.vmdk': 'disk' };
    const ovf1 = pkg({ files });
    const ovf2 = pkg({ files, namespace: 'ovf2' });
    const ovf2vcloud = pkg({ files, namespace: 'ovf2', prolog: '<!-- ovfkit: targets=vcloud -->\n' });
    assert.equal((await generateManifest(ovf1.descriptorPath)).algorithm, 'SHA1');
    const r2 = await generateManifest(ovf2.descriptorPath);
    assert.equal(r2.algorithm, 'SHA256');
    assert.match(readFileSync(ovf2.manifestPath, 'utf8'), new RegExp(`^SHA256\\(d\\.vmdk\\)= ${coreutilsDigest(ovf2.path('d.vmdk'), 'SHA256')}$`, 'm'));
    assert.equal((await generateManifest(ovf2vcloud.descriptorPath)).algorithm, 'SHA1');
    assert.equal((await generateManifest(ovf2.descriptorPath, { targets: ['vcloud'] })).algorithm, 'SHA1');
    const r512 = await generateManifest(ovf1.descriptorPath, { algorithm: 'SHA512' });
    assert.equal(r512.entries[1].digest, coreutilsDigest(ovf1.path('d.vmdk'), 'SHA512'));
    assert.match(readFileSync(ovf1.manifestPath, 'utf8'), /^SHA512\(pkg\.ovf\)= [0-9a-f]{128}\n/);
  });

  test('a cancelled run leaves the previous manifest untouched and no temporary file', async () => {
    const p = pkg({ files: { 'big.vmdk': randomBytes(24 * CHUNK_SIZE) } });
    writeFileSync(p.manifestPath, OLD_MANIFEST);
    const controller = new AbortController();
    let sawBytes = false;
    await assert.rejects(
      generateManifest(p.descriptorPath, {
        algorithm: 'SHA512',
        signal: controller.signal,
        onProgress: (e) => {
          if (e.bytesDone > 0 && e.bytesDone < e.bytesTotal && !sawBytes) {
            sawBytes = true;
            controller.abort();
          }
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(sawBytes, 'cancelled mid-hash');
    assert.equal(readFileSync(p.manifestPath, 'utf8'), OLD_MANIFEST);
    assert.deepEqual(readdirSync(p.dir).sort(), ['big.vmdk', 'pkg.mf', 'pkg.ovf']);
  });

  test('a referenced file that is missing: a clear error naming it, and the old manifest stays', async () => {
    const p = pkg({ files: { 'here.vmdk': 'x' }, hrefs: ['here.vmdk', 'gone-disk1.vmdk'] });
    writeFileSync(p.manifestPath, OLD_MANIFEST);
    await assert.rejects(generateManifest(p.descriptorPath), (err: Error) => {
      assert.match(err.message, /'gone-disk1\.vmdk' is missing/);
      assert.ok(err.message.includes(p.path('gone-disk1.vmdk')));
      return true;
    });
    assert.equal(readFileSync(p.manifestPath, 'utf8'), OLD_MANIFEST);
  });

  test('a referenced file that cannot be read (a folder): a clear error naming it', async () => {
    const p = pkg({ files: { 'ok.vmdk': 'x' }, hrefs: ['ok.vmdk', 'disk.vmdk'] });
    mkdirSync(p.path('disk.vmdk'));
    await assert.rejects(generateManifest(p.descriptorPath), /'disk\.vmdk' is a folder, not a regular file/);
    assert.deepEqual(readdirSync(p.dir).sort(), ['disk.vmdk', 'ok.vmdk', 'pkg.ovf']);
  });

  test('a reference outside the package folder is refused and never opened', async () => {
    const p = pkg({ files: { 'ok.vmdk': 'x' } });
    // A FIFO outside the package: opening it for reading would block, so the test would hang.
    const outside = path.join(p.dir, 'outside');
    mkdirSync(outside);
    const q = pkg({ files: {}, hrefs: [] });
    const fifo = path.join(q.dir, 'secret.vmdk');
    execFileSync('mkfifo', [fifo]);
    for (const href of [`../${path.basename(q.dir)}/secret.vmdk`, fifo, 'file:///etc/passwd']) {
      writeFileSync(p.descriptorPath, readFileSync(p.descriptorPath, 'utf8').replace(/ovf:href="[^"]*"/, `ovf:href="${href}"`));
      await assert.rejects(generateManifest(p.descriptorPath), (err: Error) => {
        assert.ok(err.message.includes(href), `${err.message} names ${href}`);
        return true;
      });
    }
    assert.deepEqual(readdirSync(p.dir).sort(), ['ok.vmdk', 'outside', 'pkg.ovf']);
  });
});
