// How the CLI words a CloudControl failure and which exit code it gets: the server's responseCode
// and message verbatim (the client made them printable), the login and TLS in plain words.
import { CloudControlError } from '../../transfer/cloudcontrol';

export interface CliFailure {
  text: string;
  /** 1 failure, 2 bad usage, 130 cancelled. */
  exitCode: number;
}

/** `what` names the step that failed, e.g. "the import request". */
export function cloudControlFailure(err: unknown, what: string): CliFailure {
  if (!(err instanceof CloudControlError)) return { text: err instanceof Error ? err.message : String(err), exitCode: 1 };
  switch (err.kind) {
    case 'auth':
      return { text: 'the login was refused (HTTP 401): check --user (case-sensitive) and the password in the --password-env variable', exitCode: 1 };
    case 'usage':
      return { text: /CA file/.test(err.message) ? `--ca: ${err.message}` : err.message, exitCode: 2 };
    case 'cancelled':
      return { text: err.message, exitCode: 130 };
    case 'refused':
    case 'not-found': {
      if (!err.responseCode && !err.serverMessage) return { text: err.message, exitCode: 1 };
      const said = [err.responseCode, err.serverMessage].filter(Boolean).join(': ');
      const request = err.requestId ? ` (request ${err.requestId})` : '';
      return { text: `the server refused ${what} (HTTP ${err.status ?? '?'}): ${said}${request}`, exitCode: 1 };
    }
    default:
      return { text: err.message, exitCode: 1 };
  }
}
