// ovfkit: Download Export from FTPS Staging. Lists the staging folder by package (sizes, the date
// each is deleted), downloads the chosen one into a folder with a cancellable progress
// notification (resuming .partial files), then checks it against the package's manifest.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { verifyPackage } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { printable } from '../transfer/common/sanitise';
import { downloadFromFtps, existingDownloadTargets, formatBytes, FtpsCancelledError, FtpsDownloadError, listStagingFolder, StagedPackage } from '../transfer/ftps';
import { chooseFtpsEndpoint, FtpsConnectOptions, settleChoices, showFailure, showFtpsFailure } from './ftpsEndpoint';
import { notificationProgress } from './transferProgress';

const TITLE = 'Download Export from FTPS Staging';

export interface DownloadFtpsOptions extends FtpsConnectOptions {
  /** Package base name (otherwise picked from the listing). */
  package?: string;
  /** Local folder (otherwise asked). */
  toDir?: string;
  /** Replace files of the package's names already in the folder (otherwise asked, with a modal). */
  overwrite?: boolean;
}

export interface DownloadFtpsResult {
  package: string;
  toDir: string;
  /** True when a manifest was there and everything matched it. */
  verified: boolean;
}

export async function downloadFtpsCommand(services: ExtensionServices, options: DownloadFtpsOptions = {}): Promise<DownloadFtpsResult | undefined> {
  const log = services.log;
  const chosen = await chooseFtpsEndpoint(services, TITLE, options);
  if (!chosen) return undefined;
  const { endpoint } = chosen;
  let pkg: StagedPackage | undefined;
  try {
    const listing = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: listing ${endpoint.host}` }, () =>
      listStagingFolder(endpoint, chosen.remoteDir),
    );
    await settleChoices(services, chosen, true);
    if (!listing.packages.length) {
      void vscode.window.showInformationMessage(`No packages in the staging folder on ${endpoint.host}.`);
      return undefined;
    }
    pkg = options.package ? listing.packages.find((p) => p.name === options.package!.replace(/\.(ovf|mf)$/i, '')) : await pickPackage(listing.packages);
    if (!pkg) {
      if (options.package) showFailure(services, TITLE, `no package '${printable(options.package)}' in the staging folder`);
      return undefined;
    }
  } catch (err) {
    await settleChoices(services, chosen, false, err);
    showFtpsFailure(services, TITLE, err, chosen);
    return undefined;
  }

  const toDir = options.toDir ?? (await vscode.window.showOpenDialog({ title: `${TITLE}: folder for ${printable(pkg.name)}`, canSelectFolders: true, canSelectFiles: false, openLabel: 'Download Here' }))?.[0]?.fsPath;
  if (!toDir) return undefined;
  // Only ovfkit's own .partial files are resumed: anything else of the package's names is the user's.
  const existing = await existingDownloadTargets(toDir, pkg.files.map((f) => f.name));
  let overwrite = options.overwrite ?? false;
  if (existing.length && options.overwrite === undefined) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
      `${toDir} already has ${existing.length === 1 ? 'a file' : `${existing.length} files`} of package ${printable(pkg.name)}: ${existing.map(printable).join(', ')}. Replace ${existing.length === 1 ? 'it' : 'them'} with the download?`,
      { modal: true },
      replace,
    );
    if (answer !== replace) return undefined;
    overwrite = true;
  }
  const controller = new AbortController();
  log.info(`downloading ${printable(pkg.name)} (${pkg.files.length} files, ${pkg.totalBytes} bytes) from ${endpoint.host} to ${toDir}`);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: ${printable(pkg.name)}`, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return downloadFromFtps({
        endpoint,
        remoteDir: chosen.remoteDir,
        files: pkg!.files.map((f) => ({ name: f.name, size: f.size })),
        toDir,
        overwrite,
        signal: controller.signal,
        retry: { attempts: chosen.retries },
        parallel: chosen.parallel,
        onLog: (line) => log.info(line),
        onProgress: notificationProgress(progress),
      });
    });
  } catch (err) {
    if (err instanceof FtpsDownloadError && err.reason instanceof FtpsCancelledError) {
      void vscode.window.showInformationMessage('Download cancelled. Run the command again with the same folder to resume.');
      return undefined;
    }
    showFtpsFailure(services, TITLE, err, chosen);
    return undefined;
  }

  const descriptor = pkg.files.find((f) => f.name === `${pkg!.name}.ovf`);
  const manifest = pkg.files.find((f) => f.name === `${pkg!.name}.mf`);
  if (!descriptor || !manifest) {
    void vscode.window.showWarningMessage(`Downloaded ${pkg.name} to ${toDir}; it has no ${descriptor ? 'manifest' : 'descriptor'}, so only file sizes were checked.`);
    return { package: pkg.name, toDir, verified: false };
  }
  const descriptorPath = path.join(toDir, descriptor.name);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: checking against ${manifest.name}` }, () => verifyPackage(descriptorPath));
  for (const r of [result.manifest, result.descriptor]) for (const f of r?.findings ?? []) log.info(`${r!.file}: ${f.severity} ${f.code} ${f.message}`);
  if (result.ok) {
    const open = 'Open Descriptor';
    void vscode.window.showInformationMessage(`Downloaded ${pkg.name} (${formatBytes(pkg.totalBytes)}); every file matches ${manifest.name}.`, open).then((c) => c && vscode.window.showTextDocument(vscode.Uri.file(descriptorPath)));
  } else {
    showFailure(services, TITLE, `${pkg.name} was downloaded but does not match ${manifest.name}: ${result.summary.mismatched} mismatch(es), ${result.summary.missingFiles} missing (details in the log)`);
  }
  return { package: pkg.name, toDir, verified: result.ok };
}

async function pickPackage(packages: StagedPackage[]): Promise<StagedPackage | undefined> {
  const picked = await vscode.window.showQuickPick(
    packages.map((p) => ({
      label: printable(p.name),
      description: `${p.files.length} file(s), ${formatBytes(p.totalBytes)}`,
      detail: p.expiresAt ? `deleted from the staging area on ${p.expiresAt.toLocaleString()}` : 'deletion date unknown',
      pkg: p,
    })),
    { title: TITLE, placeHolder: 'Which package?' },
  );
  return picked?.pkg;
}
