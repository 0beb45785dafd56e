// ovfkit: Forget Stored Credentials. Deletes every vCloud password or API token and every FTPS
// password ovfkit kept in VS Code's secret storage: the keys noted when they were stored
// (credentialKeys.ts), and the keys today's settings name (stored before keys were noted).
import * as vscode from 'vscode';
import { KNOWN_STAGING_REGIONS, StagingRegion } from '../transfer/ftps';
import type { ExtensionServices } from '../extension';
import { ftpsSecretKey, STORED_KEYS, vcloudSecretKey } from './credentialKeys';

export interface ForgetOptions {
  /** Skip the confirmation (tests, automation). */
  confirm?: boolean;
}

export function registerForgetCredentials(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('ovfkit.forgetCredentials', (options?: ForgetOptions) => forgetCredentialsCommand(services, options ?? {})),
  );
}

/** The keys that may hold an ovfkit credential: every one noted, plus those the settings name. */
function candidateKeys(services: ExtensionServices): string[] {
  const keys = new Set(services.context.globalState.get<string[]>(STORED_KEYS, []));
  const vcloud = vscode.workspace.getConfiguration('ovfkit.vcloud');
  const [url, org, user] = ['url', 'org', 'user'].map((k) => vcloud.get<string>(k, '').trim());
  if (url && org) {
    keys.add(vcloudSecretKey({ byToken: true, user, org, url }));
    if (user) keys.add(vcloudSecretKey({ byToken: false, user, org, url }));
  }
  const ftps = vscode.workspace.getConfiguration('ovfkit.ftps');
  const ftpsUser = ftps.get<string>('user', '').trim();
  if (ftpsUser) {
    const hosts = [ftps.get<string>('host', '').trim(), ...ftps.get<StagingRegion[]>('regions', [...KNOWN_STAGING_REGIONS]).map((r) => r?.host)];
    for (const host of hosts) if (host) keys.add(ftpsSecretKey(ftpsUser, host));
  }
  return [...keys];
}

/** Resolves to the keys deleted (undefined when the user said no). */
export async function forgetCredentialsCommand(services: ExtensionServices, options: ForgetOptions): Promise<string[] | undefined> {
  const { secrets, globalState } = services.context;
  const stored: string[] = [];
  for (const key of candidateKeys(services)) if (await secrets.get(key)) stored.push(key);
  if (stored.length === 0) {
    await globalState.update(STORED_KEYS, []);
    void vscode.window.showInformationMessage('ovfkit keeps no vCloud or FTPS credentials.');
    return [];
  }
  // Name the logins, never the secrets.
  const logins = stored.map((k) => k.replace(/^ovfkit\.(vcloud\.apiToken|vcloud|ftps):/, (_, kind: string) => `${kind === 'ftps' ? 'FTPS' : kind === 'vcloud' ? 'vCloud' : 'vCloud API token'} `));
  if (options.confirm !== false) {
    const forget = 'Forget';
    const answer = await vscode.window.showWarningMessage(
      `Forget ${stored.length} stored credential${stored.length === 1 ? '' : 's'}? The next upload asks again.`,
      { modal: true, detail: logins.join('\n') },
      forget,
    );
    if (answer !== forget) return undefined;
  }
  for (const key of stored) await secrets.delete(key);
  await globalState.update(STORED_KEYS, []);
  services.log.info(`forgot ${stored.length} stored credential(s): ${logins.join(', ')}`);
  void vscode.window.showInformationMessage(`Forgot ${stored.length} stored credential${stored.length === 1 ? '' : 's'}.`);
  return stored;
}
