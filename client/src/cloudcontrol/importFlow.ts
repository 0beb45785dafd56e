// Import a staged package as a Client Image: pick the data centre (with its city; the
// `ovfkit.cloudcontrol.datacenter` one first), the image name (default: the package's) and guest OS
// customization, then follow the import to NORMAL in a progress notification showing the server's
// step and percent. Cancel stops following, not the import. A failed import shows the server's
// words verbatim and offers to clean the failed image away. The data centres read here refresh the
// limits the language server judges packages with.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { CloudControlClient, CloudControlError, CustomerImage, Datacenter } from '../transfer/cloudcontrol';
import { printable } from '../transfer/common/sanitise';
import { CloudControlConnection, withClient } from './connection';
import { cloudControlFailureText, serverWords } from './failureText';
import { showCloudControlFailure } from './failureMessage';
import { describeImageProgress } from './progressText';

const TITLE = 'Import as CloudControl Client Image';

/** Answers for automation and tests; anything missing is asked. */
export interface ImportAnswers {
  datacenterId?: string;
  name?: string;
  description?: string;
  guestOsCustomization?: boolean;
  /** After a failed import, clean the image without asking (true) or leave it (false). */
  cleanUpOnFailure?: boolean;
}

export interface ImportOutcome {
  imageId?: string;
  name: string;
  datacenterId: string;
  /** NORMAL; the failed state; 'following-stopped' after Cancel or a timeout; 'refused' when the server would not start it. */
  state: string;
  /** The server's responseCode and message when it refused or the import failed. */
  failure?: { responseCode?: string; message?: string };
  /** The error text shown to the user, if any. */
  shown?: string;
  cleanedUp?: boolean;
}

/** Notified when an import or export starts, has an id on the server, or ends: the CloudControl view follows it. */
export type WorkListener = (event: 'started' | 'changed' | 'ended') => void;

export async function runImport(services: ExtensionServices, conn: CloudControlConnection, manifestName: string, answers: ImportAnswers = {}, listener?: WorkListener): Promise<ImportOutcome | undefined> {
  const packageName = manifestName.replace(/\.mf$/i, '');
  let datacenters: Datacenter[];
  try {
    datacenters = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: reading the data centres` }, () =>
      withClient(services, conn, (client) => client.listDatacenters()),
    );
    await services.datacenters.store(datacenters);
  } catch (err) {
    showCloudControlFailure(services, TITLE, err);
    return undefined;
  }
  const datacenterId = answers.datacenterId ?? (await pickDatacenter(datacenters, `${TITLE}: ${printable(manifestName)}`));
  if (!datacenterId) return undefined;
  const name = answers.name ?? (await vscode.window.showInputBox({ title: TITLE, prompt: `Name of the Client Image in ${datacenterId}`, value: packageName, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'the image needs a name') }))?.trim();
  if (!name) return undefined;
  const guestOsCustomization = answers.guestOsCustomization ?? (await askGuestCustomization());
  if (guestOsCustomization === undefined) return undefined;

  const outcome: ImportOutcome = { name, datacenterId, state: 'refused' };
  const controller = new AbortController();
  listener?.('started');
  try {
    await withClient(services, conn, async (client) => {
      const { imageId } = await client.importImage({ ovfPackage: manifestName, name, description: answers.description, datacenterId, guestOsCustomization });
      outcome.imageId = imageId;
      outcome.state = 'PENDING_ADD';
      services.log.info(`CloudControl import of ${manifestName} as '${name}' in ${datacenterId} started: image ${imageId}`);
      listener?.('changed');
      const image = await follow(client, conn, imageId, name, controller);
      outcome.state = image.state;
    });
    void vscode.window.showInformationMessage(`Client Image '${name}' is ready (NORMAL) in ${datacenterId}.`);
    return outcome;
  } catch (err) {
    return await importFailed(services, conn, err, outcome, answers);
  } finally {
    listener?.('ended');
  }
}

async function follow(client: CloudControlClient, conn: CloudControlConnection, imageId: string, name: string, controller: AbortController): Promise<CustomerImage> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Importing '${name}'`, cancellable: true },
    (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let shown = 0;
      progress.report({ message: 'waiting for CloudControl (Cancel stops waiting, not the import)' });
      return client.waitForImage(imageId, {
        timeoutMs: conn.timeoutMs,
        pollMs: conn.pollMs,
        signal: controller.signal,
        onProgress: (image) => {
          const percent = image.progress?.percentComplete;
          const increment = percent !== undefined && percent > shown ? percent - shown : undefined;
          if (increment) shown = percent!;
          progress.report({ message: describeImageProgress(image), increment });
        },
      });
    },
  );
}

async function importFailed(services: ExtensionServices, conn: CloudControlConnection, err: unknown, outcome: ImportOutcome, answers: ImportAnswers): Promise<ImportOutcome> {
  if (err instanceof CloudControlError && (err.kind === 'cancelled' || err.kind === 'timeout') && outcome.imageId) {
    outcome.state = 'following-stopped';
    const why = err.kind === 'cancelled' ? 'Stopped following' : `Gave up waiting for (after ${Math.round(conn.timeoutMs / 1000)} s)`;
    services.log.info(`${why} the import of '${outcome.name}'; it goes on in CloudControl`);
    void vscode.window.showInformationMessage(`${why} the import of '${outcome.name}'. The import itself goes on in CloudControl; the CloudControl view shows its state.`);
    return outcome;
  }
  const words = serverWords(err);
  outcome.failure = err instanceof CloudControlError ? { responseCode: err.responseCode, message: err.serverMessage } : undefined;
  if (err instanceof CloudControlError && err.kind === 'import-failed') outcome.state = err.responseCode ?? 'FAILED';
  const failedImage = err instanceof CloudControlError && err.kind === 'import-failed' && outcome.imageId;
  const text = failedImage ? `The import of '${outcome.name}' into ${outcome.datacenterId} failed: ${words ?? cloudControlFailureText(err)}` : `${TITLE}: ${cloudControlFailureText(err)}`;
  outcome.shown = text;
  services.log.error(text);
  if (!failedImage) {
    void vscode.window.showErrorMessage(text, 'Show Log').then((c) => c && services.log.show());
    return outcome;
  }
  const clean = 'Clean up';
  const cleanNow = answers.cleanUpOnFailure ?? (await vscode.window.showErrorMessage(text, clean, 'Show Log').then((c) => (c === 'Show Log' ? (services.log.show(), false) : c === clean)));
  if (cleanNow) outcome.cleanedUp = await cleanUpImage(services, conn, outcome.imageId!, outcome.name);
  return outcome;
}

/** Removes a failed Client Image (`image/cleanCustomerImage`); true when the server did. */
export async function cleanUpImage(services: ExtensionServices, conn: CloudControlConnection, imageId: string, name: string): Promise<boolean> {
  try {
    await withClient(services, conn, (client) => client.cleanCustomerImage(imageId));
    services.log.info(`cleaned the failed image '${name}' (${imageId})`);
    void vscode.window.showInformationMessage(`Cleaned up the failed image '${name}'.`);
    return true;
  } catch (err) {
    showCloudControlFailure(services, 'Clean up failed image', err);
    return false;
  }
}

async function pickDatacenter(datacenters: Datacenter[], title: string): Promise<string | undefined> {
  if (!datacenters.length) {
    void vscode.window.showErrorMessage(`${TITLE}: your organization has no data centres the API lists.`);
    return undefined;
  }
  const preferred = vscode.workspace.getConfiguration('ovfkit.cloudcontrol').get<string>('datacenter', '').trim();
  const sorted = [...datacenters].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred) || a.id.localeCompare(b.id));
  const picked = await vscode.window.showQuickPick(
    sorted.map((d) => ({
      label: d.id,
      description: [d.city, d.country].filter(Boolean).join(', ') + (d.id === preferred ? ' (ovfkit.cloudcontrol.datacenter)' : ''),
      detail: d.displayName || undefined,
      id: d.id,
    })),
    { title, placeHolder: 'Import into which data centre?', matchOnDescription: true },
  );
  return picked?.id;
}

async function askGuestCustomization(): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Guest OS customization', description: 'CloudControl sets the hostname, network and password when servers are deployed', value: true },
      { label: 'No guest OS customization', description: 'deploy the image as it is (e.g. an appliance that configures itself)', value: false },
    ],
    { title: TITLE, placeHolder: 'Customize the guest OS on deploy?' },
  );
  return picked?.value;
}
