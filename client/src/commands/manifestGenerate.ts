// ovfkit: Generate Manifest. Hashes the package with a cancellable progress notification (bytes,
// rate, ETA) and writes `<name>.mf`; a cancelled run leaves the previous manifest as it was.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultAlgorithm, defaultAlgorithmReason, describeProgress, descriptorTraits, formatBytes, GeneratedManifest, generateManifest, HashProgress, isAbortError, MANIFEST_ALGORITHMS, ManifestAlgorithm, parseAlgorithmChoice, signPackage } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { ensureSaved, pickDescriptor } from './manifestTarget';

export interface GenerateManifestOptions {
  /** SHA1, SHA256 or SHA512 (any case); skips the prompt. */
  algorithm?: string;
}

/** The command; resolves to the result, or undefined when cancelled or failed (already reported). */
export async function generateManifestCommand(
  services: ExtensionServices,
  uri?: vscode.Uri | string,
  options: GenerateManifestOptions = {},
): Promise<GeneratedManifest | undefined> {
  const descriptor = await pickDescriptor(uri, 'Generate Manifest');
  if (!descriptor || !(await ensureSaved(descriptor, 'Generate Manifest'))) return undefined;
  const certPath = descriptor.fsPath.replace(/\.ovf$/i, '') + '.cert';
  const signed = await stat(certPath).then((st) => st.isFile(), () => false);
  if (signed) {
    const go = 'Generate Anyway';
    const answer = await vscode.window.showWarningMessage(
      `${path.basename(certPath)} signs the current manifest: a new manifest invalidates that signature (ovftool and vCenter then refuse the package) until you sign again.`,
      { modal: true },
      go,
    );
    if (answer !== go) return undefined;
  }
  const algorithm = await chooseAlgorithm(descriptor, options);
  if (!algorithm) return undefined;

  const name = path.basename(descriptor.fsPath);
  services.log.info(`generating the ${algorithm} manifest of ${descriptor.fsPath}`);
  try {
    const result = await withHashProgress(`Generating the manifest of ${name}`, (signal, onProgress) =>
      generateManifest(descriptor.fsPath, { algorithm, signal, onProgress }),
    );
    const bytes = result.entries.reduce((n, e) => n + e.size, 0);
    services.log.info(`wrote ${result.manifestPath} (${algorithm}, ${result.entries.length} files, ${formatBytes(bytes)})`);
    const signAgain = 'Sign Again';
    void vscode.window
      .showInformationMessage(
        `Wrote ${path.basename(result.manifestPath)}: ${algorithm}, ${result.entries.length} files, ${formatBytes(bytes)}.` + (signed ? ` ${path.basename(certPath)} no longer matches it.` : ''),
        ...(signed ? [signAgain] : []),
        'Open',
      )
      .then(async (choice) => {
        if (choice === signAgain) await signAgainCommand(services, descriptor);
        else if (choice) await vscode.window.showTextDocument(vscode.Uri.file(result.manifestPath));
      });
    return result;
  } catch (err) {
    if (isAbortError(err)) {
      services.log.info(`manifest generation for ${descriptor.fsPath} cancelled`);
      void vscode.window.showInformationMessage(`Manifest generation cancelled; any previous manifest of ${name} is unchanged.`);
    } else {
      services.log.error(`manifest generation for ${descriptor.fsPath} failed: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Generate Manifest: ${(err as Error).message}`);
    }
    return undefined;
  }
}

/** Signs the package again: the key (and, when the key file holds none, the certificate) chosen in
 *  open dialogs, the passphrase of an encrypted key asked in a password box; nothing is kept. */
async function signAgainCommand(services: ExtensionServices, descriptor: vscode.Uri): Promise<void> {
  const pem = { 'PEM files': ['pem', 'key', 'crt', 'cer'] };
  const keyFile = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: pem, openLabel: 'Use This Private Key', title: 'Sign again: the private key (PEM)' }))?.[0];
  if (!keyFile) return;
  try {
    const keyPem = await readPem(keyFile.fsPath);
    let certPem: string | undefined;
    if (!/-----BEGIN CERTIFICATE-----/.test(keyPem)) {
      const certFile = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: pem, openLabel: 'Use This Certificate', title: "Sign again: the signer's certificate (PEM)" }))?.[0];
      if (!certFile) return;
      certPem = await readPem(certFile.fsPath);
    }
    let passphrase: string | undefined;
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(keyPem)) {
      passphrase = await vscode.window.showInputBox({ password: true, prompt: `Passphrase of ${path.basename(keyFile.fsPath)}`, ignoreFocusOut: true });
      if (passphrase === undefined) return;
    }
    const { certPath } = await signPackage(descriptor.fsPath, { keyPem, certPem, passphrase, algorithm: 'SHA256' });
    services.log.info(`wrote ${certPath} (SHA256 signature)`);
    void vscode.window.showInformationMessage(`Signed again: wrote ${path.basename(certPath)}.`);
  } catch (err) {
    void vscode.window.showErrorMessage(`Sign again: ${(err as Error).message}`);
  }
}

/** A key or certificate file: small, PEM text. */
async function readPem(file: string): Promise<string> {
  const st = await stat(file);
  if (st.size > MAX_PEM_BYTES) throw new Error(`${file} is ${st.size} bytes: too large to be a PEM key or certificate`);
  return readFile(file, 'utf8');
}

const MAX_PEM_BYTES = 1024 * 1024;

/** Argument, else setting, else a prompt with the default for the descriptor's version and targets first. */
async function chooseAlgorithm(descriptor: vscode.Uri, options: GenerateManifestOptions): Promise<ManifestAlgorithm | undefined> {
  if (options.algorithm) {
    const chosen = parseAlgorithmChoice(options.algorithm);
    if (!chosen) void vscode.window.showErrorMessage(`Generate Manifest: unknown algorithm '${options.algorithm}' (SHA1, SHA256 or SHA512).`);
    return chosen;
  }
  const config = vscode.workspace.getConfiguration('ovfkit', descriptor);
  const setting = parseAlgorithmChoice(config.get<string>('manifest.algorithm', 'auto'));
  if (setting) return setting;

  // The targets setting counts only where the user set it: its default names every cloud.
  const inspected = config.inspect<string[]>('targets');
  const configured = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue ?? [];
  let traits;
  try {
    traits = await descriptorTraits(descriptor.fsPath);
  } catch (err) {
    void vscode.window.showErrorMessage(`Generate Manifest: ${(err as Error).message}`);
    return undefined;
  }
  const targets = [...configured, ...traits.targets];
  const recommended = defaultAlgorithm(traits.version, targets);
  const items = [recommended, ...MANIFEST_ALGORITHMS.filter((a) => a !== recommended)].map((a) => ({
    label: a,
    algorithm: a,
    description: a === recommended ? `default: ${defaultAlgorithmReason(traits.version, targets)}` : undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Manifest algorithm for ${path.basename(descriptor.fsPath)}`,
    placeHolder: 'Digest algorithm (vCloud and ESXi 5.5 need SHA1; vCenter 8 rejects SHA1)',
  });
  return picked?.algorithm;
}

/** Runs a hashing job under a cancellable notification showing bytes, rate and ETA. */
export function withHashProgress<T>(title: string, job: (signal: AbortSignal, onProgress: (p: HashProgress) => void) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      const started = Date.now();
      let reportedPct = 0;
      let lastReport = 0;
      try {
        return await job(controller.signal, (p) => {
          const now = Date.now();
          if (now - lastReport < 200 && p.bytesDone < p.bytesTotal) return;
          lastReport = now;
          const pct = p.bytesTotal ? (100 * p.bytesDone) / p.bytesTotal : 100;
          progress.report({ message: describeProgress(p, now - started), increment: Math.max(0, pct - reportedPct) });
          reportedPct = Math.max(reportedPct, pct);
        });
      } finally {
        subscription.dispose();
      }
    }),
  );
}
