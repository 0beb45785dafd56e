// The editor's signature findings: a signed package's .cert checked against its manifest, on the
// descriptor's first line; a manifest changed after signing is a warning, self-signed information.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { signatureFindings } from '../../server/src/ovf/signature/packageSignature';
import { signPackage } from '../../server/src/ovf/signature/signPackage';
import { makePackage } from './manifestFixture';

const pkg = makePackage({ name: 'app.ovf', files: { 'disk.vmdk': Buffer.alloc(3000, 1) } });
after(() => rmSync(pkg.dir, { recursive: true, force: true }));

test('signature findings on the descriptor: none unsigned, self-signed information, a changed manifest a warning', async () => {
  const text = readFileSync(pkg.descriptorPath, 'utf8');
  assert.deepEqual(await signatureFindings(pkg.descriptorPath, text), []);
  await generateManifest(pkg.descriptorPath);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '5', '-subj', '/CN=editor'], { cwd: pkg.dir, stdio: 'ignore' });
  await signPackage(pkg.descriptorPath, { keyPem: readFileSync(pkg.path('k.pem'), 'utf8'), certPem: readFileSync(pkg.path('c.pem'), 'utf8'), algorithm: 'SHA256' });

  const signed = await signatureFindings(pkg.descriptorPath, text);
  assert.deepEqual(signed.map((f) => [f.code, f.severity]), [['signature/self-signed', 'information']]);
  assert.deepEqual(signed[0].span, { start: 0, end: text.indexOf('\n') });
  assert.match(signed[0].message, /^app\.cert: /);

  writeFileSync(pkg.manifestPath, readFileSync(pkg.manifestPath, 'utf8') + '\n');
  const broken = await signatureFindings(pkg.descriptorPath, text);
  assert.deepEqual(broken.map((f) => [f.code, f.severity]), [['signature/invalid', 'warning'], ['signature/self-signed', 'information']]);
});
