// Downloads the files of a staged package into a local folder. Each file is written to
// `<name>.partial` and renamed only when it has the remote size, so a name without the suffix is
// always a complete file; a `.partial` left by an earlier run is resumed (REST) from its size.
// Checking the result against the package's manifest is the caller's job (the manifest domain).
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, truncate } from 'node:fs/promises';
import * as path from 'node:path';
import { FTPError } from 'basic-ftp';
import { endpointPort, FtpsEndpoint, FtpsSession, openFtpsSession } from './connection';
import { classifyFtpsFailure, FtpsCancelledError, FtpsConnectionError, FtpsError, LocalFileError } from './errors';
import { ProgressListener, ProgressMeter } from './progress';
import { RetryPolicy, withRetries } from './retry';

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
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  onLog?: (line: string) => void;
  retry?: RetryPolicy;
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

export const PARTIAL_SUFFIX = '.partial';

export async function downloadFromFtps(options: FtpsDownloadOptions): Promise<{ files: DownloadedFile[] }> {
  const { endpoint, signal } = options;
  const log = options.onLog ?? (() => undefined);
  const port = endpointPort(endpoint);
  const downloaded: DownloadedFile[] = [];
  let session: FtpsSession | undefined;
  const onAbort = () => session?.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  const connect = async () => {
    if (session && !session.client.closed) return session;
    session = await openFtpsSession(endpoint, signal);
    log(`connected to ${endpoint.host}:${port} as ${endpoint.user}`);
    if (options.remoteDir) await session.client.cd(options.remoteDir);
    return session;
  };
  const meter = new ProgressMeter(options.files.reduce((n, f) => n + f.size, 0), options.files.length, options.onProgress);

  try {
    for (const file of options.files) assertSafeName(file.name);
    await mkdir(options.toDir, { recursive: true }).catch((err) => {
      throw new LocalFileError(`cannot create ${options.toDir}: ${err.message}`);
    });
    for (let i = 0; i < options.files.length; i++) {
      const file = options.files[i];
      let started = false;
      const begin = (offset: number) => {
        if (started) meter.rewindFile(offset);
        else meter.startFile(file.name, i + 1, file.size, offset);
        started = true;
      };
      const done = await withRetries(
        async () => {
          try {
            return await downloadOne(await connect(), file, options.toDir, meter, begin, log, signal);
          } catch (err) {
            if (signal?.aborted) throw new FtpsCancelledError();
            const typed = classifyFtpsFailure(err, { host: endpoint.host, port, doing: `downloading ${file.name}` });
            if (typed.transient) {
              session?.close();
              session = undefined;
            }
            throw typed;
          }
        },
        options.retry ?? {},
        signal,
        (err, attempt, delay) => log(`${err.message}; retry ${attempt} in ${Math.round(delay / 100) / 10} s`),
      );
      downloaded.push(done);
      log(`downloaded ${done.name} (${done.size} bytes${done.resumedFrom ? `, resumed at ${done.resumedFrom}` : ''})`);
    }
    return { files: downloaded };
  } catch (err) {
    const reason = signal?.aborted
      ? new FtpsCancelledError('download cancelled; the .partial file stays and resumes next time')
      : classifyFtpsFailure(err, { host: endpoint.host, port });
    throw new FtpsDownloadError(reason, downloaded);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    session?.close();
  }
}

async function downloadOne(
  session: FtpsSession,
  file: DownloadItem,
  toDir: string,
  meter: ProgressMeter,
  begin: (offset: number) => void,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<DownloadedFile> {
  const finalPath = path.join(toDir, file.name);
  const partialPath = finalPath + PARTIAL_SUFFIX;
  await mkdir(path.dirname(finalPath), { recursive: true });
  const remoteSize = await session.client.size(file.name).catch((err) => {
    if (err instanceof FTPError && err.code === 550) throw new LocalFileError(`${file.name} is no longer in the staging folder ("${err.message.trim()}")`);
    throw err;
  });
  const complete = await sizeOf(finalPath);
  if (complete === remoteSize) {
    begin(remoteSize);
    meter.finishFile();
    log(`${file.name}: already downloaded`);
    return { name: file.name, path: finalPath, size: remoteSize, resumedFrom: remoteSize };
  }
  let offset = (await sizeOf(partialPath)) ?? 0;
  if (offset > remoteSize) {
    await truncate(partialPath, 0);
    offset = 0;
  }
  begin(offset);
  if (offset > 0) log(`${file.name}: resuming at byte ${offset} of ${remoteSize}`);
  const out = createWriteStream(partialPath, { flags: offset > 0 ? 'r+' : 'w', start: offset });
  // Progress from what reached the file; basic-ftp resolves only after the file stream finished.
  let counted = 0;
  const tick = setInterval(() => {
    meter.add(out.bytesWritten - counted);
    counted = out.bytesWritten;
  }, 200);
  const onAbort = () => out.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await session.client.downloadTo(out, file.name, offset);
  } finally {
    clearInterval(tick);
    signal?.removeEventListener('abort', onAbort);
    meter.add(out.bytesWritten - counted);
    out.destroy();
  }
  const got = (await sizeOf(partialPath)) ?? 0;
  if (got < remoteSize) throw new FtpsConnectionError(`${file.name}: received ${got} of ${remoteSize} bytes`);
  if (got > remoteSize) {
    await truncate(partialPath, 0);
    throw new LocalFileError(`${file.name}: the local copy grew past the remote size (${got} > ${remoteSize}); it will be fetched again`);
  }
  await rename(partialPath, finalPath);
  meter.finishFile();
  return { name: file.name, path: finalPath, size: remoteSize, resumedFrom: offset };
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

/** A staged name must stay inside the target folder. */
function assertSafeName(name: string): void {
  if (!name || path.isAbsolute(name) || name.split(/[\\/]/).some((p) => p === '..' || p === '')) {
    throw new LocalFileError(`refusing to download "${name}": the name would leave the target folder`);
  }
}
