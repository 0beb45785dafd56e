// The SecretStorage keys ovfkit keeps passwords and tokens under. One place, so the upload commands
// that store them and *Forget Stored Credentials* that deletes them agree.
import { normaliseBaseUrl } from '../transfer/vcloud/connection';

/** Every ovfkit secret key starts with one of these. */
export const CREDENTIAL_KEY_PREFIXES = ['ovfkit.vcloud:', 'ovfkit.vcloud.apiToken:', 'ovfkit.ftps:'] as const;

export function vcloudSecretKey(login: { byToken: boolean; user: string; org: string; url: string }): string {
  const base = normaliseBaseUrl(login.url);
  return login.byToken ? `ovfkit.vcloud.apiToken:${login.org}@${base}` : `ovfkit.vcloud:${login.user}@${login.org}@${base}`;
}

export function ftpsSecretKey(user: string, host: string): string {
  return `ovfkit.ftps:${user}@${host}`;
}

export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY_PREFIXES.some((p) => key.startsWith(p));
}
