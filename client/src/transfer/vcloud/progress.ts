// Progress events of an upload and the rate/ETA arithmetic behind them.
import { describeRetry, RetryState } from '../common/retryNotice';

export type UploadPhase = 'login' | 'creating' | 'descriptor' | 'waiting-for-links' | 'uploading' | 'processing' | 'done';

export interface UploadProgress {
  phase: UploadPhase;
  /** One line for a human: what is happening now. */
  message: string;
  /** The file being sent (its name in the package). */
  file?: string;
  fileBytesSent?: number;
  fileBytesTotal?: number;
  /** All files of the package, including what an earlier attempt already sent. */
  bytesSent: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds. */
  rate?: number;
  etaSeconds?: number;
  /** The server's task while it processes the upload (after the bytes are sent). */
  serverPhase?: string;
  serverProgress?: number;
  templateHref?: string;
  /** Set while a range waits to be tried again after a transient failure. */
  retry?: RetryState;
}

/** Rate over a sliding window, so a stall shows quickly and one burst does not dominate. */
export class RateMeter {
  private readonly samples: { t: number; bytes: number }[] = [];
  constructor(private readonly windowMs = 5000, private readonly now: () => number = Date.now) {}

  /** Records the running total of bytes sent and returns the rate in bytes per second. */
  update(totalBytes: number): number | undefined {
    const t = this.now();
    this.samples.push({ t, bytes: totalBytes });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = (t - first.t) / 1000;
    return elapsed >= 0.2 ? Math.max(0, (totalBytes - first.bytes) / elapsed) : undefined;
  }
}

export function etaSeconds(remaining: number, rate: number | undefined): number | undefined {
  return rate && rate > 0 ? Math.ceil(remaining / rate) : undefined;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

/** "disk1.vmdk 12.0 MiB / 1.0 GiB, 95.3 MiB/s, ETA 11s": what a one-line progress display shows. */
export function describeProgress(p: UploadProgress): string {
  if (p.phase === 'uploading') {
    if (p.retry) return `${p.file ?? ''}: ${describeRetry(p.retry)}`;
    const parts = [`${p.file ?? ''} ${formatBytes(p.bytesSent)} / ${formatBytes(p.bytesTotal)}`];
    if (p.rate !== undefined) parts.push(`${formatBytes(p.rate)}/s`);
    if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
    return parts.join(', ');
  }
  if (p.phase === 'processing') {
    return `server: ${p.serverPhase ?? 'processing'}${p.serverProgress !== undefined ? ` (${p.serverProgress}%)` : ''}`;
  }
  return p.message;
}
