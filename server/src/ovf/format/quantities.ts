// How sizes, rates, durations and byte progress read to a person, in one wording for the editor,
// the CLI, hashing and every transfer: "1.5 GiB", "112.0 MiB/s", "ETA 1:05". Pure functions of
// numbers, so both the domain and the transfer layer may use them (transfer/common re-exports).

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** "512 B", "20 GiB", "1.5 MiB": binary units, whole values exact, others to one decimal. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  if (i === 0) return `${Math.round(bytes)} B`;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${UNITS[i]}`;
}

/** "112.0 MiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "0:07", "12:05", "1:02:05": a clock, as rsync and curl show a time left. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds left for `remaining` bytes at `bytesPerSecond`; undefined while no rate is known. */
export function etaSeconds(remaining: number, bytesPerSecond: number | undefined): number | undefined {
  return bytesPerSecond && bytesPerSecond > 0 ? Math.ceil(Math.max(0, remaining) / bytesPerSecond) : undefined;
}

/** Whole percent done, 100 for an empty total. */
export function percentDone(done: number, total: number): number {
  return total > 0 ? Math.floor((100 * done) / total) : 100;
}

/** "1.2 GiB / 3.4 GiB 35%, 112.0 MiB/s, ETA 0:21": rate and ETA only once known. */
export function describeBytesProgress(done: number, total: number, bytesPerSecond?: number, eta?: number): string {
  let text = `${formatBytes(done)} / ${formatBytes(total)} ${percentDone(done, total)}%`;
  if (bytesPerSecond !== undefined && bytesPerSecond > 0) text += `, ${formatRate(bytesPerSecond)}`;
  if (eta !== undefined) text += `, ETA ${formatDuration(eta)}`;
  return text;
}
