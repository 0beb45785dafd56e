// How the editor words a failed transfer: plain words, and the buttons that fix the cause
// (the CLI words the same failures with its flags: cli/transferFailureText.ts). No `vscode` here,
// so the wording is unit-tested; transferFailure.ts runs the buttons.
import { classifyTransferFailure } from '../transfer/common/transferFailure';

export type FixAction = 'changeRegion' | 'openSettings' | 'trustCaFile' | 'generateManifest' | 'showLog';

export const FIX_TITLES: Record<FixAction, string> = {
  changeRegion: 'Change Region',
  openSettings: 'Open Settings',
  trustCaFile: 'Trust a CA File…',
  generateManifest: 'Generate Manifest',
  showLog: 'Show Log',
};

export interface FailureWhere {
  protocol: 'ftps' | 'vcloud';
  host: string;
  port?: number;
  /** FTPS: the host came from a region (so picking another region is the fix), not from ovfkit.ftps.host. */
  fromRegion?: boolean;
}

export interface EditorFailure {
  message: string;
  /** In button order; Show Log is always last. */
  actions: FixAction[];
}

export function editorFailureText(err: unknown, where: FailureWhere): EditorFailure {
  const failure = classifyTransferFailure(err);
  const at = where.port ? `${where.host}:${where.port}` : where.host;
  const place = where.protocol === 'ftps' ? (where.fromRegion ? 'the region' : 'the host setting') : 'the vCloud URL';
  const placeFix: FixAction[] = where.protocol === 'ftps' && where.fromRegion ? ['changeRegion'] : ['openSettings'];
  const say = (message: string, actions: FixAction[] = []): EditorFailure => ({ message, actions: [...actions, 'showLog'] });
  switch (failure.kind) {
    case 'host-not-found':
      return say(`Host ${where.host} not found — check ${place} or your VPN.`, [...placeFix, ...(placeFix.includes('openSettings') ? [] : ['openSettings' as const])]);
    case 'dns-unavailable':
      return say(`Could not look up ${where.host}: no answer from the name server — check your network or VPN.`, placeFix);
    case 'connection-refused':
      return say(`Nothing answers at ${at} — check the port and TLS mode in the settings, or whether the service is up.`, ['openSettings']);
    case 'unreachable':
    case 'timed-out':
      return say(`Cannot reach ${at} — check your network, VPN or firewall.`, placeFix);
    case 'connection-reset':
      return say(`The connection to ${at} kept breaking, also after the retries. Run the upload again to resume where it stopped.`);
    case 'certificate-untrusted':
      return say(`The certificate of ${where.host} is not trusted. If this server uses a private CA, trust that CA's certificate (a PEM file); the connection stays verified.`, ['trustCaFile']);
    case 'certificate-expired':
      return say(`The certificate of ${where.host} has expired or is not valid yet — check this computer's date and time; otherwise the server's certificate needs renewing.`);
    case 'certificate-name':
      return say(`The certificate of ${where.host} is for another host name — use the name the certificate was issued for.`, placeFix);
    case 'certificate-rejected':
      return say(`The certificate of ${where.host} was rejected (revoked or badly signed). Do not trust this server until its administrator fixes it.`);
    case 'login-refused':
      return say(
        where.protocol === 'ftps'
          ? `Login to ${where.host} refused${failure.serverSays ? ` ("${failure.serverSays}")` : ''} — check the user name (case-sensitive) and password. The stored password was forgotten; you will be asked again.`
          : `${failure.serverSays ?? 'vCloud refused the login'} — check the organisation, user and password (or API token). The stored secret was forgotten; you will be asked again.`,
        ['openSettings'],
      );
    case 'tls-failed':
      return say(`A secure connection with ${at} failed: ${failure.detail}. ovfkit never falls back to unencrypted FTP; check the TLS mode (explicit or implicit) in the settings.`, ['openSettings']);
    case 'manifest-mismatch':
      return say(`${failure.detail}. Regenerate the manifest if the file is right, or fix the file.`, ['generateManifest']);
    default:
      return say(failure.detail);
  }
}
