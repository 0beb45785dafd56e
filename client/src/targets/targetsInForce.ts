// The targets in force for an open descriptor, as the language server validates it (its directive
// reader, its settings): the extension never reads the `ovfkit: targets=` comment itself. While the
// server is not running, the `ovfkit.targets` setting is the best answer there is.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TARGETS_EDIT_REQUEST, TARGETS_REQUEST, TargetsEditParams, TargetsEditResult, TargetsParams, TargetsResult } from '../../../server/src/targetsProtocol';
import { CLOUD_TARGETS } from '../../../server/src/ovf';

export async function targetsInForce(client: LanguageClient, document: vscode.TextDocument): Promise<TargetsResult> {
  if (client.isRunning()) {
    try {
      const answer = await client.sendRequest<TargetsResult | null>(TARGETS_REQUEST, { uri: document.uri.toString() } satisfies TargetsParams);
      if (answer) return answer;
    } catch {
      // fall through to the setting
    }
  }
  const setting = vscode.workspace.getConfiguration('ovfkit', document.uri).get<string[]>('targets') ?? [];
  return { targets: CLOUD_TARGETS.filter((t) => setting.includes(t)), fromDescriptor: false, cloudFindings: 0 };
}

/** Writes (or, with `null`, removes) the descriptor's own targets comment, as an undoable edit. */
export async function setDescriptorTargets(client: LanguageClient, document: vscode.TextDocument, targets: string[] | null): Promise<boolean> {
  const params: TargetsEditParams = { uri: document.uri.toString(), targets };
  const answer = await client.sendRequest<TargetsEditResult | null>(TARGETS_EDIT_REQUEST, params);
  if (!answer) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const e of answer.edits) {
    edit.replace(document.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
  }
  return vscode.workspace.applyEdit(edit);
}

/** Where a workspace-wide choice is saved: the workspace when there is one, else the user's settings. */
export function workspaceTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}
