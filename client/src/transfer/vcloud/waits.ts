// A bounded poll loop that never blocks cancel (its sleep is transfer/common's abortable one).
import { sleep } from '../common/abort';
import { VcloudTimeoutError } from './errors';

export { abortError, isAbortError } from '../common/abort';

/**
 * Calls `check` until it returns a value other than undefined, and fails with a VcloudTimeoutError
 * naming `awaited` once `timeoutSeconds` have passed. The deadline is overall: each check gets a
 * signal that fires when the time is up, so a server trickling its answer cannot stretch the wait.
 * The first polls come quickly (most waits are short) and the interval grows to `intervalMs`, so
 * a long wait does not hammer the server.
 */
export async function pollUntil<T>(
  check: (signal: AbortSignal) => Promise<T | undefined>,
  options: { awaited: string; timeoutSeconds: number; intervalMs: number; signal?: AbortSignal; howToRaise?: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const timedOut = () => new VcloudTimeoutError(options.awaited, options.timeoutSeconds, options.howToRaise);
  let interval = Math.min(50, options.intervalMs);
  for (;;) {
    const bounded = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const signal = options.signal ? AbortSignal.any([options.signal, bounded]) : bounded;
    let value: T | undefined;
    try {
      value = await check(signal);
    } catch (err) {
      if (bounded.aborted && !options.signal?.aborted) throw timedOut();
      throw err;
    }
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut();
    await sleep(Math.min(interval, left), options.signal);
    interval = Math.min(interval * 1.5, options.intervalMs);
  }
}
