// A failed CloudControl step as an error notification (the wording is failureText.ts's), logged too.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { cloudControlFailureText } from './failureText';

export function showCloudControlFailure(services: ExtensionServices, title: string, err: unknown): void {
  const text = `${title}: ${cloudControlFailureText(err)}`;
  services.log.error(text);
  void vscode.window.showErrorMessage(text, 'Show Log').then((c) => c && services.log.show());
}
