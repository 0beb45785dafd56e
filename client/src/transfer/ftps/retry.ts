// Retries a step after transient failures (dropped connection, busy server) with exponential
// backoff; permanent failures and cancellation pass straight through.
import { FtpsCancelledError, FtpsError } from './errors';

export interface RetryPolicy {
  /** Total tries including the first (default 5). */
  attempts?: number;
  /** Wait before the first retry, doubled each time (default 1000 ms). */
  baseDelayMs?: number;
  /** Upper bound of one wait (default 30 s). */
  maxDelayMs?: number;
}

export async function withRetries<T>(
  step: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onRetry?: (err: FtpsError, attempt: number, delayMs: number) => void,
): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 5);
  const base = policy.baseDelayMs ?? 1000;
  const max = policy.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (signal?.aborted) throw new FtpsCancelledError();
      if (!(err instanceof FtpsError) || !err.transient || attempt >= attempts) throw err;
      const delay = Math.min(max, base * 2 ** (attempt - 1));
      onRetry?.(err, attempt, delay);
      await sleep(delay, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new FtpsCancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new FtpsCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
