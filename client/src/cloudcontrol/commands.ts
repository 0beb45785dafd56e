// Registers the CloudControl commands and the CloudControl view, and the offer the FTPS upload
// makes once a package is staged. Nothing here calls the API at activation: the view reads when
// it is shown, the commands when run.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { downloadFtpsCommand } from '../commands/ftpsDownload';
import { uploadFtpsCommand, UploadFtpsOptions } from '../commands/ftpsUpload';
import { chooseFtpsEndpoint, FtpsConnectOptions, showFtpsFailure } from '../commands/ftpsEndpoint';
import { printable } from '../transfer/common/sanitise';
import { deleteStagedFiles } from '../transfer/ftps';
import { CloudControlConnectOptions, resolveConnection, withClient } from './connection';
import { ExportAnswers, ExportOutcome, runExport } from './exportFlow';
import { showCloudControlFailure } from './failureMessage';
import { cleanUpImage, ImportAnswers, ImportOutcome, runImport } from './importFlow';
import { CloudControlNode, CloudControlTree, VIEW_ID } from './tree';

export interface CloudControlServices {
  tree: CloudControlTree;
}

export function registerCloudControl(services: ExtensionServices): CloudControlServices {
  const t = new CloudControlTree(services);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: t, showCollapseAll: false });
  t.attach(view);
  services.context.subscriptions.push(
    t,
    view,
    vscode.commands.registerCommand('ovfkit.cloudcontrol.connect', (options?: CloudControlConnectOptions) => connectCommand(services, t, options ?? {})),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.refresh', () => t.refresh()),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.importStaged', (node?: CloudControlNode, options?: CloudControlConnectOptions & ImportAnswers & { manifest?: string }) =>
      importStagedCommand(services, t, node?.kind === 'staged' ? `${node.pkg.name}.mf` : options?.manifest, options ?? {}),
    ),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.exportImage', (node?: CloudControlNode, options?: CloudControlConnectOptions & ExportAnswers) =>
      exportCommand(services, t, { ...options, imageId: node?.kind === 'image' ? node.image.id : options?.imageId }, options ?? {}),
    ),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.uploadPackage', (uri?: vscode.Uri, options?: UploadFtpsOptions) => uploadToViewStaging(services, uri, options ?? {})),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.downloadStaged', (node?: CloudControlNode) => downloadStagedCommand(services, node)),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.deleteStaged', (node?: CloudControlNode, options?: { confirmed?: boolean }) => deleteStagedCommand(services, t, node, options?.confirmed === true)),
    vscode.commands.registerCommand('ovfkit.cloudcontrol.cleanImage', (node?: CloudControlNode) => cleanImageCommand(services, t, node)),
  );
  return { tree: t };
}

async function connectCommand(services: ExtensionServices, t: CloudControlTree, options: CloudControlConnectOptions): Promise<boolean> {
  const conn = await resolveConnection(services, 'Connect to CloudControl', options);
  if (!conn) return false;
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to CloudControl at ${conn.api.apiHost}` }, () =>
      withClient(services, conn, async (client) => services.datacenters.store(await client.listDatacenters())),
    );
  } catch (err) {
    showCloudControlFailure(services, 'Connect to CloudControl', err);
    return false;
  }
  t.refresh();
  return true;
}

async function importStagedCommand(services: ExtensionServices, t: CloudControlTree, manifest: string | undefined, options: CloudControlConnectOptions & ImportAnswers): Promise<ImportOutcome | undefined> {
  const title = 'Import Staged Package as CloudControl Image';
  const conn = await resolveConnection(services, title, options);
  if (!conn) return undefined;
  let chosen = manifest;
  if (!chosen) {
    try {
      const staged = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title}: listing the staging area` }, () =>
        withClient(services, conn, (client) => client.listStagedPackages()),
      );
      if (!staged.length) {
        void vscode.window.showInformationMessage('No package (.mf) is in the staging area. Upload one first: ovfkit: Upload Package to FTPS Staging.');
        return undefined;
      }
      chosen = (await vscode.window.showQuickPick(staged.map((p) => ({ label: printable(p.name), description: p.files?.length ? `${p.files.length} file(s)` : undefined, name: p.name })), { title, placeHolder: 'Import which staged package (its manifest)?' }))?.name;
    } catch (err) {
      showCloudControlFailure(services, title, err);
      return undefined;
    }
  }
  if (!chosen) return undefined;
  return runImport(services, conn, chosen, options, (e) => t.track(e));
}

async function exportCommand(services: ExtensionServices, t: CloudControlTree, answers: ExportAnswers, options: CloudControlConnectOptions): Promise<ExportOutcome | undefined> {
  const conn = await resolveConnection(services, 'Export CloudControl Image', options);
  if (!conn) return undefined;
  const outcome = await runExport(services, conn, answers, (e) => t.track(e));
  return outcome;
}

async function stagingOptions(services: ExtensionServices, title: string): Promise<FtpsConnectOptions | undefined> {
  return (await resolveConnection(services, title, {}))?.ftps;
}

/** The FTPS upload into the staging area the view shows (the built-in simulator's too). */
async function uploadToViewStaging(services: ExtensionServices, uri: vscode.Uri | undefined, options: UploadFtpsOptions) {
  const ftps = await stagingOptions(services, 'Upload Package to Staging');
  if (!ftps) return undefined;
  return uploadFtpsCommand(services, uri, { ...options, ...ftps });
}

async function downloadStagedCommand(services: ExtensionServices, node?: CloudControlNode): Promise<unknown> {
  const ftps = await stagingOptions(services, 'Download from Staging');
  if (!ftps) return undefined;
  return downloadFtpsCommand(services, { ...ftps, package: node?.kind === 'staged' ? node.pkg.name : undefined });
}

async function deleteStagedCommand(services: ExtensionServices, t: CloudControlTree, node: CloudControlNode | undefined, confirmed: boolean): Promise<string[] | undefined> {
  if (node?.kind !== 'staged') return undefined;
  const title = 'Delete from Staging';
  const names = node.pkg.files.map((f) => f.name);
  if (!confirmed) {
    const del = 'Delete';
    const answer = await vscode.window.showWarningMessage(`Delete package ${printable(node.pkg.name)} (${names.length} file(s)) from the staging area? Client images already imported from it stay.`, { modal: true, detail: names.map(printable).join('\n') }, del);
    if (answer !== del) return undefined;
  }
  const ftps = await stagingOptions(services, title);
  if (!ftps) return undefined;
  const chosen = await chooseFtpsEndpoint(services, title, ftps);
  if (!chosen) return undefined;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title}: ${printable(node.pkg.name)}` }, () => deleteStagedFiles(chosen.endpoint, chosen.remoteDir, names));
    services.log.info(`deleted from staging: ${result.deleted.join(', ')}${result.missing.length ? `; already gone: ${result.missing.join(', ')}` : ''}`);
    t.refresh();
    return result.deleted;
  } catch (err) {
    showFtpsFailure(services, title, err, chosen);
    return undefined;
  }
}

async function cleanImageCommand(services: ExtensionServices, t: CloudControlTree, node?: CloudControlNode): Promise<boolean> {
  if (node?.kind !== 'image') return false;
  const conn = await resolveConnection(services, 'Clean up failed image', {});
  if (!conn) return false;
  const done = await cleanUpImage(services, conn, node.image.id, node.image.name);
  t.refresh();
  return done;
}
