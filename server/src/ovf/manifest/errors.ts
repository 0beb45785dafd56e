// Typed failures of manifest work; every message names the file it is about.
import { PackagePathError } from '../package/openPackageFile';

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/**
 * A file the manifest must cover cannot be hashed: absent, present but not readable, or refused
 * (`outside`: it leads outside the package; `not-a-file`: a folder, FIFO, device...).
 */
export class PackageFileError extends ManifestError {
  override name = 'PackageFileError';
  constructor(
    /** The name as in the descriptor / manifest. */
    readonly fileName: string,
    readonly path: string,
    readonly reason: 'missing' | 'unreadable' | 'outside' | 'not-a-file',
    detail: string,
  ) {
    super(
      reason === 'missing'
        ? `'${fileName}' is missing: ${path} does not exist`
        : reason === 'unreadable'
          ? `'${fileName}' cannot be read (${path}): ${detail}`
          : detail,
    );
  }
}

/** The error a cancelled operation rejects with (name `AbortError`, as Node's own APIs use). */
export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Turns an fs error (or a refused package file) into a PackageFileError for `name`. */
export function fileErrorFrom(err: unknown, fileName: string, path: string): PackageFileError {
  if (err instanceof PackagePathError) {
    if (err.reason === 'missing') return new PackageFileError(fileName, path, 'missing', '');
    const reason = err.reason === 'outside' || err.reason === 'not-a-file' ? err.reason : 'unreadable';
    return Object.assign(new PackageFileError(fileName, path, reason, err.message), { message: err.message });
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new PackageFileError(fileName, path, 'missing', String(code));
  const detail = code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof Error ? err.message : String(err);
  return new PackageFileError(fileName, path, 'unreadable', detail);
}
