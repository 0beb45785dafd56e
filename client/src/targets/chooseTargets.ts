// ovfkit: Choose Targets (the status bar's target item). Which clouds a descriptor is checked
// against, for this file (its `<!-- ovfkit: targets=… -->` comment) or for the workspace (the
// `ovfkit.targets` setting). Both choices can be passed in, so tests and automation skip the prompts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CLOUD_TARGET_LABELS, CLOUD_TARGETS, CloudTarget } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { setDescriptorTargets, targetsInForce, workspaceTarget } from './targetsInForce';

export type TargetsScope = 'file' | 'workspace';

export interface ChooseTargetsOptions {
  targets?: CloudTarget[];
  scope?: TargetsScope;
}

const TITLE = 'ovfkit: Choose Targets';

export function registerChooseTargets(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand('ovfkit.chooseTargets', (uri?: vscode.Uri | string, options?: ChooseTargetsOptions) =>
      chooseTargetsCommand(services, uri, options ?? {})),
  );
}

/** Resolves to what was chosen, or undefined when cancelled or there is no descriptor. */
export async function chooseTargetsCommand(services: ExtensionServices, uri: vscode.Uri | string | undefined, options: ChooseTargetsOptions): Promise<{ targets: CloudTarget[]; scope: TargetsScope } | undefined> {
  const document = await descriptorDocument(uri);
  if (!document) {
    void vscode.window.showInformationMessage(`${TITLE}: open an .ovf descriptor first.`);
    return undefined;
  }
  const name = path.basename(document.uri.fsPath || document.uri.path);
  const current = await targetsInForce(services.client, document);
  const targets = options.targets ?? (await pickClouds(name, current.targets));
  if (!targets) return undefined;
  const scope = options.scope ?? (await pickScope(name, targets, current.fromDescriptor));
  if (!scope) return undefined;

  if (scope === 'file') {
    if (!(await setDescriptorTargets(services.client, document, targets))) {
      void vscode.window.showErrorMessage(`${TITLE}: could not write the targets comment into ${name}.`);
      return undefined;
    }
  } else {
    await vscode.workspace.getConfiguration('ovfkit', document.uri).update('targets', targets, workspaceTarget());
    // The file's own comment would keep overriding the setting just chosen (no edit when there is none).
    await setDescriptorTargets(services.client, document, null);
  }
  services.log.info(`targets for ${scope === 'file' ? name : 'the workspace'}: ${targets.join(', ') || 'generic OVF rules only'}`);
  return { targets, scope };
}

async function descriptorDocument(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
  const given = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined;
  const document = given ? await vscode.workspace.openTextDocument(given) : vscode.window.activeTextEditor?.document;
  return document?.languageId === 'ovf' ? document : undefined;
}

async function pickClouds(name: string, current: string[]): Promise<CloudTarget[] | undefined> {
  const items = CLOUD_TARGETS.map((target) => ({ label: CLOUD_TARGET_LABELS[target], description: target, target, picked: current.includes(target) }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE}: which clouds will ${name} ship to?`,
    placeHolder: 'Tick the clouds (none: the generic OVF rules only)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  return picked?.map((p) => p.target);
}

async function pickScope(name: string, targets: CloudTarget[], fromDescriptor: boolean): Promise<TargetsScope | undefined> {
  const chosen = targets.join(',') || 'generic';
  const picked = await vscode.window.showQuickPick(
    [
      { label: `This file only`, description: `writes <!-- ovfkit: targets=${chosen} --> into ${name}`, scope: 'file' as const },
      {
        label: 'The whole workspace',
        description: `sets ovfkit.targets${fromDescriptor ? `, and removes ${name}'s own targets comment` : ''}`,
        scope: 'workspace' as const,
      },
    ],
    { title: `${TITLE}: check against ${targets.map((t) => CLOUD_TARGET_LABELS[t]).join(' and ') || 'the generic OVF rules only'} for…`, ignoreFocusOut: true },
  );
  return picked?.scope;
}
