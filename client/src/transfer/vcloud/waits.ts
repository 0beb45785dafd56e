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
 * Calls `check` every `intervalMs` until it returns a value other than undefined, and fails with a
 * VcloudTimeoutError naming `awaited` once `timeoutSeconds` have passed.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { awaited: string; timeoutSeconds: number; intervalMs: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new VcloudTimeoutError(options.awaited, options.timeoutSeconds);
    await sleep(Math.min(options.intervalMs, left), options.signal);
  }
}
