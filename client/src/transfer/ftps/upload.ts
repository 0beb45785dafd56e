// Uploads the files of a package to an FTPS staging folder: the descriptor, manifest and
// certificate first, one after the other on one session (the import checks them early), then the
// disks a few at a time, each on its own session (issue #15). Each file resumes
// from what the server already has (SIZE, then APPE from there), is verified (remote size, and the
// server's hash command where offered) and only then counts as uploaded. Transient failures
// reconnect and resume with backoff; permanent ones stop at once.
import * as path from 'node:path';
import { createHash, Hash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { FTPError, FTPResponse } from 'basic-ftp';
import { withDeadline } from '../common/limits';
import { checkPackageFile, describeCheck } from '../../../../server/src/ovf';
import { ByteSource, byteSource, openByteSource, OpenedSource } from '../common/byteSource';
import { endpointPort, FtpsEndpoint, FtpsSession } from './connection';
import { ExpectedDigest, readManifestDigests, readManifestDigestsFrom, StreamingDigest } from '../common/manifestDigests';
import { classifyFtpsFailure, FtpsCancelledError, FtpsConnectionError, FtpsError, FtpsManifestMismatchError, FtpsServerError, FtpsVerifyError, LocalFileError } from './errors';
import { fileDeadlineSeconds, RAISE_FILE_DEADLINE } from './limits';
import { FileMeter, ProgressListener, ProgressMeter } from '../common/progress';
import { RetryPolicy, withRetries } from '../common/backoff';
import { ftpsFileRetryHooks, resolveFtpsRetry } from './retry';
import { pickServerHash, ServerHash } from './serverHash';
import { DEFAULT_PARALLEL, HandBack, runInParallel, WorkerContext } from '../common/parallel';
import { FtpsSessions } from './sessions';

/** One local file to send, named as it must appear in the staging folder. */
export interface UploadItem {
  name: string;
  path: string;
  /** The package folder the file must lie in (symlinks resolved); it is opened with openPackageFile. */
  packageDir: string;
  /** Where the bytes are when not the whole of `path`: an OVA member's range of the .ova. */
  source?: ByteSource;
}

export interface FtpsUploadOptions {
  endpoint: FtpsEndpoint;
  /** Remote folder to upload into; empty or undefined: the login folder. */
  remoteDir?: string;
  /** In upload order (descriptor, manifest, then disks). */
  files: UploadItem[];
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** One line per notable step (connected, resuming, retrying, verified); never holds the password. */
  onLog?: (line: string) => void;
  retry?: RetryPolicy;
  /** Told once, when the server first accepted the login (front ends save their choices then). */
  onLoggedIn?: () => void;
  /**
   * The package manifest: every file it lists is checked against its digest while it is sent, and
   * one that differs is stopped before its last bytes go out, then removed from the server.
   */
  manifestPath?: string;
  /** Disks sent at once, each on its own session (default 3; the descriptor, manifest and .cert always go first and alone). */
  parallel?: number;
  /** The manifest's bytes when they are not the whole of manifestPath (an OVA's manifest member). */
  manifestSource?: ByteSource;
  /** Read size for local files (default READ_BYTES). */
  chunkBytes?: number;
}

export interface UploadedFile {
  name: string;
  size: number;
  /** Bytes the server already had when this run started on the file (0: sent whole). */
  resumedFrom: number;
  /** How the remote copy was checked, e.g. "size" or "size + HASH SHA-256". */
  verifiedBy: string;
}

export interface FtpsUploadResult {
  files: UploadedFile[];
}

/** Thrown when the upload stops: the typed cause, plus the files that did arrive verified. */
export class FtpsUploadError extends Error {
  constructor(readonly reason: FtpsError, readonly uploaded: UploadedFile[]) {
    super(reason.message);
    this.name = 'FtpsUploadError';
  }
}

// Descriptors and manifests are small and may change between attempts: always sent whole.
const RESUME_MIN_BYTES = 1024 * 1024;

export async function uploadToFtps(options: FtpsUploadOptions): Promise<FtpsUploadResult> {
  const { endpoint, signal } = options;
  const log = options.onLog ?? (() => undefined);
  const port = endpointPort(endpoint);
  const uploaded: UploadedFile[] = [];
  const fail = (err: unknown, doing?: string): FtpsUploadError => {
    const cause = signal?.aborted ? new FtpsCancelledError('upload cancelled; the partial file stays on the server and resumes next time') : classifyFtpsFailure(err, { host: endpoint.host, port, doing });
    return new FtpsUploadError(cause, uploaded);
  };

  // Every local file must be there before anything is sent.
  const sizes: number[] = [];
  for (const file of options.files) {
    if (file.source) {
      sizes.push(file.source.size); // its files are checked when opened, each segment against its file's size
      continue;
    }
    const check = await checkPackageFile(file.packageDir, file.path);
    if (check.status !== 'file') throw fail(new LocalFileError(`cannot send ${file.name} (${file.path}): it ${describeCheck(check)}`));
    sizes.push(check.size);
  }
  let digests = new Map<string, ExpectedDigest>();
  if (options.manifestPath) {
    try {
      // The manifest travels in the package: it is read from the descriptor's folder like the files.
      const packageDir = options.files.find((f) => f.path === options.manifestPath)?.packageDir ?? path.dirname(options.manifestPath);
      digests = options.manifestSource ? await readManifestDigestsFrom(options.manifestSource) : await readManifestDigests(packageDir, options.manifestPath);
    } catch (err) {
      throw fail(new LocalFileError(`cannot read the manifest ${options.manifestPath}: ${(err as Error).message}`));
    }
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  const meter = new ProgressMeter(total, options.files.length, options.onProgress);

  const sessions = new FtpsSessions({ endpoint, remoteDir: options.remoteDir, log, onLoggedIn: options.onLoggedIn });
  const onAbort = () => sessions.closeAll();
  signal?.addEventListener('abort', onAbort, { once: true });
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  // The descriptor, manifest and certificate go first and alone; the rest (the disks) in parallel.
  const order = options.files.map((_f, i) => i);
  const first = order.filter((i) => SENT_FIRST.test(options.files[i].name));
  const rest = order.filter((i) => !SENT_FIRST.test(options.files[i].name));
  const chunkBytes = options.chunkBytes ?? READ_BYTES;

  /** One file on one worker's session, retried (reconnecting, resuming) on transient failures. */
  const sendOne = async (i: number, ctx: Pick<WorkerContext, 'worker' | 'othersWorking'>, stop: AbortSignal | undefined): Promise<void> => {
    const file = options.files[i];
    const size = sizes[i];
    const fileMeter = meter.forFile(file.name, i + 1, size);
    const retry = resolveFtpsRetry(options.retry);
    const done = await withRetries(
      async () => {
        try {
          const s = await sessions.connectForFile(ctx, stop);
          const hash = pickServerHash(s.features);
          // Overall, so a server that reads (or acknowledges) a byte at a time cannot hold the upload forever.
          return await withDeadline(fileDeadlineSeconds(size, endpoint.limits), `uploading ${file.name} (${size} bytes)`, RAISE_FILE_DEADLINE, () => s.close(), () =>
            uploadOne(s, file, size, hash, {
              meter: fileMeter,
              chunkBytes,
              log,
              signal: stop,
              expected: digests.get(file.name),
            }),
          );
        } catch (err) {
          if (stop?.aborted) throw new FtpsCancelledError();
          if (err instanceof HandBack) throw err;
          // Failures of connecting come typed from the session; anything raw came on a logged-in session.
          const typed = classifyFtpsFailure(err, { host: endpoint.host, port, doing: `uploading ${file.name}`, afterLogin: true });
          if (typed.transient) sessions.drop(ctx.worker);
          throw typed;
        }
      },
      ftpsFileRetryHooks(retry, stop, log, fileMeter),
    );
    // Kept in the package's transfer order, whichever parallel file finished first.
    uploaded.push(done);
    uploaded.sort((a, b) => positionOf(a.name) - positionOf(b.name));
    log(`uploaded ${done.name} (${done.size} bytes${done.resumedFrom ? `, resumed at ${done.resumedFrom}` : ''}; verified by ${done.verifiedBy})`);
  };

  const positionOf = (name: string) => options.files.findIndex((f) => f.name === name);
  try {
    for (const i of first) await sendOne(i, FIRST_SESSION, signal);
    await runInParallel(rest, {
      parallel,
      signal,
      startWorker: (ctx) => sessions.startWorker(ctx, parallel, resolveFtpsRetry(options.retry)),
      stopWorker: (ctx) => sessions.drop(ctx.worker),
      run: (i, _n, ctx) => sendOne(i, ctx, ctx.signal),
    });
    return { files: uploaded };
  } catch (err) {
    throw fail(err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    sessions.closeAll();
  }
}

/**
 * Read size per file, whether one file is in flight or several. Larger reads were taken first
 * (4 MiB alone, shrinking with the files in flight, measured on a loaded machine) but on an idle
 * one 64 KiB sent a 1 GiB file to vsftpd in 3.8-4.9 s against 5.7-6.0 s with 1 or 4 MiB reads
 * (bench/ftps, 2026-12-04; 128 KiB 4.2 s, 256 KiB 5.1 s). The cause is not pinned down; buffers
 * small enough for the allocator to reuse, rather than fresh pages per read, is the likely one.
 */
const READ_BYTES = 64 * 1024;

/** The session the descriptor, manifest and certificate go on, before any other opens. */
const FIRST_SESSION = { worker: 0, othersWorking: () => false } as const;

/** The files the import reads before any disk. */
const SENT_FIRST = /\.(ovf|mf|cert)$/i;

interface FileStep {
  /** The file's progress; told where each attempt starts in the file. */
  meter: FileMeter;
  chunkBytes: number;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** The file's digest in the manifest, when it lists the file. */
  expected?: ExpectedDigest;
}

async function uploadOne(session: FtpsSession, file: UploadItem, size: number, serverHash: ServerHash | undefined, step: FileStep): Promise<UploadedFile> {
  // Every byte sent comes from this source: the package's own regular file (or the OVA), checked at open.
  const source = file.source ?? byteSource(file.name, [{ path: file.path, packageDir: file.packageDir, offset: 0, length: size }]);
  const handle = await openByteSource(source).catch((err: Error) => {
    throw new LocalFileError(`cannot send ${file.name} (${file.path}): ${err.message}`);
  });
  try {
    return await uploadFromHandle(session, file, handle, size, serverHash, step);
  } finally {
    await handle.close();
  }
}

async function uploadFromHandle(session: FtpsSession, file: UploadItem, handle: OpenedSource, size: number, serverHash: ServerHash | undefined, step: FileStep): Promise<UploadedFile> {
  const { client } = session;
  if (handle.source.size !== size || (await handle.changed())) throw new LocalFileError(`${file.name} (${file.path}) changed size since the upload started`);

  await ensureRemoteParent(session, file.name);
  const remoteSize = await remoteSizeOf(session, file.name);
  let offset = 0;
  if (size >= RESUME_MIN_BYTES && remoteSize !== undefined && remoteSize <= size) offset = remoteSize;
  step.meter.begin(offset);

  const verifiedBy = [serverHash ? `size + ${serverHash.command}` : 'size', step.expected ? `manifest ${step.expected.algorithm}` : ''].filter(Boolean).join(', ');
  const check = step.expected ? new StreamingDigest(file.name, step.expected) : undefined;
  if (offset === size && size > 0) {
    // Complete from an earlier run: check it, send nothing.
    if (check) {
      await check.catchUp(size, handle);
      await stopOnMismatch(session, file, check.mismatch());
    }
    await verifyRemote(session, file, size, serverHash, serverHash ? await hashLocal(handle, serverHash.algorithm) : undefined);
    step.meter.finish();
    step.log(`${file.name}: already complete on the server`);
    return { name: file.name, size, resumedFrom: offset, verifiedBy };
  }
  if (offset > 0) step.log(`${file.name}: resuming at byte ${offset} of ${size}`);
  if (check && size - offset <= step.chunkBytes) {
    // What is left fits in the one chunk that would be held back: check it before any STOR, so a
    // file that differs opens no data connection at all (a transfer that sends nothing is one
    // vsftpd's TLS refuses, and it then drops the session).
    await check.catchUp(size, handle);
    await stopOnMismatch(session, file, check.mismatch());
  }

  // The local digest is taken while sending; for a resumed file the part already sent is read first.
  const digest = serverHash ? createHash(serverHash.algorithm) : undefined;
  if (digest && offset > 0) await hashInto(digest, handle, 0, offset - 1);
  await check?.catchUp(offset, handle);
  const source = handle.readRange(offset, Infinity, step.chunkBytes);
  const counter = new CountingStream(step.meter, digest, check, offset);
  source.on('error', (err) => counter.destroy(new LocalFileError(`reading ${file.name} (${file.path}) failed: ${err.message}`)));
  source.pipe(counter);
  const onAbort = () => source.destroy();
  step.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (offset > 0) await client.appendFrom(counter, file.name);
    else await client.uploadFrom(counter, file.name);
  } catch (err) {
    // A server that cannot store the data (disk full, quota) closes the data connection and then
    // says why on the control connection: prefer its words to the bare socket error.
    if (!(err instanceof FTPError) && !step.signal?.aborted) {
      const late = await lateServerReply(session, LATE_REPLY_MS);
      if (late instanceof FTPError) throw late;
    }
    throw err;
  } finally {
    step.signal?.removeEventListener('abort', onAbort);
    source.destroy();
  }
  // The last bytes were held back until the digest was known: on a mismatch they were never sent.
  await stopOnMismatch(session, file, counter.mismatch);
  if (counter.bytes !== size - offset) {
    throw new LocalFileError(`${file.name} (${file.path}) changed while it was being uploaded: sent ${counter.bytes} of ${size - offset} bytes`);
  }
  if (await handle.changed()) {
    throw new LocalFileError(`${file.name} (${file.path}) changed while it was being uploaded; upload it again`);
  }
  await verifyRemote(session, file, size, serverHash, digest?.digest('hex'));
  step.meter.finish();
  return { name: file.name, size, resumedFrom: offset, verifiedBy };
}

async function verifyRemote(session: FtpsSession, file: UploadItem, size: number, serverHash: ServerHash | undefined, localHex: string | undefined): Promise<void> {
  const remote = await remoteSizeOf(session, file.name);
  if (remote === undefined || remote < size) {
    // The server acknowledged less than was sent (a cut it did not notice): resume on retry.
    throw new FtpsConnectionError(`${file.name}: the server holds ${remote ?? 0} of ${size} bytes after the transfer`);
  }
  if (remote > size) throw new FtpsVerifyError(`${file.name}: the server holds ${remote} bytes but the local file has ${size}`);
  if (!serverHash || localHex === undefined) return;
  const remoteHex = await serverHash.query(session.client, file.name);
  if (remoteHex !== localHex) {
    // Start that file over next time rather than resuming onto bad bytes.
    await session.client.remove(file.name, true);
    throw new FtpsVerifyError(`${file.name}: the server's ${serverHash.command} is ${remoteHex}, the local file's is ${localHex}; the remote copy was removed and will be sent again from the start`);
  }
}

/**
 * A file that differs from the manifest must not stay on the server: what is there is at most a
 * partial copy (its last bytes were never sent), and it is removed so nothing resumes onto it.
 */
async function stopOnMismatch(session: FtpsSession, file: UploadItem, mismatch: string | undefined): Promise<void> {
  if (!mismatch) return;
  await session.client.remove(file.name, true);
  throw new FtpsManifestMismatchError(`${mismatch}; the upload stopped before the file was complete and the partial copy was removed from the server`, file.name);
}

const LATE_REPLY_MS = 2000;

/** Waits briefly for a reply the server sends after a failed transfer; undefined when none comes. */
async function lateServerReply(session: FtpsSession, ms: number): Promise<FTPError | FTPResponse | undefined> {
  const { ftp } = session.client;
  if (ftp.closed) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const reply = ftp.handle(undefined, (res, task) => (res instanceof Error ? task.reject(res) : task.resolve(res)));
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      // Nothing came: the session is in an unknown state, so it is dropped (the caller reconnects).
      session.close();
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([reply.catch((err: unknown) => (err instanceof FTPError ? err : undefined)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIZE of a remote file, or undefined when it does not exist (550). */
async function remoteSizeOf(session: FtpsSession, name: string): Promise<number | undefined> {
  try {
    const size = await session.client.size(name);
    if (!Number.isSafeInteger(size) || size < 0) throw new FtpsServerError(`${name}: the server's SIZE is ${size}, not a number of bytes`);
    return size;
  } catch (err) {
    if (err instanceof FTPError && err.code === 550) return undefined;
    throw err;
  }
}

/** Names like "disks/a.vmdk" need their folder; MKD of an existing one fails harmlessly. */
async function ensureRemoteParent(session: FtpsSession, name: string): Promise<void> {
  const parts = name.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    await session.client.sendIgnoringError(`MKD ${parts.slice(0, i).join('/')}`);
  }
}

async function hashLocal(handle: OpenedSource, algorithm: string): Promise<string> {
  const h = createHash(algorithm);
  await hashInto(h, handle, 0);
  return h.digest('hex');
}

async function hashInto(h: Hash, handle: OpenedSource, start: number, end = Infinity): Promise<void> {
  for await (const chunk of handle.readRange(start, end)) h.update(chunk as Buffer);
}

/**
 * Passes bytes through unchanged, counting them for progress and feeding the local digests. With a
 * manifest digest to meet, the latest chunk is held back until the next one arrives, so the last
 * one goes out only once the whole file's digest is known to match; otherwise the stream ends
 * without it and `mismatch` says why.
 */
class CountingStream extends Transform {
  bytes = 0;
  mismatch: string | undefined;
  private held: Buffer | undefined;
  constructor(private readonly meter: FileMeter, private readonly digest: Hash | undefined, private readonly check: StreamingDigest | undefined, private readonly start: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.check?.update(this.start + this.bytes, chunk);
    this.bytes += chunk.length;
    this.digest?.update(chunk);
    this.meter.advance(chunk.length);
    if (!this.check) return callback(null, chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }
  override _flush(callback: TransformCallback): void {
    this.mismatch = this.check?.mismatch();
    callback(null, this.mismatch ? undefined : this.held);
  }
}
