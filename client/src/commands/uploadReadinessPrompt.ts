// The editor's side of the pre-upload check (the decision is the domain's: uploadReadiness.ts;
// the dialog's words and buttons: uploadReadinessText.ts): shows the dialog, runs its answer.
import * as vscode from 'vscode';
import { formatUploadProblem, KnownDatacenter, resolveSettings, UploadReadiness, ValidationSettings } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { GENERATE_MANIFEST, readinessDialog, SHOW_PROBLEMS, UPLOAD_ANYWAY } from './uploadReadinessText';

/**
 * The user's validation settings for a descriptor as the language server reads them: severity
 * overrides, cloud limits, and the chosen CloudControl data centre with the limits last read from
 * the API (what the server gets through datacenterConfigurationMiddleware), so the check before an
 * upload judges as the Problems panel does.
 */
export function editorValidationSettings(descriptor: vscode.Uri, datacenters: Record<string, KnownDatacenter>): Partial<ValidationSettings> {
  const config = vscode.workspace.getConfiguration('ovfkit', descriptor);
  const cloudcontrolConfig = config.get<Record<string, unknown>>('cloudcontrol') ?? {};
  const { severity, vcloud, cloudcontrol, datacenter, datacenters: known } = resolveSettings({
    severity: config.get('severity'),
    vcloud: config.get('vcloud'),
    cloudcontrol: { ...cloudcontrolConfig, datacenters },
  });
  return { severity, vcloud, cloudcontrol, datacenter, datacenters: known };
}

/** Logs every finding, asks or refuses as the readiness says; true when the upload may go on. */
export async function confirmUploadReadiness(services: ExtensionServices, readiness: UploadReadiness, descriptor: vscode.Uri, force: boolean): Promise<boolean> {
  for (const f of readiness.findings) services.log.info(`${descriptor.fsPath}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`);
  for (const b of readiness.blockers) services.log.error(`cannot upload: ${formatUploadProblem(b)}`);
  const dialog = readinessDialog(readiness, descriptor.fsPath, force);
  if (!dialog) return true;
  const show = dialog.kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  let answer: string | undefined;
  try {
    answer = await show(dialog.message, dialog.options, ...dialog.items);
  } catch (err) {
    // A workbench that cannot show the dialog (extension tests refuse modal dialogs) answers Cancel.
    services.log.info(`${dialog.message} (not shown: ${(err as Error).message.split('\n')[0]}; taken as Cancel)`);
  }
  if (answer === GENERATE_MANIFEST) await vscode.commands.executeCommand('ovfkit.generateManifest', descriptor);
  if (answer === SHOW_PROBLEMS) await vscode.commands.executeCommand('workbench.actions.view.problems');
  return dialog.kind === 'warning' && answer === UPLOAD_ANYWAY;
}
