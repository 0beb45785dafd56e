// Export a Client Image to the staging area: pick the image (NORMAL ones), the package prefix
// (default: the image name), then follow the export (bounded by ovfkit.cloudcontrol.timeoutSeconds)
// in a progress notification. Once it succeeded, offer Download: the existing FTPS download of
// PREFIX.* with its manifest check.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { downloadFtpsCommand, DownloadFtpsResult } from '../commands/ftpsDownload';
import { CloudControlError, CustomerImage, ImageExport } from '../transfer/cloudcontrol';
import { printable } from '../transfer/common/sanitise';
import { STAGING_RETENTION_DAYS } from '../transfer/ftps';
import { CloudControlConnection, withClient } from './connection';
import { cloudControlFailureText, serverWords } from './failureText';
import { showCloudControlFailure } from './failureMessage';
import { WorkListener } from './importFlow';
import { defaultPrefix, PREFIX_PATTERN } from './exportPrefix';
import { describeExportProgress } from './progressText';

const TITLE = 'Export CloudControl Image';

export interface ExportAnswers {
  imageId?: string;
  prefix?: string;
  /** Download the export into this folder without asking (automation); otherwise Download is offered. */
  downloadTo?: string;
}

export interface ExportOutcome {
  imageExportId?: string;
  imageName: string;
  prefix: string;
  /** SUCCEEDED, FAILED, 'following-stopped' (Cancel or timeout) or 'refused'. */
  state: string;
  failure?: { responseCode?: string; message?: string };
  shown?: string;
  download?: DownloadFtpsResult;
}

export async function runExport(services: ExtensionServices, conn: CloudControlConnection, answers: ExportAnswers = {}, listener?: WorkListener): Promise<ExportOutcome | undefined> {
  let images: CustomerImage[];
  try {
    images = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: listing client images` }, () =>
      withClient(services, conn, (client) => client.listCustomerImages()),
    );
  } catch (err) {
    showCloudControlFailure(services, TITLE, err);
    return undefined;
  }
  const image = answers.imageId ? images.find((i) => i.id === answers.imageId) : await pickImage(images);
  if (!image) {
    if (answers.imageId) showCloudControlFailure(services, TITLE, new Error(`no client image ${printable(answers.imageId)}`));
    return undefined;
  }
  const prefix = answers.prefix ?? (await vscode.window.showInputBox({
    title: TITLE,
    prompt: `Package prefix in the staging area: CloudControl writes PREFIX.ovf, PREFIX.mf and the disks`,
    value: defaultPrefix(image.name),
    ignoreFocusOut: true,
    validateInput: (v) => (PREFIX_PATTERN.test(v.trim()) ? undefined : 'letters, digits, dot, dash and underscore (at most 100)'),
  }))?.trim();
  if (!prefix) return undefined;

  const outcome: ExportOutcome = { imageName: image.name, prefix, state: 'refused' };
  const controller = new AbortController();
  listener?.('started');
  try {
    const done = await withClient(services, conn, async (client) => {
      const { imageExportId } = await client.exportImage({ imageId: image.id, ovfPackagePrefix: prefix });
      outcome.imageExportId = imageExportId;
      outcome.state = 'IN_PROGRESS';
      services.log.info(`CloudControl export of '${image.name}' as ${prefix} started: ${imageExportId}`);
      listener?.('changed');
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting '${image.name}' as ${prefix}`, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        progress.report({ message: 'waiting for CloudControl (Cancel stops waiting, not the export)' });
        return client.waitForExport(imageExportId, {
          ovfPackagePrefix: prefix,
          timeoutMs: conn.timeoutMs,
          pollMs: conn.pollMs,
          signal: controller.signal,
          onProgress: (e: ImageExport) => {
            const percent = e.progress?.percentComplete;
            const increment = percent !== undefined && percent > shown ? percent - shown : undefined;
            if (increment) shown = percent!;
            progress.report({ message: describeExportProgress(e), increment });
          },
        });
      });
    });
    outcome.state = done.state;
  } catch (err) {
    return exportFailed(services, conn, err, outcome);
  } finally {
    listener?.('ended');
  }
  const downloadOptions = { ...conn.ftps, package: prefix };
  if (answers.downloadTo) {
    outcome.download = await downloadFtpsCommand(services, { ...downloadOptions, toDir: answers.downloadTo });
    return outcome;
  }
  const download = 'Download';
  void vscode.window
    .showInformationMessage(`Exported '${image.name}' to the staging area as ${prefix}.ovf, ${prefix}.mf and its disks (deleted after ${STAGING_RETENTION_DAYS} days).`, download)
    .then((c) => {
      if (c === download) void downloadFtpsCommand(services, downloadOptions);
    });
  return outcome;
}

function exportFailed(services: ExtensionServices, conn: CloudControlConnection, err: unknown, outcome: ExportOutcome): ExportOutcome {
  if (err instanceof CloudControlError && (err.kind === 'cancelled' || err.kind === 'timeout') && outcome.imageExportId) {
    outcome.state = 'following-stopped';
    const why = err.kind === 'cancelled' ? 'Stopped following' : `Gave up waiting for (after ${Math.round(conn.timeoutMs / 1000)} s)`;
    void vscode.window.showInformationMessage(`${why} the export of '${outcome.imageName}'. The export itself goes on in CloudControl; the CloudControl view shows it.`);
    return outcome;
  }
  if (err instanceof CloudControlError) {
    outcome.failure = { responseCode: err.responseCode, message: err.serverMessage };
    if (err.kind === 'export-failed') outcome.state = err.responseCode ?? 'FAILED';
  }
  const words = err instanceof CloudControlError && err.kind === 'export-failed' ? serverWords(err) : undefined;
  const text = words ? `The export of '${outcome.imageName}' as ${outcome.prefix} failed: ${words}` : `${TITLE}: ${cloudControlFailureText(err)}`;
  outcome.shown = text;
  services.log.error(text);
  void vscode.window.showErrorMessage(text, 'Show Log').then((c) => c && services.log.show());
  return outcome;
}

async function pickImage(images: CustomerImage[]): Promise<CustomerImage | undefined> {
  const ready = images.filter((i) => i.state === 'NORMAL');
  if (!ready.length) {
    void vscode.window.showInformationMessage(images.length ? 'No client image is ready (NORMAL) to export.' : 'Your organization has no client images.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    ready.map((i) => ({ label: printable(i.name), description: i.datacenterId, detail: [i.osDisplayName, i.description].filter(Boolean).join(' · ') || undefined, image: i })),
    { title: TITLE, placeHolder: 'Export which client image?', matchOnDescription: true },
  );
  return picked?.image;
}
