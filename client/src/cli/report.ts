// How the CLI prints findings: `file:line:col: severity code message` (1-based, as compilers do,
// so terminals and CI annotate them), or JSON for tools.
import { Range, Severity } from '../../../server/src/ovf/findings';

export interface PrintableFinding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
}

export interface JsonFinding {
  file: string;
  /** The member of an OVA the positions are in (file is then the OVA). */
  entry?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function toJsonFindings(reports: Array<{ file: string; entry?: string; findings: PrintableFinding[] }>): JsonFinding[] {
  return reports.flatMap(({ file, entry, findings }) =>
    findings.map((f) => ({
      file,
      ...(entry !== undefined ? { entry } : {}),
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      severity: f.severity,
      code: f.code,
      message: f.message,
    })),
  );
}

export function formatFindings(reports: Array<{ file: string; entry?: string; findings: PrintableFinding[] }>, format: 'text' | 'json'): string {
  const rows = toJsonFindings(reports);
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  // A finding inside an OVA names the member: `app.ova(app.ovf):12:5: …`.
  return rows.map((r) => `${r.file}${r.entry !== undefined ? `(${r.entry})` : ''}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`).join('');
}
