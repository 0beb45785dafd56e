// What a transfer reads one file's bytes from: an ordered list of segments, each a byte range of a
// local file. A loose file is one segment; an OVA member is a range of the .ova (sent straight from
// the tar, never unpacked); a chunked File (ovf:chunkSize) is its parts in order, one logical file.
// The per-file senders read only through an opened source, so every byte comes from a handle that
// openPackageFile checked (inside the package folder, a regular file, not swapped).
import { Readable } from 'node:stream';
import { FileHandle } from 'node:fs/promises';
import { openPackageFile, PlannedFile, readRange } from '../../../../server/src/ovf';

export interface ByteSegment {
  /** The local file holding the bytes (a package file, or the .ova). */
  path: string;
  /** The package folder it must lie in (opened with openPackageFile). */
  packageDir: string;
  offset: number;
  length: number;
}

export interface ByteSource {
  /** How messages name it (the name it has at the server). */
  name: string;
  size: number;
  segments: ByteSegment[];
}

/** Reads bytes [start, end] (end inclusive) of a file as a stream; what digests catch up through. */
export interface RangeReader {
  readRange(start: number, endInclusive: number, chunkSize?: number): Readable;
}

export function byteSource(name: string, segments: ByteSegment[]): ByteSource {
  return { name, size: segments.reduce((n, s) => n + s.length, 0), segments };
}

/** A planned OVA member's source (its range of the .ova); undefined for a loose file (the whole of its path). */
export function memberSource(f: PlannedFile): ByteSource | undefined {
  return f.range && byteSource(f.name, [{ path: f.path, packageDir: f.packageDir, ...f.range }]);
}

/**
 * The sources an upload sends, from the plan's files: one per file, a chunked File's parts merged
 * into one source under the File's href when `mergeChunkParts` (vCloud takes them as one file at
 * one link); `sizeOf` gives a loose file's size (an OVA member's is in its range).
 */
export async function sourcesFromPlan(files: PlannedFile[], sizeOf: (f: PlannedFile) => Promise<number>, mergeChunkParts: boolean): Promise<{ file: PlannedFile; source: ByteSource }[]> {
  const out: { file: PlannedFile; source: ByteSource }[] = [];
  for (const f of files) {
    const segment: ByteSegment = { path: f.path, packageDir: f.packageDir, offset: f.range?.offset ?? 0, length: f.range?.length ?? (await sizeOf(f)) };
    const last = out[out.length - 1];
    if (mergeChunkParts && f.partOf && last?.source.name === f.partOf) {
      last.source.segments.push(segment);
      last.source.size += segment.length;
      continue;
    }
    const name = mergeChunkParts && f.partOf ? f.partOf : f.name;
    out.push({ file: f, source: byteSource(name, [segment]) });
  }
  return out;
}

export interface OpenedSource extends RangeReader {
  readonly source: ByteSource;
  /** Undefined while every underlying file has the size and mtime it had at open; otherwise what changed. */
  changed(): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Opens every file a source reads (once each; an OVA's members share one handle) and checks each
 * segment lies inside its file. The caller closes it.
 */
export async function openByteSource(source: ByteSource): Promise<OpenedSource> {
  const handles = new Map<string, { handle: FileHandle; size: number; mtimeMs: number }>();
  try {
    for (const s of source.segments) {
      if (handles.has(s.path)) continue;
      const { handle } = await openPackageFile(s.packageDir, s.path, source.name);
      const st = await handle.stat();
      handles.set(s.path, { handle, size: st.size, mtimeMs: st.mtimeMs });
    }
    for (const s of source.segments) {
      const { size } = handles.get(s.path)!;
      if (s.offset + s.length > size) throw new Error(`'${source.name}': ${s.path} has ${size} bytes, fewer than the ${s.offset + s.length} it should hold`);
    }
  } catch (err) {
    for (const h of handles.values()) await h.handle.close();
    throw err;
  }
  return {
    source,
    readRange: (start, endInclusive, chunkSize) => readSegments(source, handles, start, Math.min(endInclusive, source.size - 1), chunkSize),
    async changed() {
      for (const [file, h] of handles) {
        const st = await h.handle.stat();
        if (st.size !== h.size || st.mtimeMs !== h.mtimeMs) return `${file} changed while it was being read`;
      }
      return undefined;
    },
    async close() {
      for (const h of handles.values()) await h.handle.close();
    },
  };
}

/** Bytes [start, end] of the source: each segment's share of the range, in order, as one stream. */
function readSegments(source: ByteSource, handles: Map<string, { handle: FileHandle }>, start: number, end: number, chunkSize?: number): Readable {
  if (source.segments.length === 1) {
    const s = source.segments[0];
    return readRange(handles.get(s.path)!.handle, s.offset + start, s.offset + end, chunkSize);
  }
  return Readable.from(
    (async function* () {
      let at = 0; // the source's offset of the segment's first byte
      for (const s of source.segments) {
        const from = Math.max(start, at);
        const to = Math.min(end, at + s.length - 1);
        if (from <= to) yield* readRange(handles.get(s.path)!.handle, s.offset + from - at, s.offset + to - at, chunkSize);
        at += s.length;
        if (at > end) return;
      }
    })(),
    { objectMode: false },
  );
}

/** A small source (descriptor, manifest) whole, refusing one over `cap` bytes. */
export async function readSourceBytes(source: ByteSource, cap: number): Promise<Buffer> {
  if (source.size > cap) throw new Error(`'${source.name}' is ${source.size} bytes, over the ${cap}-byte limit for it`);
  const opened = await openByteSource(source);
  try {
    const chunks: Buffer[] = [];
    for await (const c of opened.readRange(0, source.size - 1)) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    if (bytes.length !== source.size) throw new Error(`'${source.name}' ended after ${bytes.length} of ${source.size} bytes`);
    return bytes;
  } finally {
    await opened.close();
  }
}
