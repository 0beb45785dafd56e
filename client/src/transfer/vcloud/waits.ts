// Waiting without blocking cancel: an abortable sleep and a bounded poll loop.
import { VcloudTimeoutError } from './errors';

export function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

export function isAbortError(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'AbortError';
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `check` until it returns a value other than undefined, and fails with a VcloudTimeoutError
 * naming `awaited` once `timeoutSeconds` have passed. The first polls come quickly (most waits are
 * short) and the interval grows to `intervalMs`, so a long wait does not hammer the server.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { awaited: string; timeoutSeconds: number; intervalMs: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let interval = Math.min(50, options.intervalMs);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new VcloudTimeoutError(options.awaited, options.timeoutSeconds);
    await sleep(Math.min(interval, left), options.signal);
    interval = Math.min(interval * 1.5, options.intervalMs);
  }
}
