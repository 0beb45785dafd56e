// How the CLI prints findings: `file:line:col: severity code message` (1-based, as compilers do,
// so terminals, CI and the `$ovfkit` problem matcher annotate them), JSON for tools, or SARIF
// 2.1.0 for code-scanning services (sarif.ts). Messages carry the CLI's wording of a remedy.
import { messageWithRemedy, Range, Remedy, Severity } from '../../../server/src/ovf';
import { toSarif } from './sarif';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface PrintableRelated {
  /** Absent: the finding's file. */
  file?: string;
  /** Absent: not printable (a span in a text not at hand); left out. */
  range?: Range;
  message: string;
}

export interface PrintableFinding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: PrintableRelated[];
  remedy?: Remedy;
}

export interface PrintableReport {
  file: string;
  /** The member of an OVA the positions are in (file is then the OVA). */
  entry?: string;
  findings: PrintableFinding[];
}

/** A place in a file, 1-based. */
export interface JsonLocation {
  file: string;
  /** The member of an OVA the positions are in (file is then the OVA). */
  entry?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonRelated extends JsonLocation {
  message: string;
}

export interface JsonFinding extends JsonLocation {
  severity: Severity;
  code: string;
  message: string;
  /** The other ends of the finding (the first of a duplicate, the section a reference should name). */
  related?: JsonRelated[];
}

export function jsonLocation(file: string, range: Range): JsonLocation {
  return { file, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function toJsonFindings(reports: PrintableReport[]): JsonFinding[] {
  return reports.flatMap(({ file, entry, findings }) =>
    findings.map((f) => ({
      ...jsonLocation(file, f.range),
      ...(entry !== undefined ? { entry } : {}),
      severity: f.severity,
      code: f.code,
      message: messageWithRemedy(f, 'cli', file),
      ...related(file, f.related),
    })),
  );
}

function related(file: string, given: PrintableRelated[] | undefined): { related?: JsonRelated[] } {
  const rows = (given ?? []).flatMap((r) => (r.range ? [{ ...jsonLocation(r.file ?? file, r.range), message: r.message }] : []));
  return rows.length ? { related: rows } : {};
}

export function formatFindings(reports: PrintableReport[], format: Format): string {
  const rows = toJsonFindings(reports);
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  if (format === 'sarif') return JSON.stringify(toSarif(rows), null, 2) + '\n';
  // A finding inside an OVA names the member: `app.ova(app.ovf):12:5: …`.
  return rows.map((r) => `${r.file}${r.entry !== undefined ? `(${r.entry})` : ''}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`).join('');
}
