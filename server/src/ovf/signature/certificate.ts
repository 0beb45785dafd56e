// A package's signature file, NAME.cert: one line `SHA256(NAME.mf)= <hex signature>` (the
// signature of the manifest file's bytes with the signer's private key, as `openssl dgst -sha256
// -sign key.pem NAME.mf` makes it), then the signer's X.509 certificate in PEM. That is the format
// of ovftool's --privateKey and of vmware/open-vmdk's ova-compose (docs/PROTOCOLS.md §1).
import { createPrivateKey, KeyObject, sign as cryptoSign, verify as cryptoVerify, X509Certificate } from 'node:crypto';

export type SignatureAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export const SIGNATURE_ALGORITHMS: SignatureAlgorithm[] = ['SHA256', 'SHA512', 'SHA1'];

export interface ParsedCertFile {
  algorithm: SignatureAlgorithm;
  /** The manifest name the signature line names. */
  manifestName: string;
  signature: Buffer;
  /** PEM certificates in the file: the signer's first, then any intermediates. */
  certificates: X509Certificate[];
}

export class CertFileError extends Error {}

const SIGNATURE_LINE = /^(SHA1|SHA256|SHA512) ?\(([^()\r\n]+)\) ?= ?([0-9a-fA-F]+)\s*$/;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

export function parseCertFile(text: string): ParsedCertFile {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const m = SIGNATURE_LINE.exec(firstLine);
  if (!m) throw new CertFileError("the first line is not 'SHA256(NAME.mf)= <hex signature>'");
  if (m[3].length % 2 !== 0) throw new CertFileError('the signature is not a whole number of hex bytes');
  const certificates: X509Certificate[] = [];
  for (const pem of text.match(PEM_CERT) ?? []) {
    try {
      certificates.push(new X509Certificate(pem));
    } catch (err) {
      throw new CertFileError(`a certificate in the file cannot be read: ${(err as Error).message}`);
    }
  }
  if (certificates.length === 0) throw new CertFileError('no PEM certificate follows the signature line');
  return { algorithm: m[1] as SignatureAlgorithm, manifestName: m[2], signature: Buffer.from(m[3], 'hex'), certificates };
}

export interface SignInput {
  manifestName: string;
  manifestBytes: Buffer;
  /** PEM private key; may also hold the certificate (ovftool's combined PEM). */
  keyPem: string;
  passphrase?: string;
  /** PEM certificate; when absent, the one in keyPem. */
  certPem?: string;
  algorithm: SignatureAlgorithm;
}

/** The text of NAME.cert. Refuses a certificate whose public key does not match the private key. */
export function signManifest(input: SignInput): string {
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(input.keyPem);
  if (encrypted && !input.passphrase) throw new CertFileError('the private key is encrypted and the passphrase is missing or wrong');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: input.keyPem, format: 'pem', passphrase: input.passphrase });
  } catch (err) {
    throw new CertFileError(encrypted ? 'the private key is encrypted and the passphrase is missing or wrong' : `the private key cannot be read: ${(err as Error).message}`);
  }
  const certPem = (input.certPem ?? input.keyPem).match(PEM_CERT)?.[0];
  if (!certPem) throw new CertFileError('no certificate: give one (PEM) besides the key');
  const cert = new X509Certificate(certPem);
  if (!cert.checkPrivateKey(key)) throw new CertFileError("the certificate does not belong to the private key (their public keys differ)");
  const signature = cryptoSign(input.algorithm.toLowerCase(), input.manifestBytes, key);
  return `${input.algorithm}(${input.manifestName})= ${signature.toString('hex')}\n${certPem.trim()}\n`;
}

export interface SignatureCheck {
  /** The signature over the manifest's bytes verifies with the certificate's key. */
  signatureValid: boolean;
  /** The line names this manifest. */
  namesManifest: boolean;
  signer: X509Certificate;
  /** Now is within the signer certificate's validity dates. */
  withinValidity: boolean;
  selfSigned: boolean;
  /** With trusted CAs given: the chain from the signer reaches one of them. */
  chainTrusted?: boolean;
  /** Why the chain is not trusted, when it is not. */
  chainProblem?: string;
}

export function checkSignature(parsed: ParsedCertFile, manifestName: string, manifestBytes: Buffer, options: { trusted?: X509Certificate[]; now?: Date } = {}): SignatureCheck {
  const signer = parsed.certificates[0];
  const signatureValid = cryptoVerify(parsed.algorithm.toLowerCase(), manifestBytes, signer.publicKey, parsed.signature);
  const now = options.now ?? new Date();
  const withinValidity = now >= new Date(signer.validFrom) && now <= new Date(signer.validTo);
  const selfSigned = signer.checkIssued(signer) && signer.verify(signer.publicKey);
  const result: SignatureCheck = { signatureValid, namesManifest: parsed.manifestName === manifestName, signer, withinValidity, selfSigned };
  if (options.trusted) Object.assign(result, chainTo(signer, parsed.certificates.slice(1), options.trusted, now));
  return result;
}

/** Walks signer → intermediates (from the .cert) → a trusted CA, checking each signature and date. */
function chainTo(signer: X509Certificate, intermediates: X509Certificate[], trusted: X509Certificate[], now: Date): { chainTrusted: boolean; chainProblem?: string } {
  let current = signer;
  for (let depth = 0; depth < 10; depth++) {
    const anchor = trusted.find((ca) => current.checkIssued(ca) && current.verify(ca.publicKey));
    if (anchor) {
      if (now < new Date(anchor.validFrom) || now > new Date(anchor.validTo)) return { chainTrusted: false, chainProblem: `the CA '${anchor.subject.replace(/\n/g, ', ')}' is outside its validity dates` };
      return { chainTrusted: true };
    }
    if (trusted.some((ca) => ca.fingerprint256 === current.fingerprint256)) return { chainTrusted: true };
    const next = intermediates.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) return { chainTrusted: false, chainProblem: `no trusted CA issued '${current.subject.replace(/\n/g, ', ')}'` };
    if (now < new Date(next.validFrom) || now > new Date(next.validTo)) return { chainTrusted: false, chainProblem: `the intermediate '${next.subject.replace(/\n/g, ', ')}' is outside its validity dates` };
    current = next;
  }
  return { chainTrusted: false, chainProblem: 'the certificate chain is longer than 10' };
}

/** All PEM certificates of a CA file. */
export function readCaCertificates(pem: string): X509Certificate[] {
  const found = pem.match(PEM_CERT) ?? [];
  if (found.length === 0) throw new CertFileError('no PEM certificate in the CA file');
  return found.map((p) => new X509Certificate(p));
}
