// ovfkit: Upload Package to FTPS Staging. Checks the package for CloudControl before asking anything
// (blockers stop it; other errors need the user's go-ahead), then uploads descriptor, manifest and
// disks (or just the first two) with one cancellable progress notification, each file checked
// against the manifest as it goes. Whatever an earlier run left incomplete is resumed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planUpload, UploadPlan } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { formatBytes, FtpsCancelledError, FtpsUploadError, FtpsUploadResult, uploadToFtps } from '../transfer/ftps';
import { chooseFtpsEndpoint, FtpsConnectOptions, settleChoices, showFailure, showFtpsFailure } from './ftpsEndpoint';
import { notificationProgress } from './transferProgress';
import { confirmUploadReadiness, editorValidationSettings } from './uploadReadinessPrompt';
import { ensureSaved, pickUploadSource } from './manifestTarget';
import { memberSource } from '../transfer/common/byteSource';
import { ImportAfterUpload, offerImportAfterUpload } from '../cloudcontrol/uploadOffer';
import type { ImportOutcome } from '../cloudcontrol/importFlow';

const TITLE = 'Upload to FTPS Staging';

export interface UploadFtpsOptions extends FtpsConnectOptions {
  /** 'descriptorAndManifest' uploads just those two, for a quick check by the import (otherwise asked). */
  scope?: 'package' | 'descriptorAndManifest';
  /** Upload even when validation reports errors the cloud may accept (otherwise the user is asked); blockers still stop it. */
  force?: boolean;
  /** Accept the "Import as Client Image…" offer at once with these answers (automation); otherwise it is offered. */
  importAfterUpload?: ImportAfterUpload;
}

export async function uploadFtpsCommand(services: ExtensionServices, uri?: vscode.Uri | string, options: UploadFtpsOptions = {}): Promise<(FtpsUploadResult & { import?: ImportOutcome }) | undefined> {
  const descriptor = await pickUploadSource(uri, TITLE);
  if (!descriptor || !(await ensureSaved(descriptor, TITLE))) return undefined;
  const descriptorPath = descriptor.fsPath;
  const log = services.log;

  let plan: UploadPlan;
  try {
    // Before any question: what stops the upload, and what needs a go-ahead.
    plan = await planUpload(descriptorPath, 'cloudcontrol', { settings: editorValidationSettings(descriptor, services.datacenters.all()) });
    if (!(await confirmUploadReadiness(services, plan.readiness, descriptor, options.force === true))) return undefined;
  } catch (err) {
    showFailure(services, TITLE, (err as Error).message);
    return undefined;
  }
  const { manifestPath } = plan;
  const scope = options.scope ?? (await askScope(plan.files.length));
  if (!scope) return undefined;
  const planned = plan.files.filter((m) => scope === 'package' || m.role === 'descriptor' || m.role === 'manifest');
  // An OVA's members go up as separate files, each read from its range of the .ova.
  const files = planned.map((m) => ({ name: m.name, path: m.path, packageDir: m.packageDir, source: memberSource(m) }));
  const manifestSource = files[planned.findIndex((m) => m.role === 'manifest')]?.source;

  const chosen = await chooseFtpsEndpoint(services, TITLE, options, descriptor);
  if (!chosen) return undefined;
  const { endpoint } = chosen;
  log.info(`uploading ${files.map((f) => f.name).join(', ')} to ${endpoint.host}:${chosen.remoteDir ?? '(login folder)'} as ${endpoint.user}`);
  const controller = new AbortController();
  let loggedIn = false;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${TITLE}: ${path.basename(descriptorPath)}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return uploadToFtps({
          endpoint,
          remoteDir: chosen.remoteDir,
          files,
          signal: controller.signal,
          retry: { attempts: chosen.retries },
          parallel: chosen.parallel,
          manifestPath,
          manifestSource,
          onLoggedIn: () => (loggedIn = true),
          onLog: (line) => log.info(line),
          onProgress: notificationProgress(progress),
        });
      },
    );
    await settleChoices(services, chosen, true);
    const total = result.files.reduce((n, f) => n + f.size, 0);
    log.info(`upload complete: ${result.files.length} file(s), ${total} bytes`);
    const message = `Uploaded ${result.files.length} file(s) (${formatBytes(total)}) to ${endpoint.host}; the files are deleted 14 days after upload.`;
    const staging = { host: endpoint.host, port: endpoint.port, implicit: endpoint.implicit, active: endpoint.active, user: endpoint.user, password: endpoint.password, caFile: endpoint.caFile, remoteDir: chosen.remoteDir };
    const imported = await offerImportAfterUpload(services, result, scope === 'package', staging, message, options.importAfterUpload);
    return imported ? { ...result, import: imported } : result;
  } catch (err) {
    await settleChoices(services, chosen, loggedIn, err);
    if (err instanceof FtpsUploadError && err.reason instanceof FtpsCancelledError) {
      log.info(`upload cancelled after ${err.uploaded.length} file(s); run the command again to resume`);
      void vscode.window.showInformationMessage('Upload cancelled. Run the command again on the same package to resume where it stopped.');
      return undefined;
    }
    if (err instanceof FtpsUploadError && err.uploaded.length) log.info(`uploaded before the stop: ${err.uploaded.map((f) => f.name).join(', ')}`);
    showFtpsFailure(services, TITLE, err, chosen, descriptor);
    return undefined;
  }
}

async function askScope(fileCount: number): Promise<UploadFtpsOptions['scope'] | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Whole package', description: `${fileCount} file(s): descriptor, manifest, then the disks`, scope: 'package' as const },
      { label: 'Descriptor and manifest only', description: 'small and quick: lets the import check them before the disks go up', scope: 'descriptorAndManifest' as const },
    ],
    { title: TITLE, placeHolder: 'What to upload?' },
  );
  return picked?.scope;
}
