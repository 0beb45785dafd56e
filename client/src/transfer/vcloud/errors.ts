// The ways a vCloud upload fails, one class per kind, each carrying the server's own words where
// there are any. Messages never contain a password or a token; server words in them are made
// printable (no control characters, no terminal escapes).
import { NetworkProblem, networkProblemOf } from '../common/networkProblems';
import { printable } from '../common/sanitise';

export class VcloudError extends Error {
  override name = 'VcloudError';
}

/** A non-2xx answer; `serverMessage` is the `message` of the `<Error>` body when there was one. */
export class VcloudHttpError extends VcloudError {
  override name = 'VcloudHttpError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly serverMessage: string | undefined,
    readonly majorErrorCode?: string,
    readonly minorErrorCode?: string,
  ) {
    super(`${method} ${printable(url)} answered ${status}${serverMessage ? `: ${printable(serverMessage)}` : ''}`);
  }
}

/** The server refused the credentials. */
export class VcloudAuthError extends VcloudError {
  override name = 'VcloudAuthError';
}

/** The server's certificate is not trusted; the message says how to trust a private CA. */
export class VcloudTlsError extends VcloudError {
  override name = 'VcloudTlsError';
  constructor(message: string, readonly problem: NetworkProblem = 'certificate-untrusted') {
    super(message);
  }
}

/** Could not reach the server at all (refused, DNS, reset before any answer). */
export class VcloudConnectionError extends VcloudError {
  override name = 'VcloudConnectionError';
  constructor(message: string, readonly code?: string) {
    super(message);
  }
  /** Which network problem, for the front end's wording (undefined for codes outside the table). */
  get problem(): NetworkProblem | undefined {
    return networkProblemOf(this.code);
  }
}

/** A local file's bytes, as read for sending, do not match its digest in the package manifest. */
export class VcloudManifestMismatchError extends VcloudError {
  override name = 'VcloudManifestMismatchError';
  constructor(message: string, readonly file: string) {
    super(message);
  }
}

/** A bounded wait ran out: `awaited` says for what, `howToRaise` how to give it longer. */
export class VcloudTimeoutError extends VcloudError {
  override name = 'VcloudTimeoutError';
  constructor(readonly awaited: string, readonly seconds: number, howToRaise?: string) {
    super(`timed out after ${seconds} s waiting for ${awaited}${howToRaise ? ` (${howToRaise})` : ''}`);
  }
}

/** An answer was larger than ovfkit reads from a server. */
export class VcloudResponseTooLargeError extends VcloudError {
  override name = 'VcloudResponseTooLargeError';
}

/** The server sent something ovfkit cannot take as it is (a number that is not one, a value out of range). */
export class VcloudProtocolError extends VcloudError {
  override name = 'VcloudProtocolError';
}

/**
 * A link from the server points to another origin than the endpoint the user chose: credentials
 * are not sent there unless the user allowed that host.
 */
export class VcloudOriginError extends VcloudError {
  override name = 'VcloudOriginError';
  constructor(readonly origin: string, message: string) {
    super(message);
  }
}

/** The server-side task ended in error, canceled or aborted, or the template reached status -1. */
export class VcloudTaskError extends VcloudError {
  override name = 'VcloudTaskError';
  constructor(message: string, readonly taskStatus: string | undefined, readonly templateHref: string) {
    super(message);
  }
}

/** Something the client was asked to do cannot be done as asked (unknown catalog, no upload link). */
export class VcloudUsageError extends VcloudError {
  override name = 'VcloudUsageError';
}

/** The caller's AbortSignal fired. The upload can be resumed from `templateHref` unless the server task was cancelled. */
export class VcloudCancelledError extends VcloudError {
  override name = 'VcloudCancelledError';
  constructor(readonly templateHref: string | undefined, readonly serverTaskCancelled: boolean) {
    super(
      serverTaskCancelled ? 'upload cancelled; the server task was cancelled too'
      : templateHref ? 'upload cancelled; it can be resumed'
      : 'upload cancelled before the server created anything',
    );
  }
}
