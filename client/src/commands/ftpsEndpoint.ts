// Where an FTPS command connects: the region (from `ovfkit.ftps.regions`), or an explicit host,
// port and TLS mode from settings; the user name (asked once, remembered in settings) and the
// password (asked once, kept in SecretStorage, never in settings or the log). What was asked is
// saved only once the server has accepted the login: a mistyped region or user is not remembered.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import {
  DEFAULT_FTPS_TIMEOUT_SECONDS,
  DEFAULT_MIN_BYTES_PER_SECOND,
  FtpsEndpoint,
  FtpsLoginError,
  KNOWN_STAGING_REGIONS,
  StagingRegion,
} from '../transfer/ftps';
import { showTransferFailure } from './transferFailure';
import { ftpsSecretKey, rememberCredential } from './credentialKeys';
import { DEFAULT_PARALLEL, parallelSetting } from '../transfer/common/parallel';

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
  /** Ask nothing: undefined when a region, user or password would have to be asked (the CloudControl view). */
  noPrompt?: boolean;
}

export interface ChosenEndpoint {
  endpoint: FtpsEndpoint;
  remoteDir?: string;
  retries: number;
  /** Files at once (ovfkit.ftps.parallel, 1..8). */
  parallel: number;
  /** SecretStorage key the password came from or should go to (none when it was an argument). */
  secretKey?: string;
  /** The host is a region's (so Change Region can fix a wrong one), not ovfkit.ftps.host. */
  fromRegion: boolean;
  /** Answers to save in user settings once a login has worked. */
  pending: { key: string; value: string }[];
}

export async function chooseFtpsEndpoint(services: ExtensionServices, title: string, options: FtpsConnectOptions, scope?: vscode.Uri): Promise<ChosenEndpoint | undefined> {
  const config = vscode.workspace.getConfiguration('ovfkit.ftps', scope);
  const host = options.host ?? config.get<string>('host', '').trim() ?? '';
  let chosenHost = host;
  const pending: ChosenEndpoint['pending'] = [];
  if (!chosenHost) {
    const regions = config.get<StagingRegion[]>('regions', [...KNOWN_STAGING_REGIONS]).filter((r) => r && r.host);
    const wanted = (options.region ?? config.get<string>('region', '')).trim().toLowerCase();
    let region = regions.find((r) => r.id.toLowerCase() === wanted || r.name?.toLowerCase() === wanted);
    if (!region) {
      if (options.noPrompt) return undefined;
      const picked = await vscode.window.showQuickPick(
        regions.map((r) => ({ label: r.name || r.id, description: r.host, region: r })),
        { title, placeHolder: 'Staging area of which geographic region?' },
      );
      if (!picked) return undefined;
      region = picked.region;
      pending.push({ key: 'region', value: region.id });
    }
    chosenHost = region.host;
  }
  const implicit = options.implicit ?? config.get<string>('tls', 'explicit') === 'implicit';
  const active = options.active ?? config.get<string>('dataConnection', 'passive') === 'active';
  const portSetting = config.get<number>('port', 0);
  const port = options.port ?? (portSetting > 0 ? portSetting : undefined);

  let user = options.user ?? config.get<string>('user', '').trim();
  if (!user) {
    if (options.noPrompt) return undefined;
    user = (await vscode.window.showInputBox({ title, prompt: `User name for ${chosenHost} (your CloudControl user, case-sensitive)`, ignoreFocusOut: true }))?.trim() ?? '';
    if (!user) return undefined;
    pending.push({ key: 'user', value: user });
  }
  const secretKey = ftpsSecretKey(user, chosenHost);
  let password = options.password ?? (await services.context.secrets.get(secretKey));
  if (!password) {
    if (options.noPrompt) return undefined;
    password = await vscode.window.showInputBox({ title, prompt: `Password of ${user} on ${chosenHost} (kept in VS Code's secret storage)`, password: true, ignoreFocusOut: true });
    if (!password) return undefined;
  }
  services.log.redact(password);
  const caFile = options.caFile ?? (config.get<string>('caFile', '').trim() || undefined);
  // A hand-edited value of the wrong type falls back to the default instead of disabling a deadline.
  const timeout = config.get<unknown>('timeoutSeconds');
  const minRate = config.get<unknown>('minBytesPerSecond');
  const limits = {
    timeoutSeconds: typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_FTPS_TIMEOUT_SECONDS,
    minBytesPerSecond: typeof minRate === 'number' && minRate >= 0 ? minRate : DEFAULT_MIN_BYTES_PER_SECOND,
  };
  return {
    endpoint: { host: chosenHost, port, implicit, active, user, password, caFile, limits },
    remoteDir: options.remoteDir ?? (config.get<string>('remoteDir', '').trim() || undefined),
    retries: Math.max(1, config.get<number>('retries', 5)),
    parallel: parallelSetting(config.get<unknown>('parallel', DEFAULT_PARALLEL)),
    secretKey: options.password ? undefined : secretKey,
    fromRegion: !host,
    pending,
  };
}

/**
 * After a command: once the server accepted the login, the password goes to SecretStorage and the
 * answers to settings; before that, nothing is saved, and a password the server refused is forgotten.
 */
export async function settleChoices(services: ExtensionServices, chosen: ChosenEndpoint, loggedIn: boolean, failure?: unknown): Promise<void> {
  if (loggedIn) {
    if (chosen.secretKey) await rememberCredential(services.context, chosen.secretKey, chosen.endpoint.password);
    const config = vscode.workspace.getConfiguration('ovfkit.ftps');
    for (const { key, value } of chosen.pending.splice(0)) await config.update(key, value, vscode.ConfigurationTarget.Global);
    return;
  }
  const reason = (failure as { reason?: unknown } | undefined)?.reason ?? failure;
  if (chosen.secretKey && reason instanceof FtpsLoginError) await services.context.secrets.delete(chosen.secretKey);
}

/** A failed FTPS command in plain words, with the buttons that fix its cause. */
export function showFtpsFailure(services: ExtensionServices, title: string, err: unknown, chosen: ChosenEndpoint, descriptor?: vscode.Uri): void {
  showTransferFailure(services, title, err, { protocol: 'ftps', host: chosen.endpoint.host, port: chosen.endpoint.port, fromRegion: chosen.fromRegion, descriptor });
}

export function showFailure(services: ExtensionServices, title: string, message: string): void {
  services.log.error(`${title}: ${message}`);
  void vscode.window.showErrorMessage(`${title}: ${message}`, 'Show Log').then((c) => c && services.log.show());
}
