// Sends one file to its transfer URL as ordered ranged PUTs, streamed from disk. The server's
// bytesTransferred is the truth: after a broken connection or a 416 the next range starts where
// the server says it has data, so a cut in the middle of a chunk loses nothing and repeats nothing.
import { Readable } from 'node:stream';
import { ByteSource, openByteSource, OpenedSource } from '../common/byteSource';
import { ContentCheck } from '../common/manifestDigests';
import { plainRetryReason, RetryState } from '../common/retryNotice';
import { VcloudConnection } from './connection';
import { VcloudConnectionError, VcloudError, VcloudHttpError, VcloudManifestMismatchError } from './errors';
import { isTransientNetworkError } from './httpClient';
import { isAbortError, sleep } from '../common/abort';
import { backoffDelay, RetryPolicy, withRetries } from '../common/backoff';

/** 7 tries of one range in a row, 0.5 s doubling to at most 30 s. */
export const DEFAULT_RETRY: Required<RetryPolicy> = { attempts: 7, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface SendFileOptions {
  connection: VcloudConnection;
  /** Where the file's bytes are: a loose file, an OVA member's range, a chunked File's parts in order;
   *  opened once for all chunks. */
  source: ByteSource;
  serverName: string;
  size: number;
  uploadHref: string;
  /** Where the server says this file stands now. */
  startOffset: number;
  chunkSize: number;
  /** Tries of one range in a row (failures are counted per range: a success starts the count again). */
  retry: Required<RetryPolicy>;
  signal?: AbortSignal;
  /** Reads bytesTransferred of this file from the server's template. */
  readServerOffset: () => Promise<number>;
  /** The file's position: bytes the server holds plus what is in flight. */
  onPosition: (fileBytes: number) => void;
  /** Told about a failure that will be retried (for the log). */
  onRetry?: (message: string) => void;
  /** Told when a retry waits, for the progress line. */
  onRetryWait?: (retry: RetryState) => void;
  /** The file's digest in the manifest: checked as the bytes go out, and before the last range is sent. */
  check?: ContentCheck;
}

/** Answers after which the same range may succeed later. */
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

export async function sendFile(o: SendFileOptions): Promise<void> {
  if (o.source.size !== o.size) throw new VcloudError(`${o.serverName}: not sent: its bytes are ${o.source.size}, not ${o.size}`);
  const handle = await openByteSource(o.source).catch((err: Error) => {
    throw new VcloudError(`${o.serverName}: not sent: ${err.message}`);
  });
  try {
    await sendFrom(handle, o);
  } finally {
    await handle.close();
  }
}

async function sendFrom(handle: OpenedSource, o: SendFileOptions): Promise<void> {
  let offset = o.startOffset;
  let failures = 0;
  let rangeRejections = 0;
  // A zero-byte file still needs one (empty) PUT so the server records it as complete.
  let needsEmptyPut = o.size === 0 && offset === 0;
  // What the server already holds is not sent again: its digest comes from the local copy.
  await o.check?.catchUp(offset, handle);
  while (offset < o.size || needsEmptyPut) {
    const end = Math.min(offset + o.chunkSize, o.size); // exclusive
    if (end === o.size && o.check) {
      // The last range completes the file on the server: it goes only once the whole file is known to match.
      await o.check.catchUp(o.size, handle);
      const mismatch = o.check.mismatch();
      if (mismatch) throw new VcloudManifestMismatchError(`${mismatch}; the upload stopped before its last ${end - offset} bytes were sent`, o.serverName);
    }
    try {
      await putRange(handle, o, offset, end);
      offset = end;
      needsEmptyPut = false;
      failures = 0;
      rangeRejections = 0;
      continue;
    } catch (err) {
      if (isAbortError(err) || o.signal?.aborted) throw err;
      if (err instanceof VcloudHttpError && err.status === 401 && ++failures < o.retry.attempts) {
        // The session expired while the bytes were flowing: a new one, then on from the server's offset.
        o.onRetry?.(`${o.serverName}: the session expired (401); logging in again`);
        await o.connection.relogin(o.signal);
        offset = await readOffsetPatiently(o);
        o.onPosition(offset);
        continue;
      }
      if (err instanceof VcloudHttpError && err.status === 416) {
        // Out of order for the server: it holds a different amount than we thought. Ask it.
        if (++rangeRejections > 5) throw new VcloudError(`${o.serverName}: the server keeps refusing the byte range at ${offset} (416) although it reports that offset as its position`);
        offset = await o.readServerOffset();
        o.onPosition(offset);
        continue;
      }
      const transient = isTransientNetworkError(err) || (err instanceof VcloudHttpError && isTransientStatus(err.status));
      if (!transient || ++failures >= o.retry.attempts) {
        const why = err instanceof Error ? err.message : String(err);
        throw new VcloudError(`${o.serverName}: sending bytes ${offset}-${end - 1} failed${transient ? ` ${failures} times` : ''}: ${why}`);
      }
      const delay = backoffDelay(o.retry, failures);
      o.onRetry?.(`${o.serverName}: ${err instanceof Error ? err.message : String(err)}; retry ${failures}/${o.retry.attempts - 1} in ${delay} ms`);
      const reason = err instanceof VcloudHttpError ? `the server answered ${err.status}` : plainRetryReason(err instanceof VcloudConnectionError ? err.problem : undefined) ?? 'connection failed';
      o.onRetryWait?.({ reason, attempt: failures + 1, attempts: o.retry.attempts, delayMs: delay });
      await sleep(delay, o.signal);
      offset = await readOffsetPatiently(o);
      o.onPosition(offset);
    }
  }
}

/** After a network failure the status GET may fail too while the network recovers. */
function readOffsetPatiently(o: SendFileOptions): Promise<number> {
  return withRetries(() => o.readServerOffset(), { policy: o.retry, signal: o.signal, isTransient: (err) => !isAbortError(err) && isTransientNetworkError(err) });
}

async function putRange(handle: OpenedSource, o: SendFileOptions, start: number, endExclusive: number): Promise<void> {
  const length = endExclusive - start;
  const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream', 'Content-Length': length };
  if (length > 0) headers['Content-Range'] = `bytes ${start}-${endExclusive - 1}/${o.size}`;
  let body: Readable | undefined;
  if (length > 0) {
    const stream = handle.readRange(start, endExclusive - 1);
    let sent = start;
    stream.on('data', (chunk) => {
      o.check?.update(sent, chunk as Buffer);
      sent += chunk.length;
      o.onPosition(sent);
    });
    body = stream;
  }
  await o.connection.request('PUT', o.uploadHref, { body, headers, signal: o.signal });
}
