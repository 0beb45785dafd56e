// Domain findings to LSP diagnostics and back. A finding's fixes and remedy travel in
// Diagnostic.data, so code actions need no second validation run. Every code links to its row in
// the docs/RULES.md that ships beside the server (dist/../docs), and every diagnostic but those of
// an unreadable file can be turned off for the file (a directive comment) or the workspace (a
// client command).
import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionKind, Command, Diagnostic, DiagnosticSeverity, DiagnosticTag, TextEdit } from 'vscode-languageserver';
import { DISABLE_IN_WORKSPACE_COMMAND } from '../ovf/editorCommands';
import { Finding, Fix, Severity } from '../ovf/findings';
import { LineIndex } from '../ovf/lineIndex';
import { messageWithRemedy, REMEDIES } from '../ovf/remedies';
import { bundledRulesDoc, ruleDocUri } from '../ovf/rules/ruleDocs';
import { UNREADABLE_CODES } from '../ovf/validate';

const RULES_DOC = bundledRulesDoc(__dirname);

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  fixes: Array<{ title: string; edits: TextEdit[]; preferred?: boolean }>;
  /** The editor command that resolves the finding (e.g. ovfkit: Generate Manifest). */
  remedy?: Command;
}

/** The link from a code to its row in docs/RULES.md, when the code is documented there. */
export function codeDescription(code: string): Pick<Diagnostic, 'codeDescription'> {
  const href = ruleDocUri(code, RULES_DOC);
  return href ? { codeDescription: { href } } : {};
}

export function toDiagnostic(finding: Finding, lines: LineIndex, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: lines.rangeOf(finding.span),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: 'ovfkit',
    message: messageWithRemedy(finding, 'editor'),
    ...codeDescription(finding.code),
  };
  if (finding.code === 'ref/unreferenced-file' || finding.code === 'ref/unused-disk') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: r.file ?? uri, range: lines.rangeOf(r.span) },
      message: r.message,
    }));
  }
  if (finding.fixes?.length || finding.remedy) {
    const data: DiagnosticData = { fixes: (finding.fixes ?? []).map((f) => toLspFix(f, lines)) };
    if (finding.remedy) {
      const { title, command } = REMEDIES[finding.remedy.action].editor;
      const target = finding.remedy.descriptor ? pathToFileURL(finding.remedy.descriptor).href : uri;
      data.remedy = { title, command, arguments: [target] };
    }
    diagnostic.data = data;
  }
  return diagnostic;
}

export function toLspFix(fix: Fix, lines: LineIndex): DiagnosticData['fixes'][number] {
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

function remedyOf(diagnostic: Diagnostic): Command | undefined {
  const remedy = (diagnostic.data as DiagnosticData | undefined)?.remedy;
  return remedy && typeof remedy.command === 'string' ? remedy : undefined;
}

/**
 * The quick fixes of the diagnostics in the request, the command that resolves each (if any),
 * "fix all of this kind in the file" when the document has several diagnostics of the same code
 * whose fixes are single and independent, and last "disable this rule" for the file (the edit
 * `disableInFile` makes) and for the workspace.
 */
export function quickFixes(
  uri: string,
  requested: Diagnostic[],
  all: Diagnostic[],
  disableInFile?: (code: string) => DiagnosticData['fixes'][number] | undefined,
  /** Other fixes for these diagnostics (e.g. another target), listed before the disable actions. */
  more: CodeAction[] = [],
): CodeAction[] {
  const actions: CodeAction[] = [];
  const disable: CodeAction[] = [];
  const offeredFixAll = new Set<string>();
  const offeredDisable = new Set<string>();
  for (const diagnostic of requested) {
    if (diagnostic.source !== 'ovfkit') continue; // e.g. Verify Package's findings: the client answers those
    for (const fix of fixesOf(diagnostic)) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit: { changes: { [uri]: fix.edits } } });
    }
    const remedy = remedyOf(diagnostic);
    if (remedy) actions.push({ title: `Run ${remedy.title}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: !fixesOf(diagnostic).length || undefined, command: remedy });
    const code = String(diagnostic.code);
    if (!offeredDisable.has(code) && !UNREADABLE_CODES.has(code)) {
      offeredDisable.add(code);
      const fix = disableInFile?.(code);
      if (fix) disable.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: fix.edits } } });
      const title = `Disable ${code} for this workspace`;
      disable.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: DISABLE_IN_WORKSPACE_COMMAND, arguments: [code, uri] } });
    }
    if (offeredFixAll.has(code) || fixesOf(diagnostic).length !== 1) continue;
    const same = all.filter((d) => String(d.code) === code && fixesOf(d).length === 1);
    if (same.length < 2) continue;
    const edits = nonOverlapping(same.flatMap((d) => fixesOf(d)[0].edits));
    offeredFixAll.add(code);
    actions.push({ title: `Fix all ${code} problems in this file (${same.length})`, kind: CodeActionKind.QuickFix, diagnostics: same, edit: { changes: { [uri]: edits } } });
  }
  return [...actions, ...more, ...disable];
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
