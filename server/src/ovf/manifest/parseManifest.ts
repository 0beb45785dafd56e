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

const HEX = /^[0-9a-fA-F]+$/;

/** Where each part of `ALG(name)= hex` lies in a line, as [start, end) offsets into it. */
interface LineParts {
  lead: string;
  alg: [number, number];
  s1: string;
  name: [number, number];
  s2: string;
  s3: string;
  digest: [number, number];
  trail: string;
}

const isBlank = (c: number) => c === 32 || c === 9;
const isAlgorithmChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/**
 * `ALG(name)= hex` with any spacing; the name runs to the last ')' that is followed by '=' (names
 * may hold parentheses). One pass each way, no regular expression: a hostile line (a megabyte of
 * spaces or parentheses) costs linear time, where a backtracking pattern took seconds.
 */
function splitLine(line: string): LineParts | undefined {
  const n = line.length;
  let i = 0;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  const lead = line.slice(0, i);
  const algStart = i;
  while (i < n && isAlgorithmChar(line.charCodeAt(i))) i++;
  if (i === algStart) return undefined;
  const algEnd = i;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  const s1 = line.slice(algEnd, i);
  if (line.charCodeAt(i) !== 40 /* ( */) return undefined;
  const nameStart = i + 1;
  // From the end: the last ')' whose next non-blank character is '='.
  let close = -1;
  let nextNonBlank = -1; // code of the first non-blank character after position j
  for (let j = n - 1; j >= nameStart; j--) {
    const c = line.charCodeAt(j);
    if (c === 41 /* ) */ && nextNonBlank === 61 /* = */) {
      close = j;
      break;
    }
    if (!isBlank(c)) nextNonBlank = c;
  }
  if (close === -1) return undefined;
  let k = close + 1;
  while (isBlank(line.charCodeAt(k))) k++;
  const s2 = line.slice(close + 1, k);
  k++; // '='
  const s3Start = k;
  while (k < n && isBlank(line.charCodeAt(k))) k++;
  const s3 = line.slice(s3Start, k);
  const digestStart = k;
  while (k < n && !isBlank(line.charCodeAt(k))) k++;
  const digestEnd = k;
  while (k < n && isBlank(line.charCodeAt(k))) k++;
  if (k !== n) return undefined; // more than one word after '='
  return { lead, alg: [algStart, algEnd], s1, name: [nameStart, close], s2, s3, digest: [digestStart, digestEnd], trail: line.slice(digestEnd) };
}

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
  const parts = splitLine(line);
  if (!parts) {
    findings.push({
      code: 'manifest/syntax',
      severity: 'error',
      message: "not a manifest line: expected 'SHA1(file name)= hex digest'",
      span: lineSpan,
    });
    return undefined;
  }
  const text = ([s, e]: [number, number]) => line.slice(s, e);
  const at = ([s, e]: [number, number]): Span => ({ start: offset + s, end: offset + e });
  const g = { alg: text(parts.alg), name: text(parts.name), digest: text(parts.digest) };
  const entry: ManifestEntry = {
    line: lineNo,
    lineSpan,
    algorithmText: g.alg,
    algorithm: manifestAlgorithm(g.alg),
    algorithmSpan: at(parts.alg),
    name: g.name,
    nameSpan: at(parts.name),
    digest: g.digest,
    digestSpan: at(parts.digest),
    digestValid: false,
    form: parts.lead === '' && parts.s1 === '' && parts.s2 === '' && parts.s3 === ' ' && parts.trail === '' ? 'strict' : 'spaced',
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
