// Hostile and malformed text (issue 10, items 5 and 8): inputs that made the old readers quadratic
// (seconds to minutes at these sizes) must finish within a generous bound; anything that is not
// well-formed XML is xml/malformed unless it really is an OOMMF file; UTF-16 descriptors are read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { generateManifest } from '../../server/src/ovf/manifest/generateManifest';
import { parseManifest } from '../../server/src/ovf/manifest/parseManifest';
import { listPackageFiles } from '../../server/src/ovf/package/packageFiles';
import { validateFile, validateText } from '../../server/src/ovf/validate';
import { parseXml } from '../../server/src/ovf/xml/parseXml';
import { runCli } from '../support/cliRunner';
import { descriptor } from '../support/descriptors';

/** Runs `work` and fails if it takes longer than `ms` (a bound on a hang, not a speed measurement). */
function finishesWithin<T>(ms: number, what: string, work: () => T): T {
  const started = Date.now();
  const result = work();
  const took = Date.now() - started;
  assert.ok(took < ms, `${what} took ${took} ms (bound ${ms} ms)`);
  return result;
}

const scratch: string[] = [];
after(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-hostile-'));
  scratch.push(dir);
  writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
}

describe('quadratic inputs are linear now', () => {
  // The old duplicate-attribute scan took ~5 s at 40k attributes and over a minute at 100k.
  test('100,000 attributes on one element (1.4 MB), the repeat at the end found at its position', () => {
    const attrs = Array.from({ length: 100_000 }, (_, i) => ` a${i}="v"`).join('');
    const text = `<Envelope${attrs} a7="again"/>`;
    const doc = finishesWithin(5000, 'parseXml', () => parseXml(text));
    assert.equal(doc.error?.message, "Attribute 'a7' is repeated");
    assert.equal(text.slice(doc.error!.span.start, doc.error!.span.end), 'a7');
    assert.equal(text.lastIndexOf(' a7=') + 1, doc.error!.span.start);
    const clean = finishesWithin(5000, 'parseXml', () => parseXml(`<Envelope${attrs}/>`));
    assert.equal(clean.error, undefined);
    assert.equal(clean.root!.attributes.length, 100_000);
  });

  // The old namespace handling copied the whole prefix map for each declaration.
  test('50,000 namespace declarations on the root and on every child', () => {
    const decls = Array.from({ length: 50_000 }, (_, i) => ` xmlns:p${i}="urn:x:${i}"`).join('');
    const children = Array.from({ length: 5_000 }, (_, i) => `<p${i}:c xmlns:q="urn:q"/>`).join('');
    const doc = finishesWithin(5000, 'parseXml', () => parseXml(`<r${decls}>${children}</r>`));
    assert.equal(doc.error, undefined);
    assert.equal(doc.root!.children[4_999].ns, 'urn:x:4999');
  });

  test('a prefix named like an Object member is undeclared, not resolved to it', () => {
    assert.equal(parseXml('<toString:a/>').error?.message, "Namespace prefix 'toString' is not declared");
    assert.match(parseXml('<a>&valueOf;</a>').error?.message ?? '', /Unknown entity '&valueOf;'/);
  });

  // The old line pattern backtracked: 20k characters took 1-2 s, 60k about 10 s. These are 1 MB.
  const MB = 1024 * 1024;
  for (const [what, line] of [
    ["'=' then a megabyte of spaces and two words", `SHA1(a)=${' '.repeat(MB)}x y`],
    ["a megabyte of ')=' pairs and two words", `SHA1(${')='.repeat(MB / 2)} a b`],
    ['a megabyte of spaces inside the parentheses', `SHA1(${' '.repeat(MB)}`],
  ] as const) {
    test(`a manifest line of ${what}: one syntax finding, at once`, () => {
      const parsed = finishesWithin(5000, 'parseManifest', () => parseManifest(line + '\n'));
      assert.deepEqual(parsed.findings.map((f) => f.code), ['manifest/syntax']);
    });
  }

  test('the linear line reader reads what the pattern read: parentheses and = in names, spacing forms', () => {
    const digest = 'a'.repeat(40);
    const cases: Array<[string, string | undefined, string?]> = [
      [`SHA1(a)= ${digest}`, 'a', 'strict'],
      [`SHA1(disk (1).vmdk)= ${digest}`, 'disk (1).vmdk', 'strict'],
      [`SHA1(a)= b)= ${digest}`, 'a)= b', 'strict'],
      [`  SHA1 (x.vmdk) = ${digest}  `, 'x.vmdk', 'spaced'],
      [`SHA1()= ${digest}`, undefined],
      [`SHA1(a)= ${digest} extra`, undefined],
      [`SHA1 a)= ${digest}`, undefined],
      [`(a)= ${digest}`, undefined],
    ];
    for (const [line, name, form] of cases) {
      const parsed = parseManifest(line);
      assert.equal(parsed.entries[0]?.name, name, line);
      if (form) assert.equal(parsed.entries[0].form, form, line);
      if (name) assert.equal(line.slice(parsed.entries[0].nameSpan.start, parsed.entries[0].nameSpan.end), name);
    }
  });

  test('ovfkit verify on a 1 MB hostile manifest finishes promptly (exit 1, a syntax finding)', async () => {
    const ovf = tempFile('app.ovf', descriptor({ references: '', disks: '', items: '' }));
    writeFileSync(ovf.replace(/\.ovf$/, '.mf'), `SHA1(a)=${' '.repeat(MB)}x y\n`);
    const r = await runCli(['verify', ovf], { timeoutMs: 20_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /manifest\/syntax/);
  });
});

describe('malformed descriptors are errors; only OOMMF files get the quiet note', () => {
  const malformed: Array<[string, string | Buffer]> = [
    ['an empty file', ''],
    ['white space only', '  \n\t\n'],
    ['junk before the XML declaration', `junk\n${descriptor()}`],
    ['2 KB of white space before the XML declaration', `${' '.repeat(2048)}${descriptor()}`],
    ['plain text', 'hello, world\n'],
    ['a PNG signature', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x41, 0x42])],
  ];
  for (const [what, content] of malformed) {
    test(`${what}: xml/malformed with a position`, () => {
      const found = validateText(Buffer.isBuffer(content) ? content.toString('utf8') : content);
      assert.deepEqual(found.map((f) => [f.code, f.severity]), [['xml/malformed', 'error']], JSON.stringify(found));
      assert.ok(found[0].range.start.line >= 0);
    });
  }

  test('binary with NUL bytes stays xml/binary (an error)', () => {
    assert.deepEqual(validateText('\u0000\u0001\u0002').map((f) => f.code), ['xml/binary']);
  });

  test("OOMMF's headers (OVF 1.0 and 2.0) get ovf/not-xml only", () => {
    for (const header of ['# OOMMF: rectangular mesh v1.0', '# OOMMF OVF 2.0', '\uFEFF# OOMMF OVF 2.0']) {
      assert.deepEqual(validateText(`${header}\n# Segment count: 1\n`).map((f) => [f.code, f.severity]), [['ovf/not-xml', 'information']], header);
    }
  });

  test('white space before the root element without a declaration is allowed by XML', () => {
    assert.ok(!validateText(`\n\n  ${descriptor().replace(/^<\?xml[^>]*\?>\s*/, '')}`).some((f) => f.code.startsWith('xml/')));
  });

  test('ovfkit validate exits 1 on an empty descriptor and on 2 KB of leading white space, 0 on OOMMF', async () => {
    for (const [content, code, finding] of [
      ['', 1, 'xml/malformed'],
      [`${' '.repeat(2048)}<?xml version="1.0"?><Envelope/>`, 1, 'xml/malformed'],
      ['# OOMMF OVF 2.0\n', 0, 'ovf/not-xml'],
    ] as const) {
      const r = await runCli(['validate', tempFile('x.ovf', content)]);
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`:1:\\d+: \\w+ ${finding.replace('/', '\\/')}`));
    }
  });
});

describe('UTF-16 descriptors', () => {
  const text = descriptor().replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const utf16le = (s: string) => Buffer.from(s, 'utf16le');
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  const variants: Array<[string, Buffer]> = [
    ['UTF-16LE with a BOM', utf16le('\uFEFF' + text)],
    ['UTF-16BE with a BOM', utf16be('\uFEFF' + text)],
    ['UTF-16LE without a BOM (the declaration)', utf16le(text)],
    ['UTF-16BE without a BOM (the declaration)', utf16be(text)],
  ];
  for (const [what, bytes] of variants) {
    test(`${what}: validate reads it like the UTF-8 file`, async () => {
      const file = tempFile('app.ovf', bytes);
      const utf8 = tempFile('app.ovf', text);
      const codes = async (f: string) => (await validateFile(f, { targets: ['vcloud'] })).findings.map((x) => x.code);
      assert.deepEqual(await codes(file), await codes(utf8));
      assert.ok(!(await codes(file)).some((c) => c.startsWith('xml/') || c === 'ovf/not-xml'));
    });
  }

  test('manifest generation and the upload listing read a UTF-16 descriptor and hash its bytes as they are', async () => {
    const bytes = utf16le('\uFEFF' + text.replace(/<File [^>]*\/>/, '').replace(/<DiskSection>[\s\S]*<\/DiskSection>/, ''));
    const file = tempFile('app.ovf', bytes);
    const listed = await listPackageFiles(file);
    assert.deepEqual(listed.map((f) => f.role), ['descriptor']);
    const generated = await generateManifest(file, { algorithm: 'SHA256' });
    const { createHash } = await import('node:crypto');
    assert.equal(generated.entries[0].digest, createHash('sha256').update(bytes).digest('hex'));
  });
});
