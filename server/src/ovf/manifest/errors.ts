// Typed failures of manifest work; every message names the file it is about.

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** A file the manifest must cover cannot be hashed: absent, or present but not readable as a file. */
export class PackageFileError extends ManifestError {
  override name = 'PackageFileError';
  constructor(
    /** The name as in the descriptor / manifest. */
    readonly fileName: string,
    readonly path: string,
    readonly reason: 'missing' | 'unreadable',
    detail: string,
  ) {
    super(reason === 'missing' ? `'${fileName}' is missing: ${path} does not exist` : `'${fileName}' cannot be read (${path}): ${detail}`);
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

/** Turns an fs error into a PackageFileError for `name`. */
export function fileErrorFrom(err: unknown, fileName: string, path: string): PackageFileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new PackageFileError(fileName, path, 'missing', String(code));
  const detail = code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof Error ? err.message : String(err);
  return new PackageFileError(fileName, path, 'unreadable', detail);
}
