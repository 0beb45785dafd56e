// Package signatures (NAME.cert) interoperate with openssl both ways: openssl verifies what ovfkit
// signs, ovfkit verifies what openssl signs; tampering, other keys, dates and chains are caught.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkSignature, parseCertFile, readCaCertificates, signManifest } from '../../server/src/ovf/signature/certificate';

const dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-sign-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const manifest = Buffer.from('SHA256(app.ovf)= 1f3a\nSHA256(disk1.vmdk)= 9c0e\n');

before(() => {
  writeFileSync(at('app.mf'), manifest);
  // A self-signed signer, and a CA with a leaf it issued.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.crt', '-days', '30', '-subj', '/CN=ovfkit test signer');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=ovfkit test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=ovfkit test vendor');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '30');
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key');
  openssl('req', '-x509', '-key', 'ec.key', '-out', 'ec.crt', '-days', '30', '-subj', '/CN=ovfkit EC signer');
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes256', '-pass', 'pass:s3cret', '-out', 'locked.key');
  openssl('req', '-x509', '-key', 'locked.key', '-passin', 'pass:s3cret', '-out', 'locked.crt', '-days', '30', '-subj', '/CN=ovfkit locked');
});

const read = (name: string) => readFileSync(at(name), 'utf8');

describe('ovfkit signs, openssl verifies', () => {
  for (const algorithm of ['SHA256', 'SHA512', 'SHA1'] as const) {
    test(`${algorithm}, RSA key`, () => {
      const cert = signManifest({ manifestName: 'app.mf', manifestBytes: manifest, keyPem: read('self.key'), certPem: read('self.crt'), algorithm });
      const m = /^(\w+)\(app\.mf\)= ([0-9a-f]+)\n-----BEGIN CERTIFICATE-----/.exec(cert);
      assert.ok(m, cert);
      assert.equal(m[1], algorithm);
      writeFileSync(at('sig.bin'), Buffer.from(m[2], 'hex'));
      openssl('x509', '-in', 'self.crt', '-pubkey', '-noout', '-out', 'self.pub');
      assert.match(openssl('dgst', `-${algorithm.toLowerCase()}`, '-verify', 'self.pub', '-signature', 'sig.bin', 'app.mf'), /Verified OK/);
    });
  }

  test('an EC key, and a key file that also holds the certificate (ovftool style)', () => {
    const combined = `${read('ec.key')}\n${read('ec.crt')}`;
    const cert = signManifest({ manifestName: 'app.mf', manifestBytes: manifest, keyPem: combined, algorithm: 'SHA256' });
    writeFileSync(at('sig.bin'), Buffer.from(/= ([0-9a-f]+)/.exec(cert)![1], 'hex'));
    openssl('x509', '-in', 'ec.crt', '-pubkey', '-noout', '-out', 'ec.pub');
    assert.match(openssl('dgst', '-sha256', '-verify', 'ec.pub', '-signature', 'sig.bin', 'app.mf'), /Verified OK/);
  });

  test('a passphrase-protected key: refused without the passphrase, signed with it', () => {
    const input = { manifestName: 'app.mf', manifestBytes: manifest, keyPem: read('locked.key'), certPem: read('locked.crt'), algorithm: 'SHA256' as const };
    assert.throws(() => signManifest(input), /encrypted and the passphrase is missing or wrong/);
    assert.throws(() => signManifest({ ...input, passphrase: 'wrong' }), /passphrase is missing or wrong/);
    assert.match(signManifest({ ...input, passphrase: 's3cret' }), /^SHA256\(app\.mf\)= /);
  });

  test("a certificate that is not the key's is refused", () => {
    assert.throws(() => signManifest({ manifestName: 'app.mf', manifestBytes: manifest, keyPem: read('self.key'), certPem: read('leaf.crt'), algorithm: 'SHA256' }), /does not belong to the private key/);
  });
});

describe('openssl signs, ovfkit verifies', () => {
  function opensslCert(key: string, crt: string, extra = ''): string {
    const hex = execFileSync('openssl', ['dgst', '-sha256', '-sign', key, '-hex', 'app.mf'], { cwd: dir, encoding: 'utf8' }).trim().split('= ')[1];
    return `SHA256(app.mf)= ${hex}\n${read(crt)}${extra}`;
  }

  test('a valid signature over the manifest, self-signed', () => {
    const check = checkSignature(parseCertFile(opensslCert('self.key', 'self.crt')), 'app.mf', manifest);
    assert.deepEqual([check.signatureValid, check.namesManifest, check.withinValidity, check.selfSigned], [true, true, true, true]);
  });

  test('a manifest changed after signing fails; so does a signature of another key', () => {
    const parsed = parseCertFile(opensslCert('self.key', 'self.crt'));
    assert.equal(checkSignature(parsed, 'app.mf', Buffer.concat([manifest, Buffer.from('\n')])).signatureValid, false);
    const swapped = parseCertFile(opensslCert('leaf.key', 'self.crt'));
    assert.equal(checkSignature(swapped, 'app.mf', manifest).signatureValid, false);
  });

  test('validity dates are checked', () => {
    const parsed = parseCertFile(opensslCert('self.key', 'self.crt'));
    const later = new Date(Date.now() + 60 * 24 * 3600 * 1000);
    assert.equal(checkSignature(parsed, 'app.mf', manifest, { now: later }).withinValidity, false);
  });

  test('a chain to a trusted CA, and no chain without it', () => {
    const parsed = parseCertFile(opensslCert('leaf.key', 'leaf.crt'));
    const trusted = checkSignature(parsed, 'app.mf', manifest, { trusted: readCaCertificates(read('ca.crt')) });
    assert.equal(trusted.signatureValid, true);
    assert.equal(trusted.selfSigned, false);
    assert.equal(trusted.chainTrusted, true);
    const untrusted = checkSignature(parsed, 'app.mf', manifest, { trusted: readCaCertificates(read('self.crt')) });
    assert.equal(untrusted.chainTrusted, false);
    assert.match(untrusted.chainProblem!, /no trusted CA issued/);
  });

  test('malformed .cert files get a clear error', () => {
    assert.throws(() => parseCertFile('hello\n'), /first line is not/);
    assert.throws(() => parseCertFile('SHA256(app.mf)= abcd\n'), /no PEM certificate/);
    assert.throws(() => parseCertFile('SHA256(app.mf)= abc\n' + read('self.crt')), /whole number of hex bytes/);
  });
});
