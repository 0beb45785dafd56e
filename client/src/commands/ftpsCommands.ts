// Registers ovfkit: Upload Package to FTPS Staging and ovfkit: Download Export from FTPS Staging.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { downloadFtpsCommand, DownloadFtpsOptions } from './ftpsDownload';
import { uploadFtpsCommand, UploadFtpsOptions } from './ftpsUpload';

export function registerFtpsCommands(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('ovfkit.uploadFtps', (uri?: vscode.Uri | string, options?: UploadFtpsOptions) => uploadFtpsCommand(services, uri, options ?? {})),
    vscode.commands.registerCommand('ovfkit.downloadFtps', (_uri?: vscode.Uri, options?: DownloadFtpsOptions) => downloadFtpsCommand(services, options ?? {})),
  );
}
