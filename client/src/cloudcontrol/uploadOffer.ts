// The offer an FTPS upload makes once a whole package is staged: *Import as Client Image…*. The
// staging login just used is the API's; an upload into the built-in simulator imports into it.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../extension';
import type { FtpsConnectOptions } from '../commands/ftpsEndpoint';
import type { FtpsUploadResult } from '../transfer/ftps';
import { CloudControlConnectOptions, resolveConnection } from './connection';
import { ImportAnswers, ImportOutcome, runImport } from './importFlow';
import { isEmbeddedSimulatorStaging } from './simulator';

/** For automation: the upload command's offer accepted with these answers. */
export type ImportAfterUpload = CloudControlConnectOptions & ImportAnswers;

/**
 * After a successful FTPS upload of a whole package with a manifest: offer to import it (or, for
 * automation, import at once with the given answers). The staging login just used is the API's.
 * A partial upload (descriptor and manifest only) is not offered: the import needs the disks.
 */
export async function offerImportAfterUpload(services: ExtensionServices, upload: FtpsUploadResult, wholePackage: boolean, staging: FtpsConnectOptions, message: string, automatic?: ImportAfterUpload): Promise<ImportOutcome | undefined> {
  const manifest = upload.files.find((f) => /\.mf$/i.test(f.name))?.name;
  if (!manifest || !wholePackage) {
    void vscode.window.showInformationMessage(message);
    return undefined;
  }
  const run = (answers: ImportAfterUpload) =>
    resolveConnection(services, 'Import as Client Image', isEmbeddedSimulatorStaging(staging.host, staging.port) ? { simulator: true, ...answers } : { ftps: staging, ...answers }).then((conn) => (conn ? runImport(services, conn, manifest, answers, (e) => services.cloudcontrol?.tree.track(e)) : undefined));
  if (automatic) return run(automatic);
  const offer = 'Import as Client Image…';
  void vscode.window.showInformationMessage(message, offer).then((c) => {
    if (c === offer) void run({});
  });
  return undefined;
}
