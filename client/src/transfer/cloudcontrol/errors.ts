// The one error type of the CloudControl client. `kind` says what a person can do about it; the
// server's responseCode and message travel verbatim (made printable) so a front end can show them.
import { NetworkProblem } from '../common/networkProblems';

export type CloudControlErrorKind =
  /** 401: the user name or password was refused. */
  | 'auth'
  /** The server answered with a refusal (400 INVALID_INPUT_DATA, NAME_NOT_UNIQUE, 403, 5xx…). */
  | 'refused'
  /** 404 or RESOURCE_NOT_FOUND. */
  | 'not-found'
  | 'network'
  /** The server's certificate is not trusted; verification stays on. */
  | 'tls'
  /** A request or a wait ran past its deadline. */
  | 'timeout'
  /** The answer is not what the API sends (not JSON, too large, a redirect, fields missing). */
  | 'protocol'
  | 'import-failed'
  | 'export-failed'
  | 'cancelled'
  /** The caller's input cannot work (an API version, host or CA file). */
  | 'usage';

export interface CloudControlErrorDetails {
  status?: number;
  responseCode?: string;
  serverMessage?: string;
  requestId?: string;
  problem?: NetworkProblem;
}

export class CloudControlError extends Error {
  override name = 'CloudControlError';
  readonly status?: number;
  readonly responseCode?: string;
  readonly serverMessage?: string;
  readonly requestId?: string;
  readonly problem?: NetworkProblem;
  constructor(readonly kind: CloudControlErrorKind, message: string, details: CloudControlErrorDetails = {}) {
    super(message);
    this.status = details.status;
    this.responseCode = details.responseCode;
    this.serverMessage = details.serverMessage;
    this.requestId = details.requestId;
    this.problem = details.problem;
  }

  /** Worth another try inside a bounded wait: a dropped link or a 502/503/504. */
  get transient(): boolean {
    if (this.kind === 'network') return this.problem !== 'host-not-found';
    return this.kind === 'refused' && (this.status === 502 || this.status === 503 || this.status === 504);
  }
}
