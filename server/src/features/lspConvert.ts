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

function fixesOf(diagnostic: Diagnostic): DiagnosticData['fixes'] {
  const data = diagnostic.data as DiagnosticData | undefined;
  return data && Array.isArray(data.fixes) ? data.fixes : [];
}

/**
 * The quick fixes of the diagnostics in the request, plus "fix all of this kind in the file" when
 * the document has several diagnostics of the same code whose fixes are single and independent.
 */
export function quickFixes(uri: string, requested: Diagnostic[], all: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const offeredFixAll = new Set<string>();
  for (const diagnostic of requested) {
    for (const fix of fixesOf(diagnostic)) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit: { changes: { [uri]: fix.edits } } });
    }
    const code = String(diagnostic.code);
    if (offeredFixAll.has(code) || fixesOf(diagnostic).length !== 1) continue;
    const same = all.filter((d) => String(d.code) === code && fixesOf(d).length === 1);
    if (same.length < 2) continue;
    const edits = nonOverlapping(same.flatMap((d) => fixesOf(d)[0].edits));
    offeredFixAll.add(code);
    actions.push({ title: `Fix all ${code} problems in this file (${same.length})`, kind: CodeActionKind.QuickFix, diagnostics: same, edit: { changes: { [uri]: edits } } });
  }
  return actions;
}

function nonOverlapping(edits: TextEdit[]): TextEdit[] {
  const key = (p: { line: number; character: number }) => p.line * 1e7 + p.character;
  const sorted = [...edits].sort((a, b) => key(a.range.start) - key(b.range.start));
  const kept: TextEdit[] = [];
  for (const e of sorted) {
    const last = kept[kept.length - 1];
    if (!last || key(e.range.start) >= key(last.range.end)) kept.push(e);
  }
  return kept;
}
