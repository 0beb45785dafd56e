// The first time a workspace opens a descriptor with cloud findings, one quiet question: which
// clouds do you ship to? Asked once per workspace (remembered in workspaceState whether answered or
// dismissed), and never when the targets are already a deliberate choice (a setting or the file's comment).
import * as vscode from 'vscode';
import { CLOUD_TARGET_LABELS, CloudTarget } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { targetsInForce, workspaceTarget } from './targetsInForce';

export const TARGETS_ASKED_KEY = 'ovfkit.targetsQuestionAsked';

/** The targets setting was set somewhere (user, workspace or folder), not just defaulted. */
export function targetsChosen(scope: vscode.Uri): boolean {
  const i = vscode.workspace.getConfiguration('ovfkit', scope).inspect('targets');
  return [i?.globalValue, i?.workspaceValue, i?.workspaceFolderValue].some((v) => v !== undefined);
}

const ANSWERS: Array<{ label: string; targets: CloudTarget[] }> = [
  { label: CLOUD_TARGET_LABELS.vcloud, targets: ['vcloud'] },
  { label: CLOUD_TARGET_LABELS.cloudcontrol, targets: ['cloudcontrol'] },
  { label: 'Both', targets: ['vcloud', 'cloudcontrol'] },
];

export function registerTargetsQuestion(services: ExtensionServices): void {
  const state = services.context.workspaceState;
  let asking = false;
  const consider = async (uri: vscode.Uri): Promise<void> => {
    if (asking || state.get<boolean>(TARGETS_ASKED_KEY)) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document?.languageId !== 'ovf' || targetsChosen(uri)) return;
    asking = true;
    try {
      const current = await targetsInForce(services.client, document);
      if (current.fromDescriptor || current.cloudFindings === 0) return;
      const answer = await vscode.window.showInformationMessage(
        `Which clouds do you ship to? ovfkit checks ${current.targets.map((t) => CLOUD_TARGET_LABELS[t as CloudTarget] ?? t).join(' and ')} rules now; your answer is saved as this workspace's ovfkit.targets.`,
        ...ANSWERS.map((a) => a.label),
      );
      // Answered or dismissed, the question is not asked again in this workspace.
      await state.update(TARGETS_ASKED_KEY, true);
      const chosen = ANSWERS.find((a) => a.label === answer);
      if (chosen) {
        await vscode.workspace.getConfiguration('ovfkit', uri).update('targets', chosen.targets, workspaceTarget());
        services.log.info(`targets for the workspace: ${chosen.targets.join(', ')} (first-run question)`);
      }
    } finally {
      asking = false;
    }
  };
  services.context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) void consider(uri);
    }),
  );
}
