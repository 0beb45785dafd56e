// A throw-away certificate authority and a server certificate it signed, for the local test peers
// (the FTPS test server, the vCloud simulator). Clients trust the CA explicitly, exactly as a user
// would trust a private CA, so TLS verification stays on everywhere.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import forge from 'node-forge';

export interface TestPki {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export interface TestPkiFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Creates a CA and a server certificate valid for `hosts` (default 127.0.0.1 and localhost). */
export function createTestPki(options: { hosts?: string[]; commonName?: string; days?: number } = {}): TestPki {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost', '::1'];
  const days = options.days ?? 30;
  const ca = newKeyPair();
  const caCert = newCertificate(ca.publicKey, days, [{ name: 'commonName', value: 'ovfkit test CA' }]);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = newKeyPair();
  const serverCert = newCertificate(server.publicKey, days, [{ name: 'commonName', value: options.commonName ?? hosts[0] }]);
  serverCert.setIssuer(caCert.subject.attributes);
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  serverCert.sign(ca.privateKey, forge.md.sha256.create());

  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(serverCert),
    serverKeyPem: forge.pki.privateKeyToPem(server.privateKey),
  };
}

/** Writes a new test PKI into `dir` as ca.pem, server.pem and server.key. */
export async function writeTestPki(dir: string, options?: Parameters<typeof createTestPki>[0]): Promise<TestPkiFiles & TestPki> {
  const pki = createTestPki(options);
  await mkdir(dir, { recursive: true });
  const files = { caFile: path.join(dir, 'ca.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server.key') };
  await writeFile(files.caFile, pki.caCertPem);
  await writeFile(files.certFile, pki.serverCertPem);
  await writeFile(files.keyFile, pki.serverKeyPem, { mode: 0o600 });
  return { ...files, ...pki };
}

// Node's native RSA key generation is fast; forge only builds and signs the certificates.
function newKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
  };
}

function newCertificate(publicKey: forge.pki.PublicKey, days: number, subject: forge.pki.CertificateField[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  cert.setSubject(subject);
  return cert;
}
