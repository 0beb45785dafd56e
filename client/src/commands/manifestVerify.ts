// ovfkit: Verify Package. Hashes every file the manifest lists and reports each problem in the
// Problems panel, on the manifest and on the descriptor at the exact range, plus a summary.
// Results stay until the next run or until the document is edited (their ranges would drift).
// No manifest at all is "No manifest yet" with a Generate Manifest button: an error only when a
// target in effect needs one (CloudControl), a note otherwise.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Finding, GENERATE_MANIFEST_COMMAND, isAbortError, LineIndex, ManifestFileReport, messageWithRemedy, resolveSettings, ruleDocUri, Severity, verifyPackage, VerifyResult } from '../../../server/src/ovf';
import type { ExtensionServices } from '../extension';
import { withHashProgress } from './manifestGenerate';
import { ensureSaved, pickDescriptor } from './manifestTarget';

export const VERIFY_SOURCE = 'ovfkit verify';

/** Findings only verification produces (it reads the files); the rest the .mf language shows live. */
const HASHING_CODES = new Set(['manifest/digest-mismatch', 'manifest/missing-file', 'manifest/unreadable-file', 'manifest/no-manifest']);

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export async function verifyPackageCommand(
  services: ExtensionServices,
  collection: vscode.DiagnosticCollection,
  uri?: vscode.Uri | string,
): Promise<VerifyResult | undefined> {
  const descriptor = await pickDescriptor(uri, 'Verify Package');
  if (!descriptor || !(await ensureSaved(descriptor, 'Verify Package'))) return undefined;
  const name = path.basename(descriptor.fsPath);
  services.log.info(`verifying ${descriptor.fsPath}`);
  let result: VerifyResult;
  try {
    const { targets } = resolveSettings({ targets: vscode.workspace.getConfiguration('ovfkit', descriptor).get('targets') });
    result = await withHashProgress(`Verifying ${name}`, (signal, onProgress) => verifyPackage(descriptor.fsPath, { signal, onProgress, targets }));
  } catch (err) {
    if (isAbortError(err)) {
      void vscode.window.showInformationMessage(`Verification of ${name} cancelled.`);
    } else {
      services.log.error(`verification of ${descriptor.fsPath} failed: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Verify Package: ${(err as Error).message}`);
    }
    return undefined;
  }

  const reports = [result.descriptor, ...(result.manifest ? [result.manifest] : [])];
  const texts = new Map(reports.map((r) => [r.file, r.text]));
  collection.delete(vscode.Uri.file(result.manifestPath));
  for (const report of reports) {
    const uri = vscode.Uri.file(report.file);
    // An open manifest already shows the language server's live findings: add only what hashing found.
    const open = report.file === result.manifestPath && vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    const findings = open ? report.findings.filter((f) => HASHING_CODES.has(f.code)) : report.findings;
    collection.set(uri, toDiagnostics({ ...report, findings }, texts, services.context.asAbsolutePath(path.join('docs', 'RULES.md'))));
  }

  if (result.noManifest) {
    services.log.info(`verified ${descriptor.fsPath}: no manifest yet${result.manifestRequiredBy ? ` (the ${result.manifestRequiredBy} target needs one)` : ''}`);
    void offerGenerate(descriptor, result);
    return result;
  }
  const s = result.summary;
  const summary = describeVerifySummary(s);
  services.log.info(`verified ${descriptor.fsPath}: ${result.ok ? 'ok' : 'FAILED'}: ${summary} (${s.errors} errors)`);
  const show = 'Show Problems';
  const message = result.ok ? `${name} verified: ${summary}.` : `${name} failed verification: ${summary}.`;
  const shown = result.ok && !s.warnings ? vscode.window.showInformationMessage(message) : result.ok ? vscode.window.showWarningMessage(message, show) : vscode.window.showErrorMessage(message, show);
  void Promise.resolve(shown).then((choice) => choice === show && vscode.commands.executeCommand('workbench.actions.view.problems'));
  return result;
}

async function offerGenerate(descriptor: vscode.Uri, result: VerifyResult): Promise<void> {
  const generate = 'Generate Manifest';
  const manifest = path.basename(result.manifestPath);
  const choice = result.manifestRequiredBy
    ? await vscode.window.showErrorMessage(`No manifest yet: ${manifest} does not exist, and the ${result.manifestRequiredBy} target needs one.`, generate)
    : await vscode.window.showInformationMessage(`No manifest yet: ${manifest} does not exist (optional for the targets of ${path.basename(descriptor.fsPath)}).`, generate);
  if (choice === generate) await vscode.commands.executeCommand(GENERATE_MANIFEST_COMMAND, descriptor);
}

/** "3 of 4 files match, 1 mismatch": for the notification and the status bar. */
export function describeVerifySummary(s: VerifyResult['summary']): string {
  return `${s.matched} of ${s.checked} files match` +
    (s.mismatched ? `, ${s.mismatched} mismatch` : '') +
    (s.missingFiles ? `, ${s.missingFiles} missing` : '') +
    (s.missingEntries ? `, ${s.missingEntries} not in the manifest` : '') +
    (s.warnings ? `, ${s.warnings} warnings` : '');
}

function toDiagnostics(report: ManifestFileReport, texts: Map<string, string>, rulesDoc: string): vscode.Diagnostic[] {
  const lines = new LineIndex(report.text);
  return report.findings.map((f) => {
    const d = new vscode.Diagnostic(toRange(lines, f.span), messageWithRemedy(f, 'editor'), SEVERITY[f.severity]);
    const href = ruleDocUri(f.code, rulesDoc);
    d.code = href ? { value: f.code, target: vscode.Uri.parse(href) } : f.code;
    d.source = VERIFY_SOURCE;
    d.relatedInformation = f.related?.flatMap((r) => {
      const file = r.file ?? report.file;
      const text = texts.get(file);
      if (text === undefined) return [];
      return [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(file), toRange(new LineIndex(text), r.span)), r.message)];
    });
    return d;
  });
}

function toRange(lines: LineIndex, span: Finding['span']): vscode.Range {
  const r = lines.rangeOf(span);
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
