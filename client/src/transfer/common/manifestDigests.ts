// Checking what is sent against the package manifest while it is sent: each file's digest grows
// with the bytes as they stream out (no extra pass); a resumed file first hashes the local prefix
// the other side already holds. Both uploaders stop before a file is committed when it differs.
import { createHash, Hash } from 'node:crypto';
import { ManifestAlgorithm, NODE_HASH_NAME, parseManifest, readPackageFileBytes } from '../../../../server/src/ovf';
import { ByteSource, RangeReader, readSourceBytes } from './byteSource';

export interface ExpectedDigest {
  algorithm: ManifestAlgorithm;
  hex: string;
}

/** vCloud's limit for a manifest (VCD tenant guide); a longer one is not a manifest we check against. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The manifest's usable entries by file name (lines with an unknown algorithm or a bad digest are skipped: lint reports them). */
export async function readManifestDigests(packageDir: string, manifestPath: string): Promise<Map<string, ExpectedDigest>> {
  // A package file like any other: a FIFO or a symlink out of the package is refused unread.
  return digestsOf((await readPackageFileBytes(packageDir, manifestPath, MAX_MANIFEST_BYTES)).toString('utf8'));
}

/** The same, from the manifest's byte source (a package file of known size, or an OVA's manifest member). */
export async function readManifestDigestsFrom(source: ByteSource): Promise<Map<string, ExpectedDigest>> {
  return digestsOf((await readSourceBytes(source, MAX_MANIFEST_BYTES)).toString('utf8'));
}

function digestsOf(text: string): Map<string, ExpectedDigest> {
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
export class StreamingDigest implements ContentCheck {
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

  /** Reads the local bytes from `position` up to `offset` from the file's opened source into the
   *  digest: the part a resumed upload does not send. */
  async catchUp(offset: number, reader: RangeReader): Promise<void> {
    if (offset <= this.hashed) return;
    for await (const chunk of reader.readRange(this.hashed, offset - 1, 1024 * 1024)) this.update(this.hashed, chunk as Buffer);
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

/** What a sender checks a file's bytes with as they go out: one digest, or one per chunked part. */
export interface ContentCheck {
  update(offset: number, chunk: Buffer): void;
  catchUp(offset: number, reader: RangeReader): Promise<void>;
  mismatch(): string | undefined;
}

/**
 * A chunked File sent as one byte sequence (vCloud) while the manifest lists each part: the bytes
 * are routed to each part's digest by their offset in the whole.
 */
export class PartedDigest implements ContentCheck {
  private readonly parts: { start: number; length: number; digest: StreamingDigest }[] = [];

  /** `parts`: each part's length in order, with its digest (parts the manifest does not list have none). */
  constructor(parts: { length: number; digest?: StreamingDigest }[]) {
    let start = 0;
    for (const p of parts) {
      if (p.digest) this.parts.push({ start, length: p.length, digest: p.digest });
      start += p.length;
    }
  }

  update(offset: number, chunk: Buffer): void {
    for (const p of this.parts) {
      const from = Math.max(offset, p.start);
      const to = Math.min(offset + chunk.length, p.start + p.length); // exclusive
      if (from < to) p.digest.update(from - p.start, chunk.subarray(from - offset, to - offset));
    }
  }

  async catchUp(offset: number, reader: RangeReader): Promise<void> {
    for (const p of this.parts) {
      if (p.start >= offset) break;
      const shifted: RangeReader = { readRange: (start, end, chunkSize) => reader.readRange(p.start + start, p.start + end, chunkSize) };
      await p.digest.catchUp(Math.min(offset - p.start, p.length), shifted);
    }
  }

  mismatch(): string | undefined {
    for (const p of this.parts) {
      const m = p.digest.mismatch();
      if (m) return m;
    }
    return undefined;
  }
}
