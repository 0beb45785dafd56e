// A bounded poll loop: checks until done, waits `pollMs` between checks, fails with kind 'timeout'
// when the overall deadline passes (each check is cut off at the deadline too) and 'cancelled' on
// the caller's signal. A few transient failures in a row (a dropped link, a 503) are ridden out.
import { sleep } from '../common/abort';
import { CloudControlError } from './errors';

const MAX_TRANSIENT_IN_A_ROW = 3;

/** Milliseconds between checks: fixed, or by the number of checks made so far (1, 2, …). */
export type PollInterval = number | ((checksSoFar: number) => number);

export async function pollUntilDone<T>(
  check: (signal: AbortSignal) => Promise<T | undefined>,
  options: { awaited: string; timeoutMs: number; pollMs: PollInterval; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const timedOut = () => new CloudControlError('timeout', `${options.awaited}: not finished within ${Math.round(options.timeoutMs / 1000)} s (raise the timeout; the operation goes on in the cloud)`);
  let transientInARow = 0;
  for (let checks = 1; ; checks++) {
    const bounded = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const signal = options.signal ? AbortSignal.any([options.signal, bounded]) : bounded;
    try {
      const value = await check(signal);
      if (value !== undefined) return value;
      transientInARow = 0;
    } catch (err) {
      if (options.signal?.aborted) throw new CloudControlError('cancelled', `${options.awaited}: cancelled (the operation goes on in the cloud)`);
      if (bounded.aborted) throw timedOut();
      if (!(err instanceof CloudControlError) || !err.transient || ++transientInARow > MAX_TRANSIENT_IN_A_ROW) throw err;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut();
    try {
      await sleep(Math.min(typeof options.pollMs === 'function' ? options.pollMs(checks) : options.pollMs, left), options.signal);
    } catch {
      throw new CloudControlError('cancelled', `${options.awaited}: cancelled (the operation goes on in the cloud)`);
    }
  }
}
