// Opens one authenticated FTPS session: TLS on the control channel (explicit AUTH TLS or implicit),
// login, binary mode, and a protected data channel (PROT P). There is no plain-FTP path at all.
import { Client } from 'basic-ftp';
import { withDeadline } from '../common/limits';
import { printable } from '../common/sanitise';
import { enterActiveMode } from './activeMode';
import { classifyFtpsFailure, FtpsCancelledError, FtpsTlsError, LocalFileError } from './errors';
import { DEFAULT_MAX_LISTING_BYTES, FtpsLimits, overallTimeoutSeconds, RAISE_TIMEOUT } from './limits';
import { PREFERRED_CIPHERS, readCaFile, trustedCas } from '../common/trust';

export interface FtpsEndpoint {
  host: string;
  /** Default 21 for explicit TLS, 990 for implicit. */
  port?: number;
  /** Implicit TLS (TLS from the first byte) instead of explicit AUTH TLS. */
  implicit?: boolean;
  user: string;
  password: string;
  /** PEM file of an extra CA to trust besides the system's (a private CA, a test CA). */
  caFile?: string;
  /** Active data connections (PORT/EPRT: the server connects to us) instead of passive (EPSV/PASV). */
  active?: boolean;
  /** Control-channel reply timeout in milliseconds (default 30 s): an idle timeout. */
  timeoutMs?: number;
  /** Caps and overall deadlines (defaults in limits.ts). */
  limits?: FtpsLimits;
}

export function endpointPort(endpoint: FtpsEndpoint): number {
  return endpoint.port ?? (endpoint.implicit ? 990 : 21);
}

/** A logged-in session and the FEAT lines the server listed (for hash commands). */
export interface FtpsSession {
  client: Client;
  features: Map<string, string>;
  close(): void;
}

/**
 * Connects and logs in. Rejects with FtpsTlsError for an untrusted certificate or a server that
 * will not do TLS, FtpsLoginError for a refused login, FtpsConnectionError when unreachable.
 * Aborting `signal` closes the sockets at once.
 */
export async function openFtpsSession(endpoint: FtpsEndpoint, signal?: AbortSignal): Promise<FtpsSession> {
  if (signal?.aborted) throw new FtpsCancelledError();
  const port = endpointPort(endpoint);
  const ca = await readCaFile(endpoint.caFile, (message) => new LocalFileError(message));
  const client = new Client(endpoint.timeoutMs ?? 30_000, { allowSeparateTransferHost: false, maxListingBytes: endpoint.limits?.maxListingBytes ?? DEFAULT_MAX_LISTING_BYTES });
  const onAbort = () => client.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  const seconds = overallTimeoutSeconds(endpoint.limits);
  try {
    return await withDeadline(seconds, `connecting and logging in to ${endpoint.host}:${port}`, RAISE_TIMEOUT, () => client.close(), () => login(client, endpoint, port, ca));
  } catch (err) {
    client.close();
    if (signal?.aborted) throw new FtpsCancelledError();
    throw classifyFtpsFailure(err, { host: endpoint.host, port, doing: 'connecting and logging in' });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function login(client: Client, endpoint: FtpsEndpoint, port: number, ca: string | undefined): Promise<FtpsSession> {
  await client.access({
    host: endpoint.host,
    port,
    user: endpoint.user,
    password: endpoint.password,
    secure: endpoint.implicit ? 'implicit' : true,
    // Node's default CAs stay trusted; the extra CA is added, and verification stays on.
    secureOptions: { ca: trustedCas(ca), servername: isIp(endpoint.host) ? undefined : endpoint.host, ciphers: PREFERRED_CIPHERS },
  });
  // basic-ftp sends PROT P but ignores a refusal; ovfkit insists on a protected data channel.
  const prot = await client.send('PROT P');
  if (prot.code !== 200) throw new FtpsTlsError(`the server at ${endpoint.host}:${port} refused to protect the data channel (PROT P: "${printable(prot.message)}")`);
  if (endpoint.active) client.prepareTransfer = enterActiveMode;
  const features = await client.features();
  return { client, features, close: () => client.close() };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
