// How much ovfkit reads from an FTPS server and how long it waits, overall (basic-ftp's own
// timeout is an idle one, which a server sending a byte every few seconds never trips). Every
// value can be lowered for tests and raised by the user; messages say how.

export interface FtpsLimits {
  /** Overall deadline for connecting and logging in, and for listing the staging folder (default 120 s). */
  timeoutSeconds?: number;
  /**
   * Slowest average rate a file transfer may take: each file gets `floorSeconds` plus its size at
   * this rate, overall (default 64 KiB/s, so a 40 GiB disk may take a week; 0: no deadline).
   */
  minBytesPerSecond?: number;
  /** Fixed part of each file's deadline (default 60 s). */
  floorSeconds?: number;
  /** Most bytes read of one directory listing (default 4 MiB, some 50 000 files). */
  maxListingBytes?: number;
  /** Most bytes read of a staged descriptor while listing (default 16 MiB; vCloud refuses more than 12). */
  maxDescriptorBytes?: number;
}

export const DEFAULT_FTPS_TIMEOUT_SECONDS = 120;
export const DEFAULT_MIN_BYTES_PER_SECOND = 64 * 1024;
const DEFAULT_FLOOR_SECONDS = 60;
export const DEFAULT_MAX_LISTING_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024;

export const RAISE_TIMEOUT = 'raise it with --timeout SECONDS or the setting ovfkit.ftps.timeoutSeconds';
export const RAISE_FILE_DEADLINE = 'allow a slower link with --min-rate BYTES_PER_SECOND or the setting ovfkit.ftps.minBytesPerSecond (0: no deadline)';

export function overallTimeoutSeconds(limits: FtpsLimits | undefined): number {
  return limits?.timeoutSeconds ?? DEFAULT_FTPS_TIMEOUT_SECONDS;
}

/** The overall deadline of moving one file of `bytes`, in seconds; 0 means none. */
export function fileDeadlineSeconds(bytes: number, limits: FtpsLimits | undefined): number {
  const rate = limits?.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
  if (!(rate > 0)) return 0;
  return (limits?.floorSeconds ?? DEFAULT_FLOOR_SECONDS) + bytes / rate;
}
