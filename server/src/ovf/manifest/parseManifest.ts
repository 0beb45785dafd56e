// Reads a manifest's text into entries with a span for every field, and the findings that need
// nothing but the text: syntax, unknown algorithms, the spaced form, duplicates, mixed algorithms.
import { Finding, Span } from '../findings';
import { DIGEST_HEX_LENGTH, ManifestAlgorithm, manifestAlgorithm } from './algorithms';
import { formatManifestLine } from './formatManifest';

export interface ManifestEntry {
  /** 0-based line number. */
  line: number;
  /** The line without its line ending. */
  lineSpan: Span;
  /** The algorithm as written, e.g. `SHA1`, `sha1`, `MD5`. */
  algorithmText: string;
  /** Undefined when the name is not one of SHA1, SHA256, SHA512 (an `unknown-algorithm` finding). */
  algorithm?: ManifestAlgorithm;
  algorithmSpan: Span;
  /** The file name between the parentheses, as written. */
  name: string;
  nameSpan: Span;
  /** The digest as written. */
  digest: string;
  digestSpan: Span;
  /** True when the digest has the hex length its algorithm needs (always false for unknown algorithms). */
  digestValid: boolean;
  /** `strict`: `SHA1(name)= hex`. `spaced`: any other spacing, e.g. `SHA1 (name) = hex`. */
  form: 'strict' | 'spaced';
}

export interface ParsedManifest {
  entries: ManifestEntry[];
  findings: Finding[];
  /** The algorithm of the first entry whose algorithm is known. */
  algorithm?: ManifestAlgorithm;
}

// ALG(name)= hex with any spacing; the name runs to the last ')' that is followed by '='.
const LINE = /^(?<lead>[ \t]*)(?<alg>[A-Za-z0-9_-]+)(?<s1>[ \t]*)\((?<name>.*)\)(?<s2>[ \t]*)=(?<s3>[ \t]*)(?<digest>[^ \t]*)(?<trail>[ \t]*)$/d;
const HEX = /^[0-9a-fA-F]+$/;

export function parseManifest(text: string): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const findings: Finding[] = [];
  let crlfSpan: Span | undefined;

  let lineNo = 0;
  for (let start = 0; start <= text.length; lineNo++) {
    const nl = text.indexOf('\n', start);
    let end = nl === -1 ? text.length : nl;
    const next = nl === -1 ? text.length + 1 : nl + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) {
      end--;
      crlfSpan ??= { start: end, end: end + 1 };
    }
    const line = text.slice(start, end);
    if (line.trim() !== '') {
      const entry = parseLine(line, start, lineNo, findings);
      if (entry) entries.push(entry);
    }
    start = next;
  }

  if (crlfSpan) {
    findings.push({
      code: 'manifest/line-ending',
      severity: 'warning',
      message: 'CRLF line endings: the strict manifest form uses LF, and strict consumers may read the CR as part of the digest.',
      span: crlfSpan,
      fixes: [{ title: 'Convert line endings to LF', edits: crSpans(text).map((span) => ({ span, newText: '' })) }],
    });
  }
  checkDuplicates(entries, findings);
  const algorithm = entries.find((e) => e.algorithm)?.algorithm;
  if (algorithm) checkMixed(entries, algorithm, findings);
  return { entries, findings, algorithm };
}

function parseLine(line: string, offset: number, lineNo: number, findings: Finding[]): ManifestEntry | undefined {
  const lineSpan = { start: offset, end: offset + line.length };
  const m = LINE.exec(line);
  if (!m || !m.groups || !m.indices?.groups) {
    findings.push({
      code: 'manifest/syntax',
      severity: 'error',
      message: "not a manifest line: expected 'SHA1(file name)= hex digest'",
      span: lineSpan,
    });
    return undefined;
  }
  const g = m.groups;
  const at = (group: string): Span => {
    const [s, e] = m.indices!.groups![group]!;
    return { start: offset + s, end: offset + e };
  };
  const entry: ManifestEntry = {
    line: lineNo,
    lineSpan,
    algorithmText: g.alg,
    algorithm: manifestAlgorithm(g.alg),
    algorithmSpan: at('alg'),
    name: g.name,
    nameSpan: at('name'),
    digest: g.digest,
    digestSpan: at('digest'),
    digestValid: false,
    form: g.lead === '' && g.s1 === '' && g.s2 === '' && g.s3 === ' ' && g.trail === '' ? 'strict' : 'spaced',
  };

  if (g.name.trim() === '') {
    findings.push({ code: 'manifest/syntax', severity: 'error', message: 'the file name between the parentheses is empty', span: lineSpan });
    return undefined;
  }
  if (!entry.algorithm) {
    const upper = manifestAlgorithm(g.alg.toUpperCase().replace(/-/g, ''));
    findings.push({
      code: 'manifest/unknown-algorithm',
      severity: 'error',
      message: upper
        ? `'${g.alg}' is not how manifests name ${upper}: consumers expect '${upper}'`
        : `unknown digest algorithm '${g.alg}': manifests use SHA1, SHA256 or SHA512`,
      span: entry.algorithmSpan,
      fixes: upper ? [{ title: `Write '${upper}'`, edits: [{ span: entry.algorithmSpan, newText: upper }], preferred: true }] : undefined,
    });
  } else if (g.digest === '') {
    findings.push({ code: 'manifest/syntax', severity: 'error', message: `the ${entry.algorithm} digest of '${g.name}' is missing`, span: lineSpan });
  } else if (!HEX.test(g.digest)) {
    findings.push({ code: 'manifest/syntax', severity: 'error', message: `the digest of '${g.name}' is not hexadecimal`, span: entry.digestSpan });
  } else if (g.digest.length !== DIGEST_HEX_LENGTH[entry.algorithm]) {
    findings.push({
      code: 'manifest/syntax',
      severity: 'error',
      message: `a ${entry.algorithm} digest has ${DIGEST_HEX_LENGTH[entry.algorithm]} hex digits; this one has ${g.digest.length}`,
      span: entry.digestSpan,
    });
  } else {
    entry.digestValid = true;
  }

  if (entry.form === 'spaced' && entry.algorithm) {
    findings.push({
      code: 'manifest/spaced-form',
      severity: 'warning',
      message: `spaced form: strict consumers reject anything but '${entry.algorithm}(${g.name})= <digest>'`,
      span: lineSpan,
      fixes: [{ title: 'Rewrite in the strict form', edits: [{ span: lineSpan, newText: formatManifestLine(entry.algorithm, g.name, g.digest) }], preferred: true }],
    });
  }
  return entry;
}

function checkDuplicates(entries: ManifestEntry[], findings: Finding[]): void {
  const first = new Map<string, ManifestEntry>();
  for (const e of entries) {
    const earlier = first.get(e.name);
    if (!earlier) {
      first.set(e.name, e);
      continue;
    }
    findings.push({
      code: 'manifest/duplicate-entry',
      severity: 'error',
      message: `'${e.name}' is listed again (first on line ${earlier.line + 1}); consumers refuse a file listed twice`,
      span: e.lineSpan,
      related: [{ span: earlier.lineSpan, message: `first entry for '${e.name}'` }],
      fixes: [{ title: 'Remove this line', edits: [{ span: { start: e.lineSpan.start, end: e.lineSpan.end + 1 }, newText: '' }] }],
    });
  }
}

function checkMixed(entries: ManifestEntry[], algorithm: ManifestAlgorithm, findings: Finding[]): void {
  const firstEntry = entries.find((e) => e.algorithm === algorithm)!;
  for (const e of entries) {
    if (!e.algorithm || e.algorithm === algorithm) continue;
    findings.push({
      code: 'manifest/mixed-algorithms',
      severity: 'warning',
      message: `${e.algorithm} here but ${algorithm} on line ${firstEntry.line + 1}: many consumers expect one algorithm per manifest`,
      span: e.algorithmSpan,
      related: [{ span: firstEntry.algorithmSpan, message: `${algorithm} used here` }],
    });
  }
}

function crSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (let i = text.indexOf('\r\n'); i !== -1; i = text.indexOf('\r\n', i + 2)) spans.push({ start: i, end: i + 1 });
  return spans;
}
