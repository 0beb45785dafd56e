// Trying a step again after a transient failure (a dropped connection, a busy server), with
// exponential backoff. Each protocol says what is transient; the waiting and counting are shared.
import { sleep } from './abort';

export interface RetryPolicy {
  /** Tries of one step in a row, the first included (1: never retry). */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one. */
  baseDelayMs?: number;
  /** Upper bound of one wait. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryPolicy> = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** The policy with every field set: `defaults` (the protocol's) under what the caller gave. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined, defaults: Required<RetryPolicy> = DEFAULT_RETRY): Required<RetryPolicy> {
  return {
    attempts: Math.max(1, policy?.attempts ?? defaults.attempts),
    baseDelayMs: policy?.baseDelayMs ?? defaults.baseDelayMs,
    maxDelayMs: policy?.maxDelayMs ?? defaults.maxDelayMs,
  };
}

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function backoffDelay(policy: Required<RetryPolicy>, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
}

export interface RetryHooks {
  policy: Required<RetryPolicy>;
  signal?: AbortSignal;
  /** Whether the same step may succeed when tried again. */
  isTransient: (err: unknown) => boolean;
  /** Told before each wait: `attempt` is the try about to start (2 for the first retry). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** The error to throw once the signal fired (default: the signal's AbortError). */
  cancelled?: () => Error;
}

/** Runs `step` until it succeeds, fails permanently, runs out of attempts or is cancelled. */
export async function withRetries<T>(step: (attempt: number) => Promise<T>, hooks: RetryHooks): Promise<T> {
  const { policy, signal } = hooks;
  const cancelled = () => hooks.cancelled?.() ?? signal?.reason ?? new Error('cancelled');
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      if (!hooks.isTransient(err) || attempt >= policy.attempts) throw err;
      const wait = backoffDelay(policy, attempt);
      hooks.onRetry?.(err, attempt + 1, wait);
      try {
        await sleep(wait, signal);
      } catch (abort) {
        if (signal?.aborted) throw cancelled();
        throw abort;
      }
    }
  }
}
