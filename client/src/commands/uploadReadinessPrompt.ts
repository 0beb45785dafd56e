// The editor's side of the pre-upload check (the decision is the domain's: uploadReadiness.ts).
// Blockers end the command with their list and no way past; errors the cloud may still accept
// ask a modal question whose only explicit button is Upload Anyway, so Escape, Enter on the
// default and closing the dialog all cancel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatUploadProblem, UploadProblem, UploadReadiness } from '../../../server/src/ovf/upload/uploadReadiness';
import type { ExtensionServices } from '../extension';

export const UPLOAD_ANYWAY = 'Upload Anyway';
const CLOUD_NAMES = { vcloud: 'vCloud Director', cloudcontrol: 'CloudControl' } as const;
const LISTED = 10;

export interface ReadinessDialog {
  kind: 'error' | 'warning';
  message: string;
  options: vscode.MessageOptions;
  /** Explicit buttons: Cancel is VS Code's own and the default. */
  items: string[];
}

/** What the dialog says and offers; undefined when the package is ready (nothing to ask). Pure, for tests. */
export function readinessDialog(readiness: UploadReadiness, descriptorPath: string, force: boolean): ReadinessDialog | undefined {
  const cloud = CLOUD_NAMES[readiness.target];
  const name = path.basename(descriptorPath);
  const list = (problems: UploadProblem[]) => [
    ...problems.slice(0, LISTED).map((p) => `• ${formatUploadProblem(p, path.dirname(descriptorPath))}`),
    ...(problems.length > LISTED ? [`… and ${problems.length - LISTED} more (see Problems)`] : []),
  ].join('\n');
  if (readiness.verdict === 'blocked') {
    const manifest = readiness.blockers.some((b) => b.code === 'cloudcontrol/manifest-missing');
    return {
      kind: 'error',
      message: `${name} cannot be uploaded to ${cloud}: ${readiness.blockers.length} problem(s) must be fixed first.`,
      options: { modal: true, detail: list(readiness.blockers) },
      items: manifest ? ['Generate Manifest'] : [],
    };
  }
  if (readiness.verdict === 'confirm' && !force) {
    return {
      kind: 'warning',
      message: `${name} has ${readiness.needsGoAhead.length} error(s) for ${cloud}; it may refuse the package.`,
      options: { modal: true, detail: list(readiness.needsGoAhead) },
      items: [UPLOAD_ANYWAY],
    };
  }
  return undefined;
}

/** Logs every finding, asks or refuses as the readiness says; true when the upload may go on. */
export async function confirmUploadReadiness(services: ExtensionServices, readiness: UploadReadiness, descriptor: vscode.Uri, force: boolean): Promise<boolean> {
  for (const f of readiness.findings) services.log.info(`${descriptor.fsPath}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`);
  for (const b of readiness.blockers) services.log.error(`cannot upload: ${formatUploadProblem(b)}`);
  const dialog = readinessDialog(readiness, descriptor.fsPath, force);
  if (!dialog) return true;
  const show = dialog.kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const answer = await show(dialog.message, dialog.options, ...dialog.items);
  if (answer === 'Generate Manifest') await vscode.commands.executeCommand('ovfkit.generateManifest', descriptor);
  return dialog.kind === 'warning' && answer === UPLOAD_ANYWAY;
}
