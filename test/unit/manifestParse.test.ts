import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Finding } from '../../server/src/ovf/findings';
import { formatManifest } from '../../server/src/ovf/manifest/formatManifest';
import { parseManifest } from '../../server/src/ovf/manifest/parseManifest';

const SHA1_A = 'c3bd2579c2edc76ea35b5bde7d4f4e41eab08963';
const SHA1_B = '264caaa216ad928f82f727bb06d8e6e6fbd94df0';
const SHA256_A = '4aacc96f73bc1e0912414b80a576f62fa8d22386a2c34c489e88ee42ec71de9b';

const codes = (findings: Finding[]) => findings.map((f) => f.code);
const spanText = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

/** Applies a fix's edits (non-overlapping) to the text. */
function applyFix(text: string, finding: Finding): string {
  const edits = [...finding.fixes![0].edits].sort((a, b) => b.span.start - a.span.start);
  for (const e of edits) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
  return text;
}

describe('parseManifest', () => {
  test('strict lines give entries with exact spans and no findings', () => {
    const text = `SHA1(pkg.ovf)= ${SHA1_A}\nSHA1(disk (1).vmdk)= ${SHA1_B}\n`;
    const parsed = parseManifest(text);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.algorithm, 'SHA1');
    assert.equal(parsed.entries.length, 2);
    const [a, b] = parsed.entries;
    assert.equal(a.name, 'pkg.ovf');
    assert.equal(a.form, 'strict');
    assert.equal(spanText(text, a.algorithmSpan), 'SHA1');
    assert.equal(spanText(text, a.nameSpan), 'pkg.ovf');
    assert.equal(spanText(text, a.digestSpan), SHA1_A);
    assert.equal(spanText(text, a.lineSpan), `SHA1(pkg.ovf)= ${SHA1_A}`);
    // A name may itself contain parentheses: it runs to the last ')' before '='.
    assert.equal(b.name, 'disk (1).vmdk');
    assert.equal(b.line, 1);
    assert.equal(spanText(text, b.digestSpan), SHA1_B);
  });

  test('formatManifest writes the strict form, LF, lower-case hex, in the order given', () => {
    const text = formatManifest('SHA256', [
      { name: 'a.ovf', digest: SHA256_A.toUpperCase() },
      { name: 'a-disk1.vmdk', digest: SHA256_A },
    ]);
    assert.equal(text, `SHA256(a.ovf)= ${SHA256_A}\nSHA256(a-disk1.vmdk)= ${SHA256_A}\n`);
    assert.deepEqual(parseManifest(text).findings, []);
  });

  test('the spaced sha1sum --tag form is read, with a warning and a fix to the strict form', () => {
    const text = `SHA1 (pkg.ovf) = ${SHA1_A}\n`;
    const parsed = parseManifest(text);
    assert.equal(parsed.entries[0].name, 'pkg.ovf');
    assert.equal(parsed.entries[0].form, 'spaced');
    assert.deepEqual(codes(parsed.findings), ['manifest/spaced-form']);
    assert.equal(parsed.findings[0].severity, 'warning');
    assert.equal(applyFix(text, parsed.findings[0]), `SHA1(pkg.ovf)= ${SHA1_A}\n`);
  });

  test('other spacing (leading blanks, no space after =, trailing blanks) is the spaced form too', () => {
    for (const line of [`  SHA1(a)= ${SHA1_A}`, `SHA1(a)=${SHA1_A}`, `SHA1(a)= ${SHA1_A}  `, `SHA1(a) = ${SHA1_A}`]) {
      assert.deepEqual(codes(parseManifest(line).findings), ['manifest/spaced-form'], line);
    }
  });

  test('unknown algorithms are errors on the algorithm; a lower-case known one gets a fix', () => {
    const text = `MD5(a.ovf)= 0123456789abcdef0123456789abcdef\nsha1(b.vmdk)= ${SHA1_A}\n`;
    const parsed = parseManifest(text);
    const found = parsed.findings.filter((f) => f.code === 'manifest/unknown-algorithm');
    assert.equal(found.length, 2);
    assert.equal(spanText(text, found[0].span), 'MD5');
    assert.equal(found[0].fixes, undefined);
    assert.equal(spanText(text, found[1].span), 'sha1');
    assert.equal(found[1].severity, 'error');
    assert.match(applyFix(text, found[1]), new RegExp(`^SHA1\\(b\\.vmdk\\)= ${SHA1_A}$`, 'm'));
    // Entries with unknown algorithms still count as listed (no spurious missing-entry later).
    assert.deepEqual(parsed.entries.map((e) => e.name), ['a.ovf', 'b.vmdk']);
  });

  test('syntax errors: not a manifest line, empty name, bad digest length, non-hex digest, no digest', () => {
    const lines = [
      'this is not a manifest line',
      `SHA1()= ${SHA1_A}`,
      `SHA1(a.vmdk)= ${SHA1_A.slice(1)}`,
      `SHA1(b.vmdk)= ${'z'.repeat(40)}`,
      'SHA1(c.vmdk)= ',
    ];
    const text = lines.join('\n') + '\n';
    const parsed = parseManifest(text);
    const syntax = parsed.findings.filter((f) => f.code === 'manifest/syntax');
    assert.equal(syntax.length, 5, JSON.stringify(parsed.findings));
    assert.ok(syntax.every((f) => f.severity === 'error'));
    assert.equal(spanText(text, syntax[0].span), lines[0]);
    assert.match(syntax[2].message, /40 hex digits; this one has 39/);
    assert.equal(spanText(text, syntax[2].span), SHA1_A.slice(1));
    assert.match(syntax[3].message, /not hexadecimal/);
    assert.match(syntax[4].message, /missing/);
    assert.equal(parsed.entries.filter((e) => e.digestValid).length, 0);
  });

  test('a file listed twice is a duplicate-entry error pointing at the first line', () => {
    const text = `SHA1(a.ovf)= ${SHA1_A}\nSHA1(b.vmdk)= ${SHA1_B}\nSHA1(a.ovf)= ${SHA1_B}\n`;
    const parsed = parseManifest(text);
    assert.deepEqual(codes(parsed.findings), ['manifest/duplicate-entry']);
    const d = parsed.findings[0];
    assert.equal(spanText(text, d.span), `SHA1(a.ovf)= ${SHA1_B}`);
    assert.equal(spanText(text, d.related![0].span), `SHA1(a.ovf)= ${SHA1_A}`);
    assert.match(d.message, /line 1/);
    assert.equal(applyFix(text, d), `SHA1(a.ovf)= ${SHA1_A}\nSHA1(b.vmdk)= ${SHA1_B}\n`);
  });

  test('mixed algorithms are flagged on the entries that differ from the first', () => {
    const text = `SHA1(a.ovf)= ${SHA1_A}\nSHA256(b.vmdk)= ${SHA256_A}\nSHA1(c.vmdk)= ${SHA1_B}\n`;
    const parsed = parseManifest(text);
    assert.deepEqual(codes(parsed.findings), ['manifest/mixed-algorithms']);
    assert.equal(spanText(text, parsed.findings[0].span), 'SHA256');
    assert.equal(parsed.findings[0].severity, 'warning');
    assert.equal(parsed.algorithm, 'SHA1');
  });

  test('CRLF endings are read, with one warning and a fix converting all of them', () => {
    const text = `SHA1(a.ovf)= ${SHA1_A}\r\nSHA1(b.vmdk)= ${SHA1_B}\r\n`;
    const parsed = parseManifest(text);
    assert.equal(parsed.entries.length, 2);
    assert.equal(parsed.entries[1].digest, SHA1_B);
    assert.deepEqual(codes(parsed.findings), ['manifest/line-ending']);
    assert.equal(applyFix(text, parsed.findings[0]), `SHA1(a.ovf)= ${SHA1_A}\nSHA1(b.vmdk)= ${SHA1_B}\n`);
  });

  test('blank and whitespace-only lines and a missing final newline are accepted silently', () => {
    const text = `${' '.repeat(68)}\n\nSHA1(b.vmdk)= ${SHA1_B}`;
    const parsed = parseManifest(text);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.entries.length, 1);
    assert.equal(parsed.entries[0].line, 2);
  });

  test('upper-case hex digests are accepted', () => {
    const parsed = parseManifest(`SHA1(a.ovf)= ${SHA1_A.toUpperCase()}\n`);
    assert.deepEqual(parsed.findings, []);
    assert.ok(parsed.entries[0].digestValid);
  });
});
