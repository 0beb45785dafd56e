// The labelled corpus (test/fixtures/corpus): every descriptor with its verdict, judged by every
// rule. Shared by the corpus test and scripts/corpus-report.mjs, so the figures in BENCHMARKS.md
// are the ones the test enforces.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ReportedFinding, validateText } from '../../server/src/ovf/validate';

export const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'corpus');

export type CloudTarget = 'vcloud' | 'cloudcontrol';
export const CLOUD_TARGETS: readonly CloudTarget[] = ['vcloud', 'cloudcontrol'];

export interface CorpusLabel {
  file: string;
  verdict: 'valid' | 'invalid';
  /** Invalid files: the codes the generic rules must flag (each one). */
  expect: string[];
  /** Valid files: exactly the error codes each cloud target raises, each one a refusal a source documents. */
  cloud: Record<CloudTarget, string[]>;
  /** An invalid file ovfkit does not flag yet, and why: counted against the flagged bar, never silently passed. */
  miss?: string;
  note: string;
}

export interface CorpusVerdict {
  label: CorpusLabel;
  /** For invalid files: every expected code was found. */
  flagged: boolean;
  /** Error-severity findings of the generic target. */
  genericErrors: number;
  /** What contradicts the label; empty when the file is judged as labelled. */
  problems: string[];
}

export interface CorpusFigures {
  files: number;
  valid: number;
  validWithoutErrors: number;
  invalid: number;
  invalidFlagged: number;
  expectedMisses: number;
}

const list = (cell: string | undefined) => (cell && cell !== '-' ? cell.split(/\s+/).filter(Boolean) : []);

export function readLabels(dir = CORPUS_DIR): CorpusLabel[] {
  const [header, ...rows] = readFileSync(path.join(dir, 'LABELS.tsv'), 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  return rows.filter((r) => r.trim() !== '').map((row) => {
    const cell = Object.fromEntries(row.split('\t').map((v, i) => [cols[i], v]));
    if (cell.verdict !== 'valid' && cell.verdict !== 'invalid') throw new Error(`LABELS.tsv: ${cell.file}: verdict must be valid or invalid, not '${cell.verdict}'`);
    return {
      file: cell.file, verdict: cell.verdict, expect: list(cell.expect),
      cloud: { vcloud: list(cell.vcloud), cloudcontrol: list(cell.cloudcontrol) },
      miss: cell.miss && cell.miss !== '-' ? cell.miss : undefined, note: cell.note ?? '',
    };
  });
}

/** The descriptors of the corpus (manifests have their own test). */
export function corpusDescriptors(dir = CORPUS_DIR): string[] {
  return readdirSync(path.join(dir, 'files')).filter((f) => f.endsWith('.ovf')).sort();
}

const errorCodes = (findings: ReportedFinding[]) => [...new Set(findings.filter((f) => f.severity === 'error').map((f) => f.code))].sort();

export function judge(label: CorpusLabel, text: string): CorpusVerdict {
  const problems: string[] = [];
  const generic = validateText(text, { targets: [] });
  const found = new Set(generic.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code));
  const missing = label.expect.filter((c) => !found.has(c));
  const flagged = label.verdict === 'invalid' && label.expect.length > 0 && missing.length === 0;
  const errors = generic.filter((f) => f.severity === 'error');
  if (label.verdict === 'valid') {
    for (const e of errors) problems.push(`labelled valid, but ${e.code} at ${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}`);
    for (const target of CLOUD_TARGETS) {
      const got = errorCodes(validateText(text, { targets: [target] }));
      const want = [...label.cloud[target]].sort();
      if (got.join(' ') !== want.join(' ')) problems.push(`${target}: errors ${got.join(' ') || '(none)'}, label says ${want.join(' ') || '(none)'}`);
    }
  } else if (label.expect.length === 0) {
    problems.push('labelled invalid without an expected code');
  } else if (label.miss) {
    if (flagged) problems.push(`marked expected-miss (${label.miss}) but now flagged with ${label.expect.join(' ')}: drop the miss`);
  } else if (!flagged) {
    problems.push(`labelled invalid with ${label.expect.join(' ')}, not flagged with ${missing.join(' ')} (found: ${[...found].join(' ') || 'nothing'})`);
  }
  return { label, flagged, genericErrors: errors.length, problems };
}

export function judgeCorpus(dir = CORPUS_DIR): { verdicts: CorpusVerdict[]; figures: CorpusFigures; unlabelled: string[] } {
  const labels = readLabels(dir);
  const byFile = new Map(labels.map((l) => [l.file, l]));
  const unlabelled = corpusDescriptors(dir).filter((f) => !byFile.has(f));
  const verdicts = labels.map((l) => judge(l, readFileSync(path.join(dir, 'files', l.file), 'utf8')));
  const valid = verdicts.filter((v) => v.label.verdict === 'valid');
  const invalid = verdicts.filter((v) => v.label.verdict === 'invalid');
  return {
    verdicts,
    unlabelled,
    figures: {
      files: verdicts.length,
      valid: valid.length,
      validWithoutErrors: valid.filter((v) => v.genericErrors === 0).length,
      invalid: invalid.length,
      invalidFlagged: invalid.filter((v) => v.flagged).length,
      expectedMisses: invalid.filter((v) => v.label.miss).length,
    },
  };
}
