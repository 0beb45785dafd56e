// What kind of failure ended a transfer, whichever client threw it: the one question a front end
// asks before it words the failure its own way (plain words plus its own way out: a setting, a
// button, a flag).
import { FtpsError, FtpsHostNotFoundError, FtpsLoginError, FtpsManifestMismatchError, FtpsTlsError } from '../ftps/errors';
import { VcloudAuthError, VcloudConnectionError, VcloudManifestMismatchError, VcloudTlsError } from '../vcloud/errors';
import { NetworkProblem } from './networkProblems';

export type TransferFailureKind =
  | NetworkProblem
  /** The server refused the user name, password or token. */
  | 'login-refused'
  /** A TLS failure that is not about the certificate (the server will not do FTPS, a handshake alert). */
  | 'tls-failed'
  /** A local file differs from its manifest digest. */
  | 'manifest-mismatch'
  /** Anything else: the error's own message is the best there is. */
  | 'other';

export interface TransferFailure {
  kind: TransferFailureKind;
  /** For a manifest mismatch: the file, as the package names it. */
  file?: string;
  /** The underlying error's message (for the log, and the "other" case). */
  detail: string;
  /** The server's own words, when it said something (an FTP reply line). */
  serverSays?: string;
}

export function classifyTransferFailure(err: unknown): TransferFailure {
  // FtpsUploadError and FtpsDownloadError wrap the typed cause.
  const reason = (err as { reason?: unknown })?.reason instanceof FtpsError ? (err as { reason: FtpsError }).reason : err;
  const detail = reason instanceof Error ? reason.message : String(reason);
  if (reason instanceof FtpsManifestMismatchError || reason instanceof VcloudManifestMismatchError) return { kind: 'manifest-mismatch', file: reason.file, detail };
  if (reason instanceof FtpsLoginError) return { kind: 'login-refused', detail, serverSays: reason.serverReply };
  // Its message is the server's answer already, and ends with advice each front end words itself.
  if (reason instanceof VcloudAuthError) return { kind: 'login-refused', detail, serverSays: detail.replace(/\s*Check the [^.]*\.$/, '') };
  if (reason instanceof FtpsHostNotFoundError) return { kind: 'host-not-found', detail };
  if (reason instanceof VcloudTlsError) return { kind: reason.problem, detail };
  if (reason instanceof FtpsTlsError) return { kind: reason.problem ?? 'tls-failed', detail };
  if (reason instanceof FtpsError && reason.problem) return { kind: reason.problem, detail };
  if (reason instanceof VcloudConnectionError && reason.problem) return { kind: reason.problem, detail };
  return { kind: 'other', detail };
}

/** The host[:port] of an endpoint URL, for messages; the text itself when it is no URL. */
export function hostOfUrl(url: string | undefined, fallback = 'the server'): string {
  if (!url) return fallback;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
