// Where an FTPS command connects: the region (from `ovfkit.ftps.regions`), or an explicit host,
// port and TLS mode from settings; the user name (asked once, remembered in settings) and the
// password (asked once, kept in SecretStorage, never in settings or the log).
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { ftpsSecretKey, rememberCredential } from './credentialKeys';
import { describeTransferProgress, FtpsEndpoint, FtpsLoginError, KNOWN_STAGING_REGIONS, ProgressListener, StagingRegion } from '../transfer/ftps';

/** Arguments shared by the FTPS commands, for automation and tests; anything missing is asked. */
export interface FtpsConnectOptions {
  /** Region id or name from `ovfkit.ftps.regions`. */
  region?: string;
  /** A host instead of a region. */
  host?: string;
  port?: number;
  implicit?: boolean;
  /** Active data connections instead of passive. */
  active?: boolean;
  user?: string;
  password?: string;
  caFile?: string;
  remoteDir?: string;
}

export interface ChosenEndpoint {
  endpoint: FtpsEndpoint;
  remoteDir?: string;
  retries: number;
  /** SecretStorage key the password came from or should go to (none when it was an argument). */
  secretKey?: string;
}

export async function chooseFtpsEndpoint(services: ExtensionServices, title: string, options: FtpsConnectOptions, scope?: vscode.Uri): Promise<ChosenEndpoint | undefined> {
  const config = vscode.workspace.getConfiguration('ovfkit.ftps', scope);
  const host = options.host ?? config.get<string>('host', '').trim() ?? '';
  let chosenHost = host;
  if (!chosenHost) {
    const regions = config.get<StagingRegion[]>('regions', [...KNOWN_STAGING_REGIONS]).filter((r) => r && r.host);
    const wanted = (options.region ?? config.get<string>('region', '')).trim().toLowerCase();
    let region = regions.find((r) => r.id.toLowerCase() === wanted || r.name?.toLowerCase() === wanted);
    if (!region) {
      const picked = await vscode.window.showQuickPick(
        regions.map((r) => ({ label: r.name || r.id, description: r.host, region: r })),
        { title, placeHolder: 'Staging area of which geographic region?' },
      );
      if (!picked) return undefined;
      region = picked.region;
      await config.update('region', region.id, vscode.ConfigurationTarget.Global);
    }
    chosenHost = region.host;
  }
  const implicit = options.implicit ?? config.get<string>('tls', 'explicit') === 'implicit';
  const active = options.active ?? config.get<string>('dataConnection', 'passive') === 'active';
  const portSetting = config.get<number>('port', 0);
  const port = options.port ?? (portSetting > 0 ? portSetting : undefined);

  let user = options.user ?? config.get<string>('user', '').trim();
  if (!user) {
    user = (await vscode.window.showInputBox({ title, prompt: `User name for ${chosenHost} (your CloudControl user, case-sensitive)`, ignoreFocusOut: true }))?.trim() ?? '';
    if (!user) return undefined;
    await config.update('user', user, vscode.ConfigurationTarget.Global);
  }
  const secretKey = ftpsSecretKey(user, chosenHost);
  let password = options.password ?? (await services.context.secrets.get(secretKey));
  if (!password) {
    password = await vscode.window.showInputBox({ title, prompt: `Password of ${user} on ${chosenHost} (kept in VS Code's secret storage)`, password: true, ignoreFocusOut: true });
    if (!password) return undefined;
  }
  services.log.redact(password);
  const caFile = options.caFile ?? (config.get<string>('caFile', '').trim() || undefined);
  return {
    endpoint: { host: chosenHost, port, implicit, active, user, password, caFile },
    remoteDir: options.remoteDir ?? (config.get<string>('remoteDir', '').trim() || undefined),
    retries: Math.max(1, config.get<number>('retries', 5)),
    secretKey: options.password ? undefined : secretKey,
  };
}

/** Keeps the password once the server has accepted it; forgets one it refused. */
export async function settlePassword(services: ExtensionServices, chosen: ChosenEndpoint, failure?: unknown): Promise<void> {
  if (!chosen.secretKey) return;
  const reason = (failure as { reason?: unknown } | undefined)?.reason ?? failure;
  if (reason instanceof FtpsLoginError) await services.context.secrets.delete(chosen.secretKey);
  else await rememberCredential(services.context, chosen.secretKey, chosen.endpoint.password);
}

export function showFailure(services: ExtensionServices, title: string, message: string): void {
  services.log.error(`${title}: ${message}`);
  void vscode.window.showErrorMessage(`${title}: ${message}`, 'Show Log').then((c) => c && services.log.show());
}

/** A transfer's onProgress that drives a VS Code progress notification: the line, and the bar. */
export function notificationProgress(progress: vscode.Progress<{ message?: string; increment?: number }>): ProgressListener {
  let shown = 0;
  return (p) => {
    const percent = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0;
    progress.report({ message: describeTransferProgress(p), increment: Math.max(0, percent - shown) });
    shown = Math.max(shown, percent);
  };
}
