// The one way a transfer trusts a private CA: the user names a PEM file (`caFile` in every
// protocol's options, `--ca FILE` on the command line, `ovfkit.<protocol>.caFile` in the editor).
// Its certificates are trusted besides Node's own; verification is never turned off.
import { readFile } from 'node:fs/promises';
import { DEFAULT_CIPHERS, rootCertificates } from 'node:tls';

/** Reads the CA file, or nothing when none is named; a file that is not PEM is refused by `fail`. */
export async function readCaFile(caFile: string | undefined, fail: (message: string) => Error): Promise<string | undefined> {
  if (!caFile) return undefined;
  let pem: string;
  try {
    pem = await readFile(caFile, 'utf8');
  } catch (err) {
    throw fail(`cannot use CA file ${caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw fail(`cannot use CA file ${caFile}: no PEM certificate in it`);
  return pem;
}

/** The `ca` option of a TLS connection: undefined (Node's defaults) or Node's roots plus the extra CA. */
export function trustedCas(extraPem: string | undefined): string[] | undefined {
  return extraPem ? [...rootCertificates, extraPem] : undefined;
}

/**
 * The cipher order every transfer offers: Node's defaults with AES-128-GCM moved first, a strong
 * TLS 1.3 suite that costs both ends about a quarter less CPU than AES-256-GCM, which shows on
 * multi-gigabyte disks (servers built on OpenSSL, like vsftpd, follow the client's TLS 1.3 order).
 */
export const PREFERRED_CIPHERS = ['TLS_AES_128_GCM_SHA256', ...DEFAULT_CIPHERS.split(':').filter((c) => c !== 'TLS_AES_128_GCM_SHA256')].join(':');
