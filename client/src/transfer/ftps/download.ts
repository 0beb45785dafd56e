// Downloads the files of a staged package into a local folder. Each file is written to
// `<name>.partial`; only when every file of the package has arrived at its remote size are they
// renamed, so a name without the suffix is always a complete file and a run that stops leaves
// only `.partial` files, which the next run resumes (REST) from their size. Nothing else in the
// folder is trusted as a download: an existing file of a package's name is replaced only when
// the caller says so (`overwrite`). Checking the result against the package's manifest is the
// caller's job (the manifest domain). Files come a few at a time, each on its own session (issue #15).
//
// The server is not trusted either: names must be single path components, a file stops the
// moment more bytes arrive than the server announced, and each file has an overall deadline.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FTPError } from 'basic-ftp';
import { ByteLimit, ReadCapError, withDeadline } from '../common/limits';
import { hasControlCharacters, printable } from '../common/sanitise';
import { endpointPort, FtpsEndpoint, FtpsSession } from './connection';
import { classifyFtpsFailure, FtpsCancelledError, FtpsConnectionError, FtpsError, FtpsServerError, LocalFileError } from './errors';
import { fileDeadlineSeconds, RAISE_FILE_DEADLINE } from './limits';
import { FileMeter, ProgressListener, ProgressMeter } from '../common/progress';
import { RetryPolicy, withRetries } from '../common/backoff';
import { ftpsFileRetryHooks, resolveFtpsRetry } from './retry';
import { DEFAULT_PARALLEL, HandBack, runInParallel, WorkerContext } from '../common/parallel';
import { FtpsSessions } from './sessions';

export interface DownloadItem {
  /** Name in the staging folder and in the local folder. */
  name: string;
  size: number;
}

export interface FtpsDownloadOptions {
  endpoint: FtpsEndpoint;
  remoteDir?: string;
  files: DownloadItem[];
  /** Local folder; created if missing. */
  toDir: string;
  /** Replace files of the same names already in `toDir` (otherwise the download refuses to start). */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  onLog?: (line: string) => void;
  retry?: RetryPolicy;
  /** Files fetched at once, each on its own session (default 3). */
  parallel?: number;
}

export interface DownloadedFile {
  name: string;
  path: string;
  size: number;
  /** Bytes already on disk from an earlier run (0: fetched whole). */
  resumedFrom: number;
}

export class FtpsDownloadError extends Error {
  constructor(readonly reason: FtpsError, readonly downloaded: DownloadedFile[]) {
    super(reason.message);
    this.name = 'FtpsDownloadError';
  }
}

/** Files of the package's names already in the target folder, which a download would replace. */
export class ExistingFilesError extends LocalFileError {
  constructor(readonly toDir: string, readonly names: string[]) {
    super(
      `refusing to replace ${names.length === 1 ? 'a file' : `${names.length} files`} already in ${toDir} (${names.map(printable).join(', ')}): ` +
        'ovfkit resumes only its own .partial files. Pass --overwrite (CLI) or confirm the replacement (VS Code), or choose an empty folder',
    );
  }
}

export const PARTIAL_SUFFIX = '.partial';

export async function downloadFromFtps(options: FtpsDownloadOptions): Promise<{ files: DownloadedFile[] }> {
  const { endpoint, signal } = options;
  const log = options.onLog ?? (() => undefined);
  const port = endpointPort(endpoint);
  const downloaded: DownloadedFile[] = [];
  const sessions = new FtpsSessions({ endpoint, remoteDir: options.remoteDir, log });
  const onAbort = () => sessions.closeAll();
  signal?.addEventListener('abort', onAbort, { once: true });
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  const meter = new ProgressMeter(options.files.reduce((n, f) => n + f.size, 0), options.files.length, options.onProgress);

  try {
    for (const file of options.files) assertSafeName(file.name);
    await mkdir(options.toDir, { recursive: true }).catch((err) => {
      throw new LocalFileError(`cannot create ${options.toDir}: ${err.message}`);
    });
    if (!options.overwrite) {
      const existing = await existingDownloadTargets(options.toDir, options.files.map((f) => f.name));
      if (existing.length) throw new ExistingFilesError(options.toDir, existing);
    }
    const arrived: DownloadedFile[] = [];
    const retry = resolveFtpsRetry(options.retry);
    /** One file on one worker's session, retried (reconnecting, resuming) on transient failures. */
    const fetchOne = async (i: number, ctx: WorkerContext, stop: AbortSignal): Promise<void> => {
      const file = options.files[i];
      const fileMeter = meter.forFile(file.name, i + 1, file.size);
      const done = await withRetries(
        async () => {
          try {
            const s = await sessions.connectForFile(ctx, stop);
            return await withDeadline(
              fileDeadlineSeconds(file.size, endpoint.limits),
              `downloading ${printable(file.name)} (${file.size} bytes)`,
              RAISE_FILE_DEADLINE,
              () => s.close(),
              () => downloadOne(s, file, options.toDir, fileMeter, log, stop),
            );
          } catch (err) {
            if (stop.aborted) throw new FtpsCancelledError();
            if (err instanceof HandBack) throw err;
            // Failures of connecting come typed from the session; anything raw came on a logged-in session.
            const typed = classifyFtpsFailure(err, { host: endpoint.host, port, doing: `downloading ${file.name}`, afterLogin: true });
            if (typed.transient) sessions.drop(ctx.worker);
            throw typed;
          }
        },
        ftpsFileRetryHooks(retry, stop, log, fileMeter),
      );
      arrived[i] = done;
      log(`received ${done.name} (${done.size} bytes${done.resumedFrom ? `, resumed at ${done.resumedFrom}` : ''})`);
    };
    await runInParallel(
      options.files.map((_f, i) => i),
      {
        parallel,
        signal,
        startWorker: (ctx) => sessions.startWorker(ctx, parallel, retry),
        stopWorker: (ctx) => sessions.drop(ctx.worker),
        run: (i, _n, ctx) => fetchOne(i, ctx, ctx.signal),
      },
    );
    // Every file is complete: only now do they take their names.
    for (const done of arrived) {
      if (!options.overwrite && (await sizeOf(done.path)) !== undefined) throw new ExistingFilesError(options.toDir, [done.name]);
      await rename(done.path + PARTIAL_SUFFIX, done.path);
      downloaded.push(done);
    }
    return { files: downloaded };
  } catch (err) {
    const reason = signal?.aborted
      ? new FtpsCancelledError('download cancelled; the .partial files stay and resume next time')
      : classifyFtpsFailure(err, { host: endpoint.host, port });
    throw new FtpsDownloadError(reason, downloaded);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    sessions.closeAll();
  }
}

/** The names (of `names`) that already exist in `toDir`: what a download there would replace. */
export async function existingDownloadTargets(toDir: string, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) if ((await sizeOf(path.join(toDir, name))) !== undefined) found.push(name);
  return found;
}

/** Fetches one file into `<name>.partial`, resuming what an earlier run left there. */
async function downloadOne(
  session: FtpsSession,
  file: DownloadItem,
  toDir: string,
  meter: FileMeter,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<DownloadedFile> {
  const finalPath = path.join(toDir, file.name);
  const partialPath = finalPath + PARTIAL_SUFFIX;
  const remoteSize = await session.client.size(file.name).catch((err) => {
    if (err instanceof FTPError && err.code === 550) throw new LocalFileError(`${printable(file.name)} is no longer in the staging folder ("${printable(err.message.trim())}")`);
    throw err;
  });
  if (!Number.isSafeInteger(remoteSize) || remoteSize < 0) throw new FtpsServerError(`${printable(file.name)}: the server's SIZE is ${remoteSize}, not a number of bytes`);
  let offset = (await sizeOf(partialPath)) ?? 0;
  if (offset > remoteSize) {
    await truncate(partialPath, 0);
    offset = 0;
  }
  meter.begin(offset);
  if (offset === remoteSize && remoteSize > 0) {
    meter.finish();
    log(`${file.name}: already received by an earlier run`);
    return { name: file.name, path: finalPath, size: remoteSize, resumedFrom: offset };
  }
  if (offset > 0) log(`${file.name}: resuming at byte ${offset} of ${remoteSize}`);
  const out = createWriteStream(partialPath, { flags: offset > 0 ? 'r+' : 'w', start: offset });
  // The server announced remoteSize: the first byte past it stops the transfer.
  const limit = new ByteLimit(remoteSize - offset, printable(file.name), () => `the server sent more than the ${remoteSize} bytes it announced`);
  const written = pipeline(limit, out);
  written.catch(() => undefined);
  // Progress from what reached the file.
  let counted = 0;
  const tick = setInterval(() => {
    meter.advance(out.bytesWritten - counted);
    counted = out.bytesWritten;
  }, 200);
  const onAbort = () => out.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await session.client.downloadTo(limit, file.name, offset);
    await written;
  } catch (err) {
    // The bytes of a server that says one size and sends more are not worth resuming from.
    if (err instanceof ReadCapError || limit.bytes > remoteSize - offset) {
      session.close();
      out.destroy();
      await rm(partialPath, { force: true });
      throw err instanceof ReadCapError ? err : new ReadCapError(printable(file.name), remoteSize, `the server sent more than the ${remoteSize} bytes it announced`);
    }
    throw err;
  } finally {
    clearInterval(tick);
    signal?.removeEventListener('abort', onAbort);
    meter.advance(out.bytesWritten - counted);
    out.destroy();
  }
  const got = (await sizeOf(partialPath)) ?? 0;
  if (got < remoteSize) throw new FtpsConnectionError(`${printable(file.name)}: received ${got} of ${remoteSize} bytes`);
  meter.finish();
  return { name: file.name, path: finalPath, size: remoteSize, resumedFrom: offset };
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

/**
 * A name from the server becomes a file in the target folder: it must be one path component,
 * nothing that leaves the folder, makes a subfolder, or hides in a terminal.
 */
function assertSafeName(name: string): void {
  const why =
    !name ? 'it is empty'
    : /[\\/]/.test(name) ? 'it contains a path separator'
    : name === '.' || name === '..' ? 'it names a folder'
    : hasControlCharacters(name) ? 'it contains control characters'
    : name.endsWith(PARTIAL_SUFFIX) ? `names ending in ${PARTIAL_SUFFIX} are ovfkit's own partial downloads`
    : undefined;
  if (why) throw new LocalFileError(`refusing to download "${printable(name)}": ${why}; a downloaded name must be a single file name`);
}
