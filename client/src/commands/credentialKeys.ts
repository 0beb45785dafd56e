// The SecretStorage keys ovfkit keeps passwords and tokens under, and where they are stored. One
// place, so the upload commands that store them and *Forget Stored Credentials* that deletes them
// agree. SecretStorage cannot list its keys (VS Code 1.91): each key stored is noted in globalState.
import type * as vscode from 'vscode';
import { normaliseBaseUrl } from '../transfer/vcloud/connection';

/** globalState key: the SecretStorage keys ovfkit has stored a credential under. */
export const STORED_KEYS = 'ovfkit.storedCredentialKeys';

export function vcloudSecretKey(login: { byToken: boolean; user: string; org: string; url: string }): string {
  const base = normaliseBaseUrl(login.url);
  return login.byToken ? `ovfkit.vcloud.apiToken:${login.org}@${base}` : `ovfkit.vcloud:${login.user}@${login.org}@${base}`;
}

export function ftpsSecretKey(user: string, host: string): string {
  return `ovfkit.ftps:${user}@${host}`;
}

/** Stores a credential and notes its key, so it can be forgotten even when no setting names it. */
export async function rememberCredential(context: vscode.ExtensionContext, key: string, secret: string): Promise<void> {
  await context.secrets.store(key, secret);
  const noted = context.globalState.get<string[]>(STORED_KEYS, []);
  if (!noted.includes(key)) await context.globalState.update(STORED_KEYS, [...noted, key]);
}
