// The one CLI renderer of progress: a single line on stderr, rewritten in place, and nothing at
// all when stderr is not a terminal (logs and pipes get the result lines only).
import { CliIO } from './io';

export interface ProgressLine<P> {
  update: (p: P) => void;
  /** Removes the line (before a result or an error is printed). */
  clear: () => void;
}

export interface ProgressLineOptions<P> {
  /** Least time between two redraws; events in between are dropped unless `urgent`. Default 0: the source throttles. */
  throttleMs?: number;
  urgent?: (p: P) => boolean;
}

export function progressLine<P>(io: CliIO, describe: (p: P) => string, options: ProgressLineOptions<P> = {}): ProgressLine<P> {
  if (!io.stderr.isTTY) return { update: () => undefined, clear: () => undefined };
  const throttleMs = options.throttleMs ?? 0;
  let last = -Infinity;
  let shown = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < throttleMs && !options.urgent?.(p)) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[K${describe(p)}`);
    },
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
