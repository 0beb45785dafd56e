// Shows a failed transfer in plain words with the buttons that fix its cause, and runs the one
// picked: another region, the settings, a CA file to trust (sets the caFile setting), a new manifest.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { KNOWN_STAGING_REGIONS, StagingRegion } from '../transfer/ftps';
import { editorFailureText, FailureWhere, FIX_TITLES, FixAction } from './transferFailureText';

export interface FailureContext extends FailureWhere {
  /** The descriptor uploaded (for Generate Manifest, and the settings scope). */
  descriptor?: vscode.Uri;
}

/** Logs the failure and shows it; resolves once the notification is shown (a picked button runs in the background). */
export function showTransferFailure(services: ExtensionServices, title: string, err: unknown, where: FailureContext): void {
  const { message, actions } = editorFailureText(err, where);
  services.log.error(`${title}: ${err instanceof Error ? err.message : String(err)}`);
  const titles = actions.map((a) => FIX_TITLES[a]);
  void vscode.window.showErrorMessage(`${title}: ${message}`, ...titles).then((picked) => {
    const action = actions.find((a) => FIX_TITLES[a] === picked);
    if (action) return runFix(services, action, where);
  });
}

export async function runFix(services: ExtensionServices, action: FixAction, where: FailureContext): Promise<void> {
  const section = where.protocol === 'ftps' ? 'ovfkit.ftps' : 'ovfkit.vcloud';
  switch (action) {
    case 'showLog':
      return services.log.show();
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', section);
      return;
    case 'generateManifest':
      await vscode.commands.executeCommand('ovfkit.generateManifest', where.descriptor);
      return;
    case 'changeRegion': {
      const config = vscode.workspace.getConfiguration('ovfkit.ftps', where.descriptor);
      const regions = config.get<StagingRegion[]>('regions', [...KNOWN_STAGING_REGIONS]).filter((r) => r && r.host);
      const picked = await vscode.window.showQuickPick(
        regions.map((r) => ({ label: r.name || r.id, description: r.host, region: r })),
        { title: 'Change Region', placeHolder: 'Staging area of which geographic region?' },
      );
      if (!picked) return;
      await config.update('region', picked.region.id, vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage(`FTPS region set to ${picked.label} (${picked.region.host}). Run the command again.`);
      return;
    }
    case 'trustCaFile': {
      const files = await vscode.window.showOpenDialog({ title: 'Trust a CA certificate (PEM)', canSelectMany: false, filters: { 'PEM certificate': ['pem', 'crt', 'cer'], 'All files': ['*'] } });
      if (!files?.length) return;
      await trustCaFile(section, files[0].fsPath, where.descriptor);
      return;
    }
  }
}

/** Sets `<section>.caFile` to a PEM file once it is seen to hold a certificate. */
export async function trustCaFile(section: string, file: string, scope?: vscode.Uri): Promise<boolean> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    void vscode.window.showErrorMessage(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return false;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    void vscode.window.showErrorMessage(`${file} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line).`);
    return false;
  }
  await vscode.workspace.getConfiguration(section, scope).update('caFile', file, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`${section}.caFile is now ${file}; the certificates it signs are trusted besides the system's. Run the command again.`);
  return true;
}
