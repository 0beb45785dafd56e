// Progress of a multi-file transfer: which file, how many bytes of the whole, the rate over the
// last few seconds and the time left. Bytes already on the other side (resume) count as done but
// not towards the rate.
import { plainRetryReason, RetryState } from '../common/retryNotice';
import { FtpsError } from './errors';

export interface TransferProgress {
  /** The file being transferred (name in the package). */
  file: string;
  /** 1-based position of that file and the number of files. */
  fileIndex: number;
  fileCount: number;
  fileBytesDone: number;
  fileSize: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the recent window; 0 until measurable. */
  bytesPerSecond: number;
  /** Seconds left at the current rate; undefined until a rate is known. */
  etaSeconds?: number;
  /** Set while waiting to try again after a transient failure. */
  retry?: RetryState;
}

/** A few plain words for why a transfer is retried. */
export function retryReason(err: FtpsError): string {
  const plain = plainRetryReason(err.problem);
  if (plain) return plain;
  if (err.replyCode) return `the server answered ${err.replyCode}${err.serverReply ? ` "${err.serverReply.slice(0, 80)}"` : ''}`;
  return err.message.slice(0, 120);
}

export type ProgressListener = (progress: TransferProgress) => void;

const WINDOW_MS = 5000;
const REPORT_EVERY_MS = 250;

export class ProgressMeter {
  private done = 0;
  private fileDone = 0;
  private file = { name: '', index: 0, size: 0 };
  private readonly samples: Array<{ t: number; bytes: number }> = [];
  private sent = 0;
  private lastReport = 0;

  constructor(private readonly total: number, private readonly fileCount: number, private readonly listener?: ProgressListener) {}

  /** Starts a file; `alreadyThere` bytes (resumed) count as done immediately. */
  startFile(name: string, index: number, size: number, alreadyThere: number): void {
    this.file = { name, index, size };
    this.fileDone = alreadyThere;
    this.done += alreadyThere;
    this.report(true);
  }

  /** Bytes moved just now. */
  add(bytes: number): void {
    this.fileDone += bytes;
    this.done += bytes;
    this.sent += bytes;
    this.report(false);
  }

  /** A retry starts the file over from what the server has: forget what this attempt counted. */
  rewindFile(toBytes: number): void {
    this.done -= this.fileDone - toBytes;
    this.fileDone = toBytes;
    this.report(true);
  }

  finishFile(): void {
    this.report(true);
  }

  /** Shows that the transfer waits to try again; the next report clears it. */
  retrying(retry: RetryState): void {
    this.report(true, retry);
  }

  private report(force: boolean, retry?: RetryState): void {
    if (!this.listener) return;
    const now = Date.now();
    if (!force && now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    this.samples.push({ t: now, bytes: this.sent });
    while (this.samples.length > 2 && now - this.samples[0].t > WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const elapsed = (now - first.t) / 1000;
    const rate = elapsed > 0.2 ? (this.sent - first.bytes) / elapsed : 0;
    this.listener({
      file: this.file.name,
      fileIndex: this.file.index,
      fileCount: this.fileCount,
      fileBytesDone: this.fileDone,
      fileSize: this.file.size,
      bytesDone: this.done,
      bytesTotal: this.total,
      bytesPerSecond: rate,
      etaSeconds: rate > 0 ? Math.max(0, (this.total - this.done) / rate) : undefined,
      retry,
    });
  }
}
