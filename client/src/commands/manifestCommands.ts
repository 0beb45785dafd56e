// Registers the manifest commands: ovfkit: Generate Manifest and ovfkit: Verify Package, and the
// diagnostics collection verification reports into.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import { generateManifestCommand, GenerateManifestOptions } from './manifestGenerate';
import type { VerifyResult } from '../../../server/src/ovf';
import { verifyPackageCommand, VERIFY_SOURCE } from './manifestVerify';
import { VerifyCodeActions } from './verifyCodeActions';

/** `onVerified` hears every finished verification (the status bar shows a failed one). */
export function registerManifestCommands(services: ExtensionServices, onVerified?: (result: VerifyResult) => unknown): void {
  const collection = vscode.languages.createDiagnosticCollection('ovfkit-verify');
  const verifyActions = new VerifyCodeActions(VERIFY_SOURCE);
  services.context.subscriptions.push(
    collection,
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file', language: 'ovf' }, { scheme: 'file', language: 'ovf-manifest' }], verifyActions, { providedCodeActionKinds: VerifyCodeActions.kinds }),
    vscode.commands.registerCommand('ovfkit.generateManifest', (uri?: vscode.Uri | string, options?: GenerateManifestOptions) =>
      generateManifestCommand(services, uri, options ?? {}).then((result) => {
        // A new manifest makes earlier verification results about it meaningless.
        if (result) collection.delete(vscode.Uri.file(result.manifestPath));
        return result;
      }),
    ),
    vscode.commands.registerCommand('ovfkit.verifyPackage', (uri?: vscode.Uri | string) =>
      verifyPackageCommand(services, collection, uri).then(async (result) => {
        if (result) {
          verifyActions.remember(result);
          await onVerified?.(result);
        }
        return result;
      }),
    ),
    // Verification ranges drift once a document is edited: drop them for that document.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && collection.has(e.document.uri)) collection.delete(e.document.uri);
    }),
  );
}
