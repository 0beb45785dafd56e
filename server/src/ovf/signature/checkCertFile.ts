// Checks a package's NAME.cert, when there is one, against NAME.mf: the signature over the
// manifest's bytes with the certificate's key, the certificate's dates and, given trusted CAs, its
// chain. Findings land on the .cert text. A broken signature is an error (ovftool and vCenter
// refuse the package); an expired or self-signed certificate is information (ovftool warns and
// imports; vendors' test packages are self-signed).
import * as path from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { Finding } from '../findings';
import { packageDirOf, PackagePathError, readPackageFileBytes } from '../package/openPackageFile';
import { checkSignature, parseCertFile } from './certificate';

export interface CertReport {
  file: string;
  text: string;
  findings: Finding[];
}

/** A .cert or .mf larger than this is not one: it is not read. */
const MAX_BYTES = 1024 * 1024;

/** A package file through the package opener (inside the package, a regular file, capped), or
 *  undefined when it does not exist. */
async function readSmallFile(packageDir: string, file: string): Promise<Buffer | undefined> {
  try {
    return await readPackageFileBytes(packageDir, file, MAX_BYTES, path.basename(file));
  } catch (err) {
    if (err instanceof PackagePathError && err.reason === 'missing') return undefined;
    throw err;
  }
}

export async function checkCertFile(certPath: string, manifestPath: string, manifestName: string, options: CertOptions = {}): Promise<CertReport | undefined> {
  const packageDir = await packageDirOf(manifestPath);
  let certBytes: Buffer | undefined;
  try {
    certBytes = await readSmallFile(packageDir, certPath);
  } catch (err) {
    return { file: certPath, text: '', findings: [finding('signature/malformed', 'error', (err as Error).message, 0)] };
  }
  if (certBytes === undefined) return undefined;
  return checkCertBytes(certPath, certBytes, manifestName, () => readSmallFile(packageDir, manifestPath), options);
}

export interface CertOptions {
  trusted?: X509Certificate[];
  now?: Date;
}

/** Checks a certificate's bytes (a file, or an OVA member) against the manifest `readManifest` gives
 *  (undefined: there is none). Findings are on `certFile`. */
export async function checkCertBytes(certFile: string, certBytes: Buffer, manifestName: string, readManifest: () => Promise<Buffer | undefined>, options: CertOptions = {}): Promise<CertReport> {
  const text = certBytes.toString('utf8');
  const firstLineEnd = Math.max(0, text.search(/\r?\n|$/));
  const report: CertReport = { file: certFile, text, findings: [] };
  const add = (code: string, severity: Finding['severity'], message: string, end = firstLineEnd) => report.findings.push(finding(code, severity, message, end));

  let parsed;
  try {
    parsed = parseCertFile(text);
  } catch (err) {
    add('signature/malformed', 'error', `${(err as Error).message}; the package cannot be verified`);
    return report;
  }
  if (parsed.manifestName !== manifestName) {
    add('signature/wrong-manifest', 'error', `the signature is of '${parsed.manifestName}', not of this package's manifest '${manifestName}'`);
  }
  let manifestBytes: Buffer | undefined;
  try {
    manifestBytes = await readManifest();
  } catch (err) {
    add('signature/invalid', 'error', `the manifest cannot be read: ${(err as Error).message}`);
    return report;
  }
  if (manifestBytes === undefined) {
    add('signature/invalid', 'error', `the package is signed but has no manifest ${manifestName}`);
    return report;
  }
  const check = checkSignature(parsed, manifestName, manifestBytes, options);
  const subject = check.signer.subject.replace(/\n/g, ', ');
  if (!check.signatureValid) {
    add('signature/invalid', 'error', `the ${parsed.algorithm} signature does not match ${manifestName} (changed after signing, or signed with another key); sign the package again`);
  }
  if (!check.withinValidity) {
    add('signature/expired', 'information', `the signer's certificate (${subject}) is valid from ${check.signer.validFrom} to ${check.signer.validTo}, not now`);
  }
  if (check.selfSigned) add('signature/self-signed', 'information', `the signer's certificate (${subject}) is self-signed: it proves integrity, not who signed`);
  if (check.chainTrusted === false) add('signature/untrusted', 'error', `the signer's certificate is not trusted: ${check.chainProblem}`);
  return report;
}

function finding(code: string, severity: Finding['severity'], message: string, end: number): Finding {
  return { code, severity, message, span: { start: 0, end } };
}
