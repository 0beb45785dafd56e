// Domain findings to LSP diagnostics and back. A finding's fixes travel in Diagnostic.data, so
// code actions need no second validation run.
import { CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, DiagnosticTag, TextEdit } from 'vscode-languageserver';
import { Finding, Fix, Severity } from '../ovf/findings';
import { LineIndex } from '../ovf/lineIndex';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  fixes: Array<{ title: string; edits: TextEdit[]; preferred?: boolean }>;
}

export function toDiagnostic(finding: Finding, lines: LineIndex, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: lines.rangeOf(finding.span),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: 'ovfkit',
    message: finding.message,
  };
  if (finding.code === 'ref/unreferenced-file' || finding.code === 'ref/unused-disk') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: r.file ?? uri, range: lines.rangeOf(r.span) },
      message: r.message,
    }));
  }
  if (finding.fixes?.length) {
    const data: DiagnosticData = { fixes: finding.fixes.map((f) => toLspFix(f, lines)) };
    diagnostic.data = data;
  }
  return diagnostic;
}

function toLspFix(fix: Fix, lines: LineIndex): DiagnosticData['fixes'][number] {
  return {
    title: fix.title,
    preferred: fix.preferred,
    edits: fix.edits.map((e) => ({ range: lines.rangeOf(e.span), newText: e.newText })),
  };
}

export function quickFixes(uri: string, diagnostic: Diagnostic): CodeAction[] {
  const data = diagnostic.data as DiagnosticData | undefined;
  if (!data || !Array.isArray(data.fixes)) return [];
  return data.fixes.map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: { changes: { [uri]: fix.edits } },
  }));
}
