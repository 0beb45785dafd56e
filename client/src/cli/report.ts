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
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function toJsonFindings(reports: Array<{ file: string; findings: PrintableFinding[] }>): JsonFinding[] {
  return reports.flatMap(({ file, findings }) =>
    findings.map((f) => ({
      file,
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

export function formatFindings(reports: Array<{ file: string; findings: PrintableFinding[] }>, format: 'text' | 'json'): string {
  const rows = toJsonFindings(reports);
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  return rows.map((r) => `${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`).join('');
}
