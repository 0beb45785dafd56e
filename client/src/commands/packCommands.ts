// *ovfkit: Pack as OVA* (on an .ovf) and *ovfkit: Verify OVA* (on an .ova): the domain's packPackage
// and verifyOva behind a save dialog and a cancellable progress notification. Packing writes
// NAME.ova.partial and renames it when complete, as the CLI does; verifying reads the OVA in place.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes, OvaError, PackageError, PackError, packPackage, verifyOva } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';

export function registerPackCommands({ context, log }: ExtensionServices): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ovfkit.packOva', async (uri?: vscode.Uri) => {
      const descriptor = uri ?? (vscode.window.activeTextEditor?.document.uri.scheme === 'file' ? vscode.window.activeTextEditor.document.uri : undefined);
      if (!descriptor || !/\.ovf$/i.test(descriptor.fsPath)) {
        void vscode.window.showErrorMessage('Packing needs an .ovf descriptor: open one, or right-click it in the explorer and choose "ovfkit: Pack as OVA".');
        return;
      }
      const defaultUri = vscode.Uri.file(descriptor.fsPath.replace(/\.ovf$/i, '') + '.ova');
      const out = await vscode.window.showSaveDialog({ defaultUri, filters: { 'OVA packages': ['ova'] }, saveLabel: 'Pack' });
      if (!out) return;
      const name = path.basename(out.fsPath);
      try {
        // The save dialog already asked about replacing an existing file.
        const packed = await withCancellableProgress(`Packing ${name}`, (signal, report) =>
          packPackage(descriptor.fsPath, out.fsPath, { overwrite: true, signal, onProgress: (p) => report(p.bytesDone, p.bytesTotal, p.name) }),
        );
        if (packed.manifestWritten) log.info(`wrote ${packed.manifestWritten.path} (${packed.manifestWritten.algorithm}; the manifest ${packed.manifestWritten.why})`);
        log.info(`packed ${out.fsPath} (${packed.members} members, ${formatBytes(packed.bytes)})`);
        void vscode.window.showInformationMessage(`Packed ${name}: ${packed.members} members, ${formatBytes(packed.bytes)}` + (packed.manifestWritten ? ` (the manifest ${packed.manifestWritten.why.split(':')[0]} and was generated first).` : '.'));
      } catch (err) {
        if ((err as Error).name === 'AbortError') {
          void vscode.window.showInformationMessage(`Packing ${name} was cancelled; no partial OVA is left.`);
          return;
        }
        if (!(err instanceof PackError || err instanceof PackageError)) log.error(`pack ${descriptor.fsPath}: ${(err as Error).stack ?? err}`);
        void vscode.window.showErrorMessage(`ovfkit did not pack ${name}: ${(err as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('ovfkit.verifyOva', async (uri?: vscode.Uri) => {
      const ova = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'OVA packages': ['ova'] }, openLabel: 'Verify OVA' }))?.[0];
      if (!ova) return;
      const name = path.basename(ova.fsPath);
      try {
        const { result, cert } = await withCancellableProgress(`Verifying ${name}`, (signal, report) =>
          verifyOva(ova.fsPath, { signal, onProgress: (p) => report(p.bytesDone, p.bytesTotal, `${p.filesDone} of ${p.filesTotal} members`) }),
        );
        const findings = [result.descriptor, result.manifest, cert].flatMap((r) => (r ? r.findings.map((f) => `${r.file}: ${f.severity} ${f.code} ${f.message}`) : []));
        for (const line of findings) log.info(line);
        const signatureBroken = cert?.findings.some((f) => f.severity === 'error');
        const s = result.summary;
        const text = result.noManifest
          ? `${name}: no manifest member, nothing checked`
          : `${name}: ${s.matched} of ${s.checked} members match` + (s.mismatched ? `, ${s.mismatched} mismatch` : '') + (s.missingFiles ? `, ${s.missingFiles} missing` : '') +
            (cert ? `; signature ${signatureBroken ? 'INVALID' : 'valid'}` : '') + (findings.length ? ' (details in the ovfkit output)' : '');
        if (result.ok && !signatureBroken) void vscode.window.showInformationMessage(text);
        else void vscode.window.showErrorMessage(text);
      } catch (err) {
        if ((err as Error).name === 'AbortError') return;
        if (!(err instanceof OvaError)) log.error(`verify ${ova.fsPath}: ${(err as Error).stack ?? err}`);
        void vscode.window.showErrorMessage(`ovfkit cannot verify ${name}: ${(err as Error).message}`);
      }
    }),
  );
}

/** Runs `work` under a cancellable notification, reporting progress in whole percent. */
function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (done: number, total: number, what: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    return work(controller.signal, (done, total, what) => {
      const pct = total ? (100 * done) / total : 100;
      if (pct - reported < 1) return;
      progress.report({ increment: pct - reported, message: `${what} — ${formatBytes(done)} of ${formatBytes(total)}` });
      reported = pct;
    });
  });
}
