// LSP diagnostics for the `ovf-manifest` language (`*.mf`), over the domain's lintManifest.
// Each diagnostic carries in `data` what its code actions need (text fixes, the descriptor), so
// manifestCodeActions can answer without re-reading anything.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver';
import { Finding, Severity } from '../ovf/findings';
import { LineIndex } from '../ovf/lineIndex';
import { lintManifest } from '../ovf/manifest/lintManifest';
import { messageWithRemedy } from '../ovf/remedies';
import { codeDescription } from './lspConvert';

export const MANIFEST_SOURCE = 'ovfkit';

/** What a manifest diagnostic's `data` holds. */
export interface ManifestDiagnosticData {
  fixes?: { title: string; edits: TextEdit[]; preferred?: boolean }[];
  /** file: URI of the descriptor the manifest belongs to, when known. */
  descriptorUri?: string;
  /** The manifest's algorithm, so regenerating keeps it. */
  algorithm?: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Diagnostics for a manifest's text; `manifestPath` (a path or file: URI) locates its package. */
export async function manifestDiagnostics(text: string, manifestPath: string): Promise<Diagnostic[]> {
  const file = manifestPath.startsWith('file:') ? fileURLToPath(manifestPath) : manifestPath;
  // Java's META-INF/MANIFEST.MF shares the extension; it is not an OVF manifest.
  if (isJarManifest(file)) return [];
  const { findings, parsed, descriptorPath } = await lintManifest(text, file);
  const lines = new LineIndex(text);
  const uri = pathToFileURL(file).href;
  const shared: ManifestDiagnosticData = {
    descriptorUri: descriptorPath ? pathToFileURL(descriptorPath).href : undefined,
    algorithm: parsed.algorithm,
  };
  return findings.map((f) => toDiagnostic(f, lines, uri, shared));
}

function isJarManifest(file: string): boolean {
  return path.basename(file) === 'MANIFEST.MF' && path.basename(path.dirname(file)) === 'META-INF';
}

function toDiagnostic(f: Finding, lines: LineIndex, uri: string, shared: ManifestDiagnosticData): Diagnostic {
  const data: ManifestDiagnosticData = {
    ...shared,
    fixes: f.fixes?.map((fix) => ({
      title: fix.title,
      preferred: fix.preferred,
      edits: fix.edits.map((e) => ({ range: lines.rangeOf(e.span), newText: e.newText })),
    })),
  };
  return {
    range: lines.rangeOf(f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: MANIFEST_SOURCE,
    message: messageWithRemedy(f, 'editor'),
    ...codeDescription(f.code),
    // Related spans of manifest findings are in the manifest itself.
    relatedInformation: f.related?.filter((r) => !r.file).map((r) => ({ location: { uri, range: lines.rangeOf(r.span) }, message: r.message })),
    data,
  };
}
