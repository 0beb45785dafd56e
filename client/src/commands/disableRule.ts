// "Disable CODE for this workspace", offered by the language server on every diagnostic: sets
// `ovfkit.severity` CODE → "off" in the workspace settings (user settings when no folder is open),
// keeping the other entries of that scope.
import * as vscode from 'vscode';
import { DISABLE_IN_WORKSPACE_COMMAND } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';

export function registerDisableRuleCommand(services: ExtensionServices): void {
  services.context.subscriptions.push(vscode.commands.registerCommand(DISABLE_IN_WORKSPACE_COMMAND, (code: unknown, uri?: string) => disableRuleInWorkspace(services, code, uri)));
}

async function disableRuleInWorkspace(services: ExtensionServices, code: unknown, uri?: string): Promise<boolean> {
  if (typeof code !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(code)) return false;
  const scope = uri ? vscode.Uri.parse(uri) : undefined;
  const config = vscode.workspace.getConfiguration('ovfkit', scope);
  const inWorkspace = !!vscode.workspace.workspaceFolders?.length;
  const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<Record<string, string>>('severity');
  const current = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
  await config.update('severity', { ...current, [code]: 'off' }, target);
  services.log.info(`${code} turned off in the ${inWorkspace ? 'workspace' : 'user'} settings (ovfkit.severity)`);
  void vscode.window.showInformationMessage(`${code} is off for this ${inWorkspace ? 'workspace' : 'user'}: "${code}": "off" in ovfkit.severity.`, 'Open Settings').then((choice) => {
    if (choice) void vscode.commands.executeCommand(inWorkspace ? 'workbench.action.openWorkspaceSettingsFile' : 'workbench.action.openSettingsJson');
  });
  return true;
}
