// Checking what is sent against the package manifest while it is sent: each file's digest grows
// with the bytes as they stream out (no extra pass); a resumed file first hashes the local prefix
// the other side already holds. Both uploaders stop before a file is committed when it differs.
import { createHash, Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { ManifestAlgorithm, NODE_HASH_NAME, parseManifest, readPackageFileBytes, readRange } from '../../../../server/src/ovf';

export interface ExpectedDigest {
  algorithm: ManifestAlgorithm;
  hex: string;
}

/** vCloud's limit for a manifest (VCD tenant guide); a longer one is not a manifest we check against. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The manifest's usable entries by file name (lines with an unknown algorithm or a bad digest are skipped: lint reports them). */
export async function readManifestDigests(packageDir: string, manifestPath: string): Promise<Map<string, ExpectedDigest>> {
  // A package file like any other: a FIFO or a symlink out of the package is refused unread.
  const text = (await readPackageFileBytes(packageDir, manifestPath, MAX_MANIFEST_BYTES)).toString('utf8');
  const digests = new Map<string, ExpectedDigest>();
  for (const entry of parseManifest(text).entries) {
    if (entry.algorithm && entry.digestValid) digests.set(entry.name, { algorithm: entry.algorithm, hex: entry.digest.toLowerCase() });
  }
  return digests;
}

/**
 * One file's digest, fed with its bytes in file order as they go out. Bytes sent again after a
 * retry (the other side asked for an earlier offset) were hashed already and are skipped.
 */
export class StreamingDigest {
  private readonly hash: Hash;
  private hashed = 0;
  private verdict: { mismatch: string | undefined } | undefined;

  constructor(readonly file: string, readonly expected: ExpectedDigest) {
    this.hash = createHash(NODE_HASH_NAME[expected.algorithm]);
  }

  /** How many bytes from the start of the file are in the digest. */
  get position(): number {
    return this.hashed;
  }

  /** `chunk` is the file's bytes from `offset` on; only the part past `position` is new. */
  update(offset: number, chunk: Buffer): void {
    if (this.verdict) return; // complete already: bytes sent again after a retry
    if (offset > this.hashed) throw new Error(`${this.file}: bytes ${this.hashed}-${offset - 1} were skipped by the digest (catchUp first)`);
    const skip = this.hashed - offset;
    if (skip >= chunk.length) return;
    this.hash.update(skip ? chunk.subarray(skip) : chunk);
    this.hashed += chunk.length - skip;
  }

  /** Reads the local bytes from `position` up to `offset` from the file's open handle into the
   *  digest: the part a resumed upload does not send. */
  async catchUp(offset: number, handle: FileHandle): Promise<void> {
    if (offset <= this.hashed) return;
    for await (const chunk of readRange(handle, this.hashed, offset - 1, 1024 * 1024)) this.update(this.hashed, chunk as Buffer);
    if (this.hashed !== offset) throw new Error(`${this.file}: the local file ended at byte ${this.hashed} while reading up to ${offset}`);
  }

  /** Undefined when the digest equals the manifest's; otherwise why not. Asked after the last byte; the answer is kept. */
  mismatch(): string | undefined {
    if (!this.verdict) {
      const actual = this.hash.digest('hex');
      this.verdict = { mismatch: actual === this.expected.hex ? undefined : `${this.file} does not match the manifest: its ${this.expected.algorithm} is ${actual}, the manifest says ${this.expected.hex}` };
    }
    return this.verdict.mismatch;
  }
}
