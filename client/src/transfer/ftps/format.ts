// Human-readable sizes, rates and durations for progress lines and listings.
import { describeRetry } from '../common/retryNotice';

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "[2/4] disk1.vmdk 1.2 GiB / 3.4 GiB 35% 112.0 MiB/s ETA 0:21" */
export function describeTransferProgress(p: import('./progress').TransferProgress): string {
  if (p.retry) return `[${p.fileIndex}/${p.fileCount}] ${p.file}: ${describeRetry(p.retry)}`;
  const pct = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
  const rate = p.bytesPerSecond > 0 ? ` ${formatBytes(p.bytesPerSecond)}/s` : '';
  const eta = p.etaSeconds !== undefined ? ` ETA ${formatDuration(p.etaSeconds)}` : '';
  return `[${p.fileIndex}/${p.fileCount}] ${p.file} ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)} ${pct}%${rate}${eta}`;
}

