// Server-side hash commands, used to check an upload end to end where the server offers one:
// HASH (draft-bryan-ftpext-hash, algorithm chosen with OPTS HASH) or the older XSHA256/XSHA512/XSHA1.
import { Client } from 'basic-ftp';

export type HashAlgorithm = 'sha256' | 'sha512' | 'sha1';

export interface ServerHash {
  algorithm: HashAlgorithm;
  /** How it is asked, for messages: "HASH SHA-256", "XSHA1". */
  command: string;
  /** Asks the server for the hex digest of a remote file. */
  query(client: Client, remotePath: string): Promise<string>;
}

const HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, sha512: 128, sha1: 40 };
const HASH_NAMES: Array<[HashAlgorithm, string]> = [['sha256', 'SHA-256'], ['sha512', 'SHA-512'], ['sha1', 'SHA-1']];
const X_COMMANDS: Array<[HashAlgorithm, string]> = [['sha256', 'XSHA256'], ['sha512', 'XSHA512'], ['sha1', 'XSHA1']];

/** The strongest hash command the server lists in FEAT, or undefined when it offers none. */
export function pickServerHash(features: Map<string, string>): ServerHash | undefined {
  const hashFeature = features.get('HASH');
  if (hashFeature !== undefined) {
    // e.g. "SHA-256*;SHA-1;MD5": * marks the algorithm currently selected.
    const offered = hashFeature.split(';').map((s) => s.trim().toUpperCase());
    for (const [algorithm, name] of HASH_NAMES) {
      const entry = offered.find((o) => o.replace('*', '') === name);
      if (!entry) continue;
      const selected = entry.endsWith('*');
      let optsSent = selected;
      return {
        algorithm,
        command: `HASH ${name}`,
        async query(client, remotePath) {
          if (!optsSent) {
            await client.send(`OPTS HASH ${name}`);
            optsSent = true;
          }
          return hexFrom((await client.send(`HASH ${remotePath}`)).message, algorithm);
        },
      };
    }
  }
  for (const [algorithm, command] of X_COMMANDS) {
    if (features.has(command)) {
      return {
        algorithm,
        command,
        async query(client, remotePath) {
          return hexFrom((await client.send(`${command} ${remotePath}`)).message, algorithm);
        },
      };
    }
  }
  return undefined;
}

function hexFrom(reply: string, algorithm: HashAlgorithm): string {
  const length = HEX_LENGTH[algorithm];
  const token = reply.split(/\s+/).find((t) => t.length === length && /^[0-9a-f]+$/i.test(t));
  if (!token) throw new Error(`no ${algorithm} digest in the server's reply "${reply.trim()}"`);
  return token.toLowerCase();
}
