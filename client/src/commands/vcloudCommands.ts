// Registers ovfkit: Upload Package to vCloud Director.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { uploadVcloudCommand, UploadVcloudOptions } from './vcloudUpload';

export function registerVcloudCommands(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('ovfkit.uploadVcloud', (uri?: vscode.Uri | string, options?: UploadVcloudOptions) => uploadVcloudCommand(services, uri, options ?? {})),
  );
}
