// Typed failures of an FTPS transfer. Each carries the server's own words where there are any, and
// says whether trying again could help: only `transient` errors are retried. The server's words
// are made printable (no control characters, no terminal escapes) before they reach a message.
import { FTPError } from 'basic-ftp';
import { DeadlineError, ReadCapError } from '../common/limits';
import { isCertificateProblem, isTransientProblem, NetworkProblem, networkProblemOf } from '../common/networkProblems';
import { printable } from '../common/sanitise';

export abstract class FtpsError extends Error {
  /** True when the same step may succeed on a new connection (dropped link, server busy). */
  abstract readonly transient: boolean;
  /** For network and certificate failures: which one, so a front end can say what to do about it. */
  problem?: NetworkProblem;
  constructor(message: string, readonly serverReply?: string, readonly replyCode?: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** 530: user name or password refused. */
export class FtpsLoginError extends FtpsError {
  readonly transient = false;
}

/** 550/553/532: the server refuses the file or folder (permission, bad name, read-only). */
export class FtpsPermissionError extends FtpsError {
  readonly transient = false;
}

/** 452/552 (and 451 write failures): the staging area is full or could not store the data. */
export class FtpsStorageError extends FtpsError {
  readonly transient = false;
}

/** The server's certificate was not trusted, or TLS could not be negotiated. Never falls back to plain FTP. */
export class FtpsTlsError extends FtpsError {
  readonly transient = false;
}

/** The connection failed or dropped, or the server answered 421/425/426/450: retried with backoff. */
export class FtpsConnectionError extends FtpsError {
  readonly transient = true;
}

/** The host name does not resolve (a mistyped host or region, or a name only a VPN knows): not retried. */
export class FtpsHostNotFoundError extends FtpsError {
  readonly transient = false;
}

/** Any other refusal by the server (5xx): not retried. */
export class FtpsServerError extends FtpsError {
  readonly transient = false;
}

/** A local file's bytes, as read for sending, do not match its digest in the package manifest. */
export class FtpsManifestMismatchError extends FtpsError {
  readonly transient = false;
  constructor(message: string, readonly file: string) {
    super(message);
  }
}

/** After a transfer the remote file's size or hash differs from the local file's. */
export class FtpsVerifyError extends FtpsError {
  readonly transient = false;
}

/** An overall deadline ran out (a server too slow, or trickling on purpose); the message says which and how to raise it. */
export class FtpsTimeoutError extends FtpsError {
  readonly transient = false;
}

/** The server sent more than it announced or than ovfkit reads (a listing, a staged descriptor, a file past its size). */
export class FtpsTooMuchDataError extends FtpsError {
  readonly transient = false;
}

/** A local file is missing, unreadable, or changed while it was being sent. */
export class LocalFileError extends FtpsError {
  readonly transient = false;
}

/** The caller aborted. The partial remote file is left for a later resume. */
export class FtpsCancelledError extends FtpsError {
  readonly transient = false;
  constructor(message = 'cancelled') {
    super(message);
  }
}

/** Where a failure happened, so the message can say what and where. */
export interface FailureContext {
  host: string;
  port: number;
  /** The remote path or step involved, e.g. "uploading disk1.vmdk". */
  doing?: string;
  /** The failure came on a session that had logged in (TLS was working on it). */
  afterLogin?: boolean;
}

/**
 * OpenSSL's words for bytes that are not a TLS record, on the control connection (basic-ftp says
 * which socket). Before login they mean the server does not speak TLS there (implicit TLS against
 * an explicit port); on a logged-in session they mean the session ended: vsftpd writes "500 OOPS:
 * ..." in clear when a session's process dies (seen with Debian's vsftpd when that process is
 * killed mid-transfer). On a data connection they stay a TLS failure.
 */
const PLAIN_TEXT_ON_TLS_CONTROL = /(wrong version number|packet length too long)[\s\S]*\(control socket\)/i;

const SESSION_LIMIT_WORDS = /too many (connections|users|sessions|clients|logins)|maximum number of (clients|connections|users|sessions)/i;

/**
 * Whether a refused login says the server has reached its limit of sessions (421, or 530 "too
 * many connections/users"): a parallel transfer then carries on with the sessions it has.
 */
export function isSessionLimitRefusal(err: unknown): boolean {
  if (!(err instanceof FtpsError)) return false;
  return err.replyCode === 421 || (err.replyCode === 530 && SESSION_LIMIT_WORDS.test(err.serverReply ?? ''));
}

/**
 * Turns whatever basic-ftp, Node's sockets or TLS threw into one of the typed errors above.
 * Already-typed errors pass through unchanged.
 */
export function classifyFtpsFailure(err: unknown, where: FailureContext): FtpsError {
  if (err instanceof FtpsError) return err;
  const at = `${where.host}:${where.port}`;
  const doing = where.doing ? ` while ${printable(where.doing)}` : '';
  if (err instanceof DeadlineError) return new FtpsTimeoutError(`${at}: ${err.message}`);
  if (err instanceof ReadCapError) return new FtpsTooMuchDataError(`${at}: ${err.message}`);
  if (err instanceof FTPError) {
    const reply = printable(err.message.trim());
    const code = err.code;
    const said = `the server at ${at} answered "${reply}"${doing}`;
    if (code === 530 && SESSION_LIMIT_WORDS.test(reply)) {
      // Some servers (ProFTPD, Pure-FTPd) say "too many" with 530: busy, not a wrong password.
      return new FtpsConnectionError(`the server refuses another session: ${said}`, reply, code);
    }
    if (code === 530) return new FtpsLoginError(`login refused: ${said}. Check the user name (case-sensitive) and password.`, reply, code);
    if (code === 452 || code === 552) return new FtpsStorageError(`no space in the staging area: ${said}`, reply, code);
    if (code === 451) return new FtpsStorageError(`the server could not store the data: ${said}`, reply, code);
    if (code === 550 || code === 553 || code === 532 || (code === 450 && /permission|denied/i.test(reply))) {
      return new FtpsPermissionError(`refused: ${said}`, reply, code);
    }
    if (code === 421 || code === 425 || code === 426 || code === 450) {
      return new FtpsConnectionError(`transfer interrupted: ${said}`, reply, code);
    }
    if (code === 534 || code === 522 || ((code === 502 || code === 504) && /AUTH|PROT|PBSZ|TLS/i.test(reply))) {
      return new FtpsTlsError(`the server at ${at} does not accept FTPS as required ("${reply}"); ovfkit never falls back to plain FTP`, reply, code);
    }
    return new FtpsServerError(`unexpected reply: ${said}`, reply, code);
  }
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const message = printable(e instanceof Error ? e.message : String(err));
  const problem = networkProblemOf(e?.code);
  const typed = (error: FtpsError): FtpsError => Object.assign(error, { problem });
  if (where.afterLogin && PLAIN_TEXT_ON_TLS_CONTROL.test(message)) {
    const ended = new FtpsConnectionError(`the server's session at ${at} ended${doing}: it wrote plain text onto the TLS connection, as vsftpd does when a session process dies ("500 OOPS")`);
    ended.problem = 'connection-reset';
    return ended;
  }
  if (isCertificateProblem(problem)) return typed(new FtpsTlsError(`the certificate of ${at} is not trusted (${e.code}: ${message}); TLS verification stays on`));
  if (e?.code?.startsWith('ERR_SSL') || /SSL routines|handshake|alert/i.test(message)) {
    return new FtpsTlsError(`TLS with ${at} failed${doing}: ${message}`);
  }
  if (problem === 'host-not-found') return typed(new FtpsHostNotFoundError(`host ${where.host} not found${doing} (${e.code})`));
  if (isTransientProblem(problem)) return typed(new FtpsConnectionError(`connection to ${at} failed${doing}: ${message}`));
  // basic-ftp reports a dropped control/data link and its own timeouts as plain Errors.
  if (/closed|timeout|timed out|FIN packet|socket hang up|not connected|ECONNRESET/i.test(message)) {
    const dropped = new FtpsConnectionError(`connection to ${at} dropped${doing}: ${message}`);
    dropped.problem = /timeout|timed out/i.test(message) ? 'timed-out' : 'connection-reset';
    return dropped;
  }
  return new FtpsServerError(`FTPS failure with ${at}${doing}: ${message}`);
}
