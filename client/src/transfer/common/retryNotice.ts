// What a progress line says while a transfer waits to try again after a transient failure:
// "retrying in 4 s (attempt 2 of 5): connection reset". Both transfer clients report it.
import { NetworkProblem } from './networkProblems';

export interface RetryState {
  /** Why, in a few plain words ("connection reset"). */
  reason: string;
  /** The try about to start (2 for the first retry) and the most there will be. */
  attempt: number;
  attempts: number;
  delayMs: number;
}

const PLAIN_REASONS: Partial<Record<NetworkProblem, string>> = {
  'dns-unavailable': 'name lookup failed',
  'connection-refused': 'connection refused',
  unreachable: 'network unreachable',
  'timed-out': 'no answer in time',
  'connection-reset': 'connection reset',
};

/** A few plain words for a network problem; undefined for problems no retry is made for. */
export function plainRetryReason(problem: NetworkProblem | undefined): string | undefined {
  return problem ? PLAIN_REASONS[problem] : undefined;
}

/** "retrying in 4 s (attempt 2 of 5): connection reset" */
export function describeRetry(r: RetryState): string {
  const s = Math.max(0.1, r.delayMs / 1000);
  const wait = s < 10 && !Number.isInteger(s) ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
  return `retrying in ${wait} (attempt ${r.attempt} of ${r.attempts}): ${r.reason}`;
}
