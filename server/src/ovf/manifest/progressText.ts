// How hashing progress reads to a person, shared by the CLI and the editor: bytes, rate, ETA.
import { HashProgress } from './hashFiles';

/** "1.2 GiB of 4.0 GiB (30%), 850.0 MiB/s, 3 s left". */
export function describeProgress(p: HashProgress, elapsedMs: number): string {
  const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
  const rate = elapsedMs > 0 ? (p.bytesDone * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? Math.ceil((p.bytesTotal - p.bytesDone) / rate) : undefined;
  return `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} (${pct}%)${rate ? `, ${formatBytes(rate)}/s` : ''}${eta !== undefined ? `, ${eta} s left` : ''}`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(n)} B` : `${n.toFixed(1)} ${units[i]}`;
}
