// What FTPS retries and how it words why: the backoff itself is transfer/common's.
import { plainRetryReason } from '../common/retryNotice';
import { DEFAULT_RETRY, resolveRetryPolicy, RetryPolicy } from '../common/backoff';
import { FtpsError } from './errors';

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
