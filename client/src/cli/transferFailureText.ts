// How the CLI words a failed transfer: plain words and the flag that fixes the cause (the editor
// words the same failures with its settings and buttons: commands/transferFailureText.ts).
import { classifyTransferFailure } from '../transfer/common/transferFailure';

export interface CliFailureWhere {
  protocol: 'ftps' | 'vcloud';
  host: string;
  port?: number;
  /** The descriptor, for the `ovfkit manifest` advice. */
  descriptor?: string;
}

export function cliFailureText(err: unknown, where: CliFailureWhere): string {
  const failure = classifyTransferFailure(err);
  const at = where.port ? `${where.host}:${where.port}` : where.host;
  const place = where.protocol === 'ftps' ? '--host or --region' : '--url';
  switch (failure.kind) {
    case 'host-not-found':
      return `host ${where.host} not found — check ${place}, or connect your VPN`;
    case 'dns-unavailable':
      return `could not look up ${where.host}: no answer from the name server — check your network or VPN`;
    case 'connection-refused':
      return `nothing answers at ${at} — check ${where.protocol === 'ftps' ? '--port and --implicit' : 'the port in --url'}, or whether the service is up`;
    case 'unreachable':
    case 'timed-out':
      return `cannot reach ${at} — check your network, VPN or firewall`;
    case 'connection-reset':
      return `the connection to ${at} kept breaking, also after the retries (${failure.detail})`;
    case 'certificate-untrusted':
      return `the certificate of ${where.host} is not trusted — if this server uses a private CA, pass that CA's certificate with --ca FILE (PEM); the connection stays verified`;
    case 'certificate-expired':
      return `the certificate of ${where.host} has expired or is not valid yet — check this machine's date and time; otherwise the server's certificate needs renewing`;
    case 'certificate-name':
      return `the certificate of ${where.host} is for another host name — use the name the certificate was issued for in ${place}`;
    case 'certificate-rejected':
      return `the certificate of ${where.host} was rejected (revoked or badly signed): ${failure.detail}`;
    case 'login-refused':
      return where.protocol === 'ftps'
        ? `login to ${where.host} refused${failure.serverSays ? `: the server answered "${failure.serverSays}"` : ''} — check --user (case-sensitive) and the password in the --password-env variable`
        : `${failure.serverSays ?? 'vCloud refused the login'} — check --org, --user and the password in the --password-env variable (or the token in --api-token-env)`;
    case 'tls-failed':
      return `a secure connection with ${at} failed: ${failure.detail}`;
    case 'manifest-mismatch':
      return `${failure.detail} — if the file is right, regenerate the manifest (ovfkit manifest ${where.descriptor ?? 'FILE.ovf'}), otherwise fix the file`;
    default:
      return failure.detail;
  }
}
