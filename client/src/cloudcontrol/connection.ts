// Where the CloudControl commands and view connect: the CaaS API host (setting, or the staging
// region's) and the FTPS staging area, with one login for both (the staging user and the password
// kept in SecretStorage under the staging host). Nothing is remembered until the API accepted the
// login; a password the API refuses (401) is forgotten. With nothing configured, the built-in
// simulator is offered, and once chosen it stays the connection of this window.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { ChosenEndpoint, chooseFtpsEndpoint, FtpsConnectOptions, settleChoices } from '../commands/ftpsEndpoint';
import { CLOUDCONTROL_REGIONS, checkApiHost, checkApiVersion, CloudControlClient, CloudControlEndpoint, CloudControlError, DEFAULT_API_VERSION, DEFAULT_WAIT_TIMEOUT_MS } from '../transfer/cloudcontrol';
import { showCloudControlFailure } from './failureMessage';
import { cloudControlFailureText } from './failureText';
import { embeddedCloudControlSimulator } from './simulator';

/** Arguments for automation and tests; anything missing comes from settings or is asked. */
export interface CloudControlConnectOptions {
  /** Use the built-in simulator. */
  simulator?: boolean;
  apiHost?: string;
  apiVersion?: string;
  caFile?: string;
  /** The staging area (its user and password are the API's too). */
  ftps?: FtpsConnectOptions;
  /** Milliseconds between status polls (default: ovfkit.cloudcontrol.pollSeconds; 1 s on the simulator). */
  pollMs?: number;
}

export interface CloudControlConnection {
  api: CloudControlEndpoint;
  /** Complete FTPS options (host, port, user, password, CA) for the staging commands. */
  ftps: FtpsConnectOptions;
  simulator: boolean;
  pollMs?: number;
  timeoutMs: number;
  /** How the staging login was chosen, to remember or forget it once the API answered. */
  chosen?: ChosenEndpoint;
  /** An API host the user typed, saved once the login worked. */
  askedApiHost?: string;
}

const SIMULATOR_POLL_MS = 1000;
let simulatorChosen = false;

export function usingSimulator(): boolean {
  return simulatorChosen;
}

/** True when a region, host or API host is set: the user has pointed ovfkit at a CloudControl. */
function configured(): boolean {
  const ftps = vscode.workspace.getConfiguration('ovfkit.ftps');
  const cc = vscode.workspace.getConfiguration('ovfkit.cloudcontrol');
  return [ftps.get<string>('host', ''), ftps.get<string>('region', ''), cc.get<string>('apiHost', '')].some((v) => (v ?? '').trim() !== '');
}

/** The poll interval: an argument, else the setting (a hand-edited bad value falls back to the client's 15 s). */
function pollMs(given: number | undefined): number | undefined {
  if (given !== undefined) return given;
  const seconds = vscode.workspace.getConfiguration('ovfkit.cloudcontrol').get<unknown>('pollSeconds');
  return typeof seconds === 'number' && seconds >= 1 ? seconds * 1000 : undefined;
}

function timeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration('ovfkit.cloudcontrol').get<unknown>('timeoutSeconds');
  return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : DEFAULT_WAIT_TIMEOUT_MS;
}

/**
 * Resolves a connection. `quiet` asks nothing (undefined when something is missing): the view uses
 * it so that opening the explorer never prompts.
 */
export async function resolveConnection(services: ExtensionServices, title: string, options: CloudControlConnectOptions = {}, quiet = false): Promise<CloudControlConnection | undefined> {
  try {
    return await resolve(services, title, options, quiet);
  } catch (err) {
    // A bad setting (API version, host) or a simulator that would not start.
    if (quiet) services.log.warn(`CloudControl view: ${cloudControlFailureText(err)}`);
    else showCloudControlFailure(services, title, err);
    return undefined;
  }
}

async function resolve(services: ExtensionServices, title: string, options: CloudControlConnectOptions, quiet: boolean): Promise<CloudControlConnection | undefined> {
  const wantSimulator = options.simulator ?? (simulatorChosen && !options.apiHost && !options.ftps);
  if (wantSimulator) return simulatorConnection(services, options);
  if (!quiet && !options.apiHost && !options.ftps && !configured()) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Sign in to CloudControl', description: 'pick the staging region; the login is your CloudControl user', id: 'account' },
        { label: 'Use the built-in simulator', description: 'try import and export without an account: a local CloudControl API and staging area', id: 'simulator' },
      ],
      { title, placeHolder: 'Connect to which CloudControl?' },
    );
    if (!picked) return undefined;
    if (picked.id === 'simulator') return simulatorConnection(services, options);
  }
  const config = vscode.workspace.getConfiguration('ovfkit.cloudcontrol');
  const chosen = await chooseFtpsEndpoint(services, title, { ...options.ftps, noPrompt: quiet });
  if (!chosen) return undefined;
  let apiHost = options.apiHost ?? (config.get<string>('apiHost', '').trim() || undefined);
  let askedApiHost: string | undefined;
  if (!apiHost) apiHost = CLOUDCONTROL_REGIONS.find((r) => r.ftpsHost === chosen.endpoint.host)?.apiHost;
  if (!apiHost) {
    if (quiet) return undefined;
    apiHost = (await vscode.window.showInputBox({
      title,
      prompt: `CloudControl API host for the staging host ${chosen.endpoint.host} (host or host:port; HTTPS)`,
      placeHolder: 'api-na.mcp-services.net',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          checkApiHost(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    }))?.trim();
    if (!apiHost) return undefined;
    askedApiHost = apiHost;
  }
  const api: CloudControlEndpoint = {
    apiHost,
    apiVersion: checkApiVersion(options.apiVersion ?? config.get<string>('apiVersion', DEFAULT_API_VERSION) ?? DEFAULT_API_VERSION),
    user: chosen.endpoint.user,
    password: chosen.endpoint.password,
    caFile: options.caFile ?? (config.get<string>('caFile', '').trim() || undefined),
  };
  const e = chosen.endpoint;
  const ftps: FtpsConnectOptions = { host: e.host, port: e.port, implicit: e.implicit, active: e.active, user: e.user, password: e.password, caFile: e.caFile, remoteDir: chosen.remoteDir };
  return { api, ftps, simulator: false, pollMs: pollMs(options.pollMs), timeoutMs: timeoutMs(), chosen, askedApiHost };
}

async function simulatorConnection(services: ExtensionServices, options: CloudControlConnectOptions): Promise<CloudControlConnection> {
  const sim = await embeddedCloudControlSimulator(services);
  simulatorChosen = true;
  services.log.redact(sim.password);
  return {
    api: { apiHost: sim.apiHost, user: sim.user, password: sim.password, caFile: sim.caFile },
    ftps: { host: sim.ftps.host, port: sim.ftps.port, implicit: false, user: sim.user, password: sim.password, caFile: sim.caFile },
    simulator: true,
    pollMs: options.pollMs ?? SIMULATOR_POLL_MS,
    timeoutMs: timeoutMs(),
  };
}

/**
 * Logs in to the API, runs `work`, closes. The first accepted login stores the password and the
 * answers given; a refused one (401) forgets the stored password so the next command asks again.
 */
export async function withClient<T>(services: ExtensionServices, conn: CloudControlConnection, work: (client: CloudControlClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
  let client: CloudControlClient;
  try {
    client = await CloudControlClient.connect({ ...conn.api, signal });
  } catch (err) {
    if (err instanceof CloudControlError && err.kind === 'auth' && conn.chosen?.secretKey) await services.context.secrets.delete(conn.chosen.secretKey);
    throw err;
  }
  // Stored once: the view re-reads every few seconds while busy and must not rewrite the secret each time.
  const chosen = conn.chosen;
  const unsaved = chosen && (chosen.pending.length > 0 || (chosen.secretKey !== undefined && (await services.context.secrets.get(chosen.secretKey)) !== chosen.endpoint.password));
  if (chosen && unsaved) await settleChoices(services, chosen, true);
  if (conn.askedApiHost) {
    await vscode.workspace.getConfiguration('ovfkit.cloudcontrol').update('apiHost', conn.askedApiHost, vscode.ConfigurationTarget.Global);
    conn.askedApiHost = undefined;
  }
  try {
    return await work(client);
  } finally {
    client.close();
  }
}
