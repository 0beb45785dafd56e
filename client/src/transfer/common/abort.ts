// Waiting without blocking cancel. Node's own abortable timer, so a cancel ends the wait at once
// and no timer is left behind; aborts surface as the signal's AbortError.
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` fires (at once if it has). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  await delay(ms, undefined, signal ? { signal } : undefined);
}

// One AbortError for the domain (hashing) and the transfers alike.
export { abortError, isAbortError } from '../../../../server/src/ovf';
