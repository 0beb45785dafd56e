// What FTPS retries and how it words why: the backoff itself is transfer/common's.
import { plainRetryReason, RetryState } from '../common/retryNotice';
import { DEFAULT_RETRY, resolveRetryPolicy, RetryHooks, RetryPolicy } from '../common/backoff';
import { FtpsCancelledError, FtpsError } from './errors';

/** 5 tries, 1 s doubling to at most 30 s: a dropped staging session usually comes back within that. */
export function resolveFtpsRetry(policy: RetryPolicy | undefined): Required<RetryPolicy> {
  return resolveRetryPolicy(policy, DEFAULT_RETRY);
}

/** Only failures the FTPS classifier marks transient (dropped link, 421/425/426/450) are tried again. */
export function isTransientFtpsError(err: unknown): boolean {
  return err instanceof FtpsError && err.transient;
}

/** A few plain words for why a transfer is retried. */
export function retryReason(err: FtpsError): string {
  const plain = plainRetryReason(err.problem);
  if (plain) return plain;
  if (err.replyCode) return `the server answered ${err.replyCode}${err.serverReply ? ` "${err.serverReply.slice(0, 80)}"` : ''}`;
  return err.message.slice(0, 120);
}

/** The retry hooks of one FTPS file transfer (upload or download): logged, and shown in its progress. */
export function ftpsFileRetryHooks(
  policy: Required<RetryPolicy>,
  signal: AbortSignal | undefined,
  log: (line: string) => void,
  fileMeter: { retrying(retry: RetryState): void },
): RetryHooks {
  return {
    policy,
    signal,
    isTransient: isTransientFtpsError,
    cancelled: () => new FtpsCancelledError(),
    onRetry: (err, attempt, delay) => {
      log(`${(err as FtpsError).message}; retry ${attempt - 1} in ${Math.round(delay / 100) / 10} s`);
      fileMeter.retrying({ reason: retryReason(err as FtpsError), attempt, attempts: policy.attempts, delayMs: delay });
    },
  };
}
