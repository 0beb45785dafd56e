// The one progress event of a package transfer, whatever the protocol, and the meter that makes
// it. It is package-level (bytes of the whole package, one rate, one ETA) and lists the files in
// flight, several at once when files run in parallel (issue #15). Bytes already on the other side
// (a resume) count as done but not towards the rate. A file's retry notice stays until that file
// moves again, so the reports of the files still moving do not hide it.
import { RetryState } from './retryNotice';
import { etaSeconds } from './format';

export interface FileInFlight {
  /** The file's name in the package. */
  name: string;
  /** 1-based position in the package's transfer order. */
  index: number;
  bytesDone: number;
  bytesTotal: number;
}

/** A retry notice names the file whose step waits to be tried again. */
export interface FileRetry extends RetryState {
  file: string;
  index: number;
}

export interface TransferProgress {
  /** All files of the package, including what an earlier attempt already transferred. */
  bytesDone: number;
  bytesTotal: number;
  fileCount: number;
  /** Bytes per second over the last few seconds; undefined until measurable. */
  bytesPerSecond?: number;
  /** Seconds left at that rate; undefined until a rate is known. */
  etaSeconds?: number;
  /** The files being transferred now, in transfer order (empty between files). */
  files: FileInFlight[];
  /** Set while a file waits to be tried again after a transient failure (the latest, when several wait); cleared once it moves again. */
  retry?: FileRetry;
}

export type ProgressListener = (progress: TransferProgress) => void;

/**
 * Rate over a sliding window, so a stall shows quickly and one burst does not dominate. Samples
 * are taken only when a report goes out (a few a second), never per chunk.
 */
export class RateMeter {
  private readonly times: number[] = [];
  private readonly totals: number[] = [];
  private head = 0;
  constructor(private readonly windowMs = 5000) {}

  /** Records the running total of bytes moved at time `t` (ms) and returns bytes per second. */
  update(t: number, total: number): number | undefined {
    this.times.push(t);
    this.totals.push(total);
    while (this.times.length - this.head > 2 && t - this.times[this.head] > this.windowMs) this.head++;
    if (this.head > 64) {
      // Drop the consumed samples now and then: amortised O(1), the arrays stay small.
      this.times.splice(0, this.head);
      this.totals.splice(0, this.head);
      this.head = 0;
    }
    const elapsed = (t - this.times[this.head]) / 1000;
    return elapsed >= 0.2 ? Math.max(0, (total - this.totals[this.head]) / elapsed) : undefined;
  }
}

/** One file's view of a ProgressMeter: what a transfer step calls as it moves the file. */
export interface FileMeter {
  /** An attempt starts at `offset` (what the other side holds): the first starts the file, a retry rewinds it. */
  begin(offset: number): void;
  /** `bytes` moved just now. */
  advance(bytes: number): void;
  finish(): void;
  retrying(retry: RetryState): void;
}

export interface ProgressMeterOptions {
  /** Least time between two reports of moving bytes (forced reports always go out). */
  reportEveryMs?: number;
  now?: () => number;
}

/**
 * Counts a package's bytes per file and reports TransferProgress, throttled (at most every
 * `reportEveryMs`, or each percent of the package): per chunk it only adds numbers and reads the clock.
 */
export class ProgressMeter {
  private readonly positions = new Map<string, FileInFlight>();
  private readonly inFlight: FileInFlight[] = [];
  /** Files waiting to be tried again, the latest notice last. */
  private readonly waiting = new Map<string, FileRetry>();
  private done = 0;
  private moved = 0;
  private lastReport = -Infinity;
  private movedAtReport = 0;
  private readonly rate: RateMeter;
  private readonly reportEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly bytesTotal: number, private readonly fileCount: number, private readonly listener?: ProgressListener, options: ProgressMeterOptions = {}) {
    this.reportEveryMs = options.reportEveryMs ?? 250;
    this.now = options.now ?? Date.now;
    this.rate = new RateMeter();
  }

  /** Bytes of the package on the other side (or in flight) now. */
  get bytesDone(): number {
    return this.done;
  }

  /** Sets where a file stands without counting towards the rate: what a resume finds, a rewind, an offset the server reports. */
  place(name: string, index: number, size: number, position: number): void {
    const file = this.file(name, index, size);
    this.waiting.delete(name);
    this.done += position - file.bytesDone;
    file.bytesDone = position;
  }

  /** A file starts moving from `alreadyThere` (bytes the other side holds). */
  startFile(name: string, index: number, size: number, alreadyThere: number): void {
    this.place(name, index, size, alreadyThere);
    const file = this.positions.get(name)!;
    if (!this.inFlight.includes(file)) {
      // Kept in transfer order, whichever file of several started first.
      const at = this.inFlight.findIndex((f) => f.index > file.index);
      this.inFlight.splice(at < 0 ? this.inFlight.length : at, 0, file);
    }
    this.report(true);
  }

  /** `bytes` of the file moved just now. */
  advance(name: string, bytes: number): void {
    const file = this.positions.get(name);
    if (!file) return;
    if (this.waiting.size) this.waiting.delete(name);
    file.bytesDone += bytes;
    this.done += bytes;
    this.moved += bytes;
    this.report(false);
  }

  /** The file moved up to `position`; a position behind the count is a rewind (not counted against the rate). */
  advanceTo(name: string, position: number): void {
    const file = this.positions.get(name);
    if (!file) return;
    if (position > file.bytesDone) return this.advance(name, position - file.bytesDone);
    this.place(name, file.index, file.bytesTotal, position);
    this.report(true);
  }

  /** A retry starts the file over from what the other side has. */
  rewindFile(name: string, toBytes: number): void {
    const file = this.positions.get(name);
    if (!file) return;
    this.place(name, file.index, file.bytesTotal, toBytes);
    this.report(true);
  }

  /** Reports the file complete, then drops it from the files in flight. */
  finishFile(name: string): void {
    this.waiting.delete(name);
    this.report(true);
    const i = this.inFlight.findIndex((f) => f.name === name);
    if (i >= 0) this.inFlight.splice(i, 1);
  }

  /** Shows that a file waits to try again; the next report clears it. */
  retrying(name: string, retry: RetryState): void {
    const file = this.positions.get(name);
    this.waiting.delete(name);
    this.waiting.set(name, { ...retry, file: name, index: file?.index ?? 0 });
    this.report(true);
  }

  /** The meter of one file, for the steps that move it. */
  forFile(name: string, index: number, size: number): FileMeter {
    let started = false;
    return {
      begin: (offset) => {
        if (started) this.rewindFile(name, offset);
        else this.startFile(name, index, size, offset);
        started = true;
      },
      advance: (bytes) => this.advance(name, bytes),
      finish: () => this.finishFile(name),
      retrying: (retry) => this.retrying(name, retry),
    };
  }

  /** The progress now, for a report the caller makes itself (a phase change). */
  snapshot(): TransferProgress {
    return { bytesDone: this.done, bytesTotal: this.bytesTotal, fileCount: this.fileCount, files: this.inFlight.map((f) => ({ ...f })) };
  }

  private file(name: string, index: number, size: number): FileInFlight {
    let file = this.positions.get(name);
    if (!file) {
      file = { name, index, bytesDone: 0, bytesTotal: size };
      this.positions.set(name, file);
    }
    return file;
  }

  private report(force: boolean): void {
    if (!this.listener) return;
    const now = this.now();
    if (!force) {
      // Reports of moving bytes are spaced out in time, but a transfer too fast for that still
      // shows each percent. A forced report (a file starts, a retry) does not hold back the
      // first bytes after it.
      if (now - this.lastReport < this.reportEveryMs && this.moved - this.movedAtReport < this.bytesTotal / 100) return;
      this.lastReport = now;
      this.movedAtReport = this.moved;
    }
    const bytesPerSecond = this.rate.update(now, this.moved);
    const retry = this.waiting.size ? [...this.waiting.values()].at(-1) : undefined;
    this.listener({ ...this.snapshot(), bytesPerSecond, etaSeconds: etaSeconds(this.bytesTotal - this.done, bytesPerSecond), retry });
  }
}
