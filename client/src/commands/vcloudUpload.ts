// ovfkit: Upload Package to vCloud Director. Checks the package against the vCloud target before
// asking anything (blockers stop it, other errors need the user's go-ahead) and shows the VM names
// vCloud will give; then asks for what is missing (endpoint, organisation, user, password, catalog
// or VDC, template name), remembers the non-secret answers in settings and the password in
// SecretStorage once a login has worked, and uploads with a cancellable progress notification,
// each file checked against the manifest as it goes. An interrupted upload is recorded beside the
// descriptor, in the same record the CLI keeps, so the next run of either can resume it.
import { readCaFile } from '../transfer/common/trust';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  cancelVcloudUpload,
  findRecordedUpload,
  ConnectOptions,
  defaultTemplateName,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  describeProgress,
  newUploadRecord,
  recordPathBeside,
  removeUploadRecord,
  uploadToVcloud,
  VcloudAuthError,
  VcloudCancelledError,
  VcloudConnection,
  VcloudManifestMismatchError,
  VcloudTaskError,
  VcloudUploadResult,
  writeUploadRecord,
} from '../transfer/vcloud';
import { planUpload } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { ensureSaved, pickUploadSource } from './manifestTarget';
import { hostOfUrl } from '../transfer/common/transferFailure';
import { showTransferFailure } from './transferFailure';
import { notificationProgress } from './transferProgress';
import { confirmUploadReadiness, editorValidationSettings } from './uploadReadinessPrompt';
import { embeddedSimulator } from './vcloudSimulator';
import { rememberCredential, vcloudSecretKey } from './credentialKeys';
import { DEFAULT_PARALLEL, parallelSetting } from '../transfer/common/parallel';

const TITLE = 'Upload to vCloud Director';

/** Arguments for automation and tests; the command prompts only for what is missing. */
export interface UploadVcloudOptions {
  url?: string;
  org?: string;
  user?: string;
  /** The password; otherwise SecretStorage, otherwise a prompt. */
  password?: string;
  /** An API token instead of a password (also chosen by the ovfkit.vcloud.authentication setting). */
  apiToken?: string;
  /** Upload to the built-in simulator (what the URL prompt offers when no vCloud is configured). */
  simulator?: boolean;
  catalog?: string;
  vdc?: string;
  name?: string;
  description?: string;
  /** Upload even though the descriptor has errors vCloud may accept (otherwise the user is asked); blockers still stop it. */
  force?: boolean;
  /** An interrupted upload of this package is recorded: true continues it, false starts anew (otherwise asked). */
  resume?: boolean;
  /** After the user cancels: keep the upload resumable, or cancel it on the server (otherwise asked). */
  afterCancel?: 'keep' | 'discard';
}

interface Endpoint extends ConnectOptions {
  /** SecretStorage key of the password, when it came from there or should go there. */
  secretKey?: string;
  simulator: boolean;
  /** Answers to save in user settings once a login has worked. */
  pending: { key: string; value: string }[];
}

export async function uploadVcloudCommand(services: ExtensionServices, uri?: vscode.Uri | string, options: UploadVcloudOptions = {}): Promise<VcloudUploadResult | undefined> {
  const descriptor = await pickUploadSource(uri, TITLE);
  if (!descriptor || !(await ensureSaved(descriptor, TITLE))) return undefined;
  const descriptorPath = descriptor.fsPath;
  const log = services.log;
  const config = vscode.workspace.getConfiguration('ovfkit.vcloud', descriptor);

  // Before any question: what stops the upload, and what needs a go-ahead.
  if (!(await preflight(services, descriptor, options))) return undefined;

  let endpoint: Endpoint | undefined;
  try {
    endpoint = await chooseEndpoint(services, config, options);
  } catch (err) {
    return fail(services, err, undefined, descriptor);
  }
  if (!endpoint) return undefined;
  log.redact(endpoint.password);
  log.redact(endpoint.apiToken);

  // An interrupted upload of the same package to the same place can be continued.
  const recordFile = recordPathBeside(descriptorPath);
  const recorded = await findRecordedUpload(recordFile, { url: endpoint.url, org: endpoint.org, descriptorPath });
  let resumeTemplateHref: string | undefined;
  if (recorded && !recorded.whyNot) {
    const record = recorded.record;
    const resume = options.resume ?? (await askResume(record.templateName, record.startedAt));
    if (resume === undefined) return undefined;
    if (resume) resumeTemplateHref = record.templateHref;
  }

  let target: { catalog?: string; vdc?: string } | undefined;
  let name: string | undefined;
  let description: string | undefined;
  if (!resumeTemplateHref) {
    try {
      target = await chooseTarget(services, config, endpoint, options);
    } catch (err) {
      return fail(services, err, endpoint, descriptor);
    }
    if (!target) return undefined;
    name = options.name ?? (await vscode.window.showInputBox({ title: TITLE, prompt: 'Template name', value: defaultTemplateName(descriptorPath), validateInput: (v) => (v.trim() ? undefined : 'A name is required') }));
    if (!name) return undefined;
    description = options.description ?? (await vscode.window.showInputBox({ title: TITLE, prompt: 'Template description (optional)', value: '' }));
    if (description === undefined) return undefined;
  }

  const controller = new AbortController();
  const chunkSize = config.get<number>('chunkSize', DEFAULT_CHUNK_SIZE);
  const logRequests = config.get<boolean>('logRequests', false);
  log.info(`${resumeTemplateHref ? 'resuming' : 'starting'} the upload of ${descriptorPath} to ${endpoint.url} (organisation ${endpoint.org}, user ${endpoint.user})`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${TITLE}: ${path.basename(descriptorPath)}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return uploadToVcloud({
          ...endpoint!,
          descriptorPath,
          ...target,
          name,
          description,
          chunkSize,
          parallel: parallelSetting(config.get<unknown>('parallel', DEFAULT_PARALLEL)),
          linkTimeoutSeconds: config.get<number>('linkTimeoutSeconds', 300),
          taskTimeoutSeconds: config.get<number>('taskTimeoutSeconds', 3600),
          resumeTemplateHref,
          signal: controller.signal,
          onLoggedIn: () => rememberChoices(services, config, endpoint!),
          onRequest: logRequests ? (line) => log.info(line) : undefined,
          onNotice: (m) => log.info(m),
          onTemplateCreated: async (templateHref, templateName) => {
            log.info(`template '${templateName}' created: ${templateHref}`);
            await writeUploadRecord(recordFile, await newUploadRecord({ url: endpoint!.url, org: endpoint!.org, user: endpoint!.user, templateHref, templateName, descriptorPath }));
          },
          onProgress: notificationProgress(progress, describeProgress),
        });
      },
    );
    await removeUploadRecord(recordFile);
    log.info(`template '${result.templateName}' is ready (status ${result.status}): ${result.templateHref}; VMs: ${result.vmNames.join(', ') || 'none'}; ${result.bytesSentThisAttempt} bytes sent in ${result.seconds.toFixed(1)} s`);
    void vscode.window.showInformationMessage(`vCloud template '${result.templateName}' is ready${result.vmNames.length ? ` (VMs: ${result.vmNames.join(', ')})` : ''}.`);
    return result;
  } catch (err) {
    if (err instanceof VcloudCancelledError) return afterCancel(services, endpoint, recordFile, err, options);
    // The server gave up on it, or the client cancelled it there (a file differs from the manifest the server holds).
    if (err instanceof VcloudTaskError || err instanceof VcloudManifestMismatchError) await removeUploadRecord(recordFile);
    return fail(services, err, endpoint, descriptor);
  }
}

async function chooseEndpoint(services: ExtensionServices, config: vscode.WorkspaceConfiguration, options: UploadVcloudOptions): Promise<Endpoint | undefined> {
  const pending: Endpoint['pending'] = [];
  const useSimulatorLabel = 'Use the built-in simulator';
  let url = options.simulator ? undefined : options.url ?? config.get<string>('url', '').trim();
  if (!options.simulator && !url) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Enter the URL of a vCloud Director…', id: 'enter' },
        { label: useSimulatorLabel, description: 'try the upload without a vCloud: a local transfer-service simulator', id: 'simulator' },
      ],
      { title: TITLE, placeHolder: 'No vCloud endpoint is configured (ovfkit.vcloud.url)' },
    );
    if (!picked) return undefined;
    if (picked.id === 'enter') {
      url = (await vscode.window.showInputBox({ title: TITLE, prompt: 'vCloud Director URL', placeHolder: 'https://vcloud.example.com', validateInput: (v) => (/^https:\/\/[^/]+/.test(v.trim()) ? undefined : 'An https:// URL') }))?.trim();
      if (!url) return undefined;
      pending.push({ key: 'url', value: url });
    }
  }
  if (!url) {
    const sim = await embeddedSimulator(services);
    return { url: sim.url, org: sim.org.name, user: sim.user, password: sim.password, caFile: sim.caFile, simulator: true, pending: [] };
  }
  const org = options.org ?? (await settingOrAsk(config, 'org', 'Organisation', pending));
  if (!org) return undefined;
  const byToken = options.apiToken !== undefined || (options.password === undefined && config.get<string>('authentication', 'password') === 'apiToken');
  const user = options.user ?? (byToken ? config.get<string>('user', '').trim() : await settingOrAsk(config, 'user', `User in ${org} (without @${org})`, pending));
  if (user === undefined) return undefined;
  const secretKey = vcloudSecretKey({ byToken, user, org, url });
  const given = byToken ? options.apiToken : options.password;
  let secret = given ?? (await services.context.secrets.get(secretKey));
  if (!secret) {
    const prompt = byToken ? `API token for organisation ${org} (kept in VS Code's secret storage)` : `Password of ${user}@${org} (kept in VS Code's secret storage)`;
    secret = await vscode.window.showInputBox({ title: TITLE, prompt, password: true, ignoreFocusOut: true });
    if (!secret) return undefined;
  }
  const caFile = config.get<string>('caFile', '').trim() || undefined;
  // Checked here so that the message names the setting; the transfer reads it again.
  await readCaFile(caFile, (message) => new Error(`ovfkit.vcloud.caFile: ${message}`));
  return {
    url,
    org,
    user,
    ...(byToken ? { apiToken: secret } : { password: secret }),
    caFile,
    secretKey: given ? undefined : secretKey,
    simulator: false,
    pending,
    allowedHosts: stringList(config.get<unknown>('allowedHosts', [])),
    requestTimeoutMs: positiveOr(config.get<unknown>('requestTimeoutSeconds'), DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000,
  };
}

/** A hand-edited setting of the wrong type falls back to the default instead of disabling a safeguard. */
function positiveOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : fallback;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A setting's value, or the user's answer (saved only after a login works: see rememberChoices). */
async function settingOrAsk(config: vscode.WorkspaceConfiguration, key: string, prompt: string, pending: Endpoint['pending']): Promise<string | undefined> {
  const value = config.get<string>(key, '').trim();
  if (value) return value;
  const answer = (await vscode.window.showInputBox({ title: TITLE, prompt, ignoreFocusOut: true }))?.trim();
  if (answer) pending.push({ key, value: answer });
  return answer || undefined;
}

/** Once the server accepted the login: the password to SecretStorage, the answers to settings. */
async function rememberChoices(services: ExtensionServices, config: vscode.WorkspaceConfiguration, endpoint: Endpoint): Promise<void> {
  const secret = endpoint.apiToken ?? endpoint.password;
  if (endpoint.secretKey && secret) await rememberCredential(services.context, endpoint.secretKey, secret);
  for (const { key, value } of endpoint.pending.splice(0)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

async function askResume(templateName: string, startedAt: string): Promise<boolean | undefined> {
  const resume = 'Resume';
  const fresh = 'Start a New Upload';
  const answer = await vscode.window.showInformationMessage(
    `An upload of this package to vCloud was interrupted (template '${templateName}', started ${new Date(startedAt).toLocaleString()}). Resume it?`,
    { modal: true },
    resume,
    fresh,
  );
  return answer === resume ? true : answer === fresh ? false : undefined;
}

/** The package's readiness for vCloud (blockers stop it, other errors need a go-ahead); shows the VM renames. */
async function preflight(services: ExtensionServices, descriptor: vscode.Uri, options: UploadVcloudOptions): Promise<boolean> {
  const result = await planUpload(descriptor.fsPath, 'vcloud', { settings: editorValidationSettings(descriptor, services.datacenters.all()) });
  if (!(await confirmUploadReadiness(services, result.readiness, descriptor, options.force === true))) return false;
  if (result.renames.length) {
    const list = result.renames.map((r) => `${r.id} → ${r.name}`).join(', ');
    services.log.info(`vCloud will rename VMs: ${list}`);
    void vscode.window.showInformationMessage(`vCloud will name the VMs: ${list} (ids over 13 characters are shortened).`);
  }
  return true;
}

/** Catalog (or VDC, for the older upload form): argument, setting, or picked from the organisation's list. */
async function chooseTarget(services: ExtensionServices, config: vscode.WorkspaceConfiguration, endpoint: Endpoint, options: UploadVcloudOptions): Promise<{ catalog?: string; vdc?: string } | undefined> {
  if (options.catalog || options.vdc) return { catalog: options.catalog, vdc: options.vdc };
  if (!endpoint.simulator) {
    const catalog = config.get<string>('catalog', '').trim();
    const vdc = config.get<string>('vdc', '').trim();
    if (catalog || vdc) return catalog ? { catalog } : { vdc };
  }
  const connection = await VcloudConnection.login(endpoint);
  let items: (vscode.QuickPickItem & { catalog?: string; vdc?: string })[];
  try {
    const { catalogs, vdcs } = await connection.listUploadTargets();
    items = [
      ...catalogs.map((c) => ({ label: c.name, description: 'catalog', catalog: c.name })),
      ...vdcs.map((v) => ({ label: v.name, description: `VDC (uploadVAppTemplate form, API ${connection.apiVersion})`, vdc: v.name })),
    ];
  } finally {
    await connection.logout();
  }
  await rememberChoices(services, config, endpoint);
  if (!items.length) throw new Error(`organisation '${endpoint.org}' has no catalog or VDC this user can see`);
  const picked = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: `Where should the template go? (API ${connection.apiVersion})` });
  if (!picked) return undefined;
  if (!endpoint.simulator) await config.update(picked.catalog ? 'catalog' : 'vdc', picked.catalog ?? picked.vdc, vscode.ConfigurationTarget.Global);
  return picked.catalog ? { catalog: picked.catalog } : { vdc: picked.vdc };
}

async function afterCancel(services: ExtensionServices, endpoint: Endpoint, recordFile: string, err: VcloudCancelledError, options: UploadVcloudOptions): Promise<undefined> {
  services.log.info(`upload cancelled${err.templateHref ? ` (template ${err.templateHref})` : ''}`);
  if (!err.templateHref) return undefined;
  const keep = 'Keep to Resume Later';
  const discard = 'Cancel on Server';
  const choice =
    options.afterCancel ??
    ((await vscode.window.showInformationMessage('Upload cancelled. Keep the partial upload to resume it later, or cancel it on the server?', keep, discard)) === discard ? 'discard' : 'keep');
  if (choice === 'keep') {
    services.log.info('the partial upload is kept; run the command again on the same package to resume it');
    return undefined;
  }
  try {
    const outcome = await cancelVcloudUpload({ ...endpoint, signal: undefined, templateHref: err.templateHref });
    await removeUploadRecord(recordFile);
    services.log.info(`server-side cancel: ${outcome}`);
  } catch (cancelErr) {
    return fail(services, cancelErr, endpoint);
  }
  return undefined;
}

async function fail(services: ExtensionServices, err: unknown, endpoint?: Endpoint, descriptor?: vscode.Uri): Promise<undefined> {
  if (err instanceof VcloudAuthError && endpoint?.secretKey) {
    // A refused password is not worth remembering.
    await services.context.secrets.delete(endpoint.secretKey);
  }
  showTransferFailure(services, TITLE, err, { protocol: 'vcloud', host: hostOfUrl(endpoint?.url, 'the vCloud endpoint'), descriptor });
  return undefined;
}

