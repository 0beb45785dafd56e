// The XML reader: exact offsets, tolerance of real-world encodings, one clear error at the right
// place, hostile input refused quickly, and the same tree as fast-xml-parser on the corpus.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { LineIndex } from '../../server/src/ovf/lineIndex';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { parseXml } from '../../server/src/ovf/xml/parseXml';
import { XmlElement } from '../../server/src/ovf/xml/xmlTree';
import { validateText } from '../../server/src/ovf/validate';

const CORPUS = path.resolve('test/fixtures/corpus/files');

function errorAt(text: string): { line: number; column: number; message: string } {
  const doc = parseXml(text);
  assert.ok(doc.error, 'expected an error');
  const p = new LineIndex(text).positionAt(doc.error.span.start);
  return { line: p.line + 1, column: p.character + 1, message: doc.error.message };
}

describe('offsets', () => {
  test('names, attribute values and text carry exact spans', () => {
    const text = '<?xml version="1.0"?>\n<a:Root xmlns:a="urn:a" x = \'1 &amp; 2\'>\n  <a:Leaf>  hé&lt;llo </a:Leaf><Empty/>\n</a:Root>';
    const { root, error } = parseXml(text);
    assert.equal(error, undefined);
    assert.ok(root);
    assert.equal(text.slice(root.nameSpan.start, root.nameSpan.end), 'a:Root');
    assert.equal(root.ns, 'urn:a');
    const x = root.attributes.find((a) => a.name === 'x')!;
    assert.equal(x.value, '1 & 2');
    assert.equal(text.slice(x.valueSpan.start, x.valueSpan.end), '1 &amp; 2');
    const leaf = root.children[0];
    assert.equal(leaf.text, 'hé<llo');
    assert.equal(text.slice(leaf.textSpan.start, leaf.textSpan.end), 'hé&lt;llo');
    assert.equal(text.slice(leaf.span.start, leaf.span.end), '<a:Leaf>  hé&lt;llo </a:Leaf>');
    assert.equal(text.slice(root.children[1].span.start, root.children[1].span.end), '<Empty/>');
    assert.equal(root.span.end, text.length);
  });

  test('a BOM, CRLF line endings and non-ASCII text keep offsets and positions right', () => {
    const text = '\uFEFF<?xml version="1.0"?>\r\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1">\r\n<Name>Überserver ☁</Name>\r\n<Bad attr=oops/>\r\n</Envelope>';
    assert.deepEqual(errorAt(text), { line: 4, column: 11, message: "The value of attribute 'attr' must be in quotes" });
    const ok = parseXml(text.replace('attr=oops', 'attr="ok"'));
    assert.equal(ok.error, undefined);
    assert.equal(ok.root!.children[0].text, 'Überserver ☁');
  });

  test('CDATA content is text', () => {
    const { root } = parseXml('<a><![CDATA[x < y]]></a>');
    assert.equal(root!.text, 'x < y');
  });
});

describe('malformed XML gives one error at the right line and column', () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['mismatched end tag', '<a>\n  <b></c>\n</a>', 2, 8, /<\/c> does not match the open element <b>/],
    ['unclosed element', '<a>\n  <b>\n</a>', 2, 4, /<b> is not closed: expected <\/b> before <\/a>/],
    ['unclosed at end of file', '<a>\n<b>x</b>', 1, 2, /<a> is not closed before the end/],
    ['repeated attribute', '<a x="1"\n   x="2"/>', 2, 4, /'x' is repeated/],
    ['undeclared prefix', '<a>\n <ovf:b/></a>', 2, 3, /prefix 'ovf' is not declared/],
    ['bare ampersand', '<a>R&D</a>', 1, 5, /'&' must start a reference/],
    ['unknown entity', '<a>&nbsp;</a>', 1, 4, /Unknown entity '&nbsp;'/],
    ['two roots', '<a/>\n<b/>', 2, 1, /Only one root element/],
    ['text after root', '<a/>\njunk', 2, 1, /Text is not allowed after the root/],
    ['no root', '<?xml version="1.0"?>\n', 1, 1, /no root element/],
    ['attribute without quotes', '<a x=1/>', 1, 6, /must be in quotes/],
    ['< in attribute', '<a x="<"/>', 1, 7, /'<' is not allowed in the value/],
    ['unclosed comment', '<a><!-- x</a>', 1, 4, /Comment is not closed/],
  ];
  for (const [name, text, line, column, message] of cases) {
    test(name, () => {
      const e = errorAt(text);
      assert.match(e.message, message);
      assert.deepEqual([e.line, e.column], [line, column]);
    });
  }

  test('the other end of a tag problem is related information', () => {
    const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);
    const unclosed = '<a>\n  <b>\n</a>';
    const e1 = parseXml(unclosed).error!;
    assert.equal(slice(unclosed, e1.span), 'b');
    assert.deepEqual(e1.related?.map((r) => slice(unclosed, r.span)), ['a']);
    assert.equal(e1.related![0].span.start, unclosed.lastIndexOf('a'));
    const stray = '<a>\n  <b></c>\n</a>';
    const e2 = parseXml(stray).error!;
    assert.equal(slice(stray, e2.span), 'c');
    assert.deepEqual(e2.related?.map((r) => [slice(stray, r.span), r.message]), [['b', '<b> is opened here']]);
    const eof = '<a>\n<b>x</b>';
    assert.deepEqual(parseXml(eof).error!.related?.map((r) => r.span), [{ start: eof.length, end: eof.length }]);
  });
});

describe('hostile input is refused quickly, without expansion or file access', () => {
  test('billion laughs: entity declarations are refused', () => {
    let dtd = '<!ENTITY lol "lol">';
    for (let i = 1; i < 10; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    const text = `<?xml version="1.0"?>\n<!DOCTYPE lolz [${dtd}]>\n<lolz>&lol9;</lolz>`;
    const started = Date.now();
    const findings = validateText(text);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(findings.map((f) => f.code), ['xml/dtd']);
    assert.equal(findings[0].range.start.line, 1);
  });

  test('an external entity (XXE) is refused and never read', () => {
    const text = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>';
    const findings = validateText(text);
    assert.deepEqual(findings.map((f) => f.code), ['xml/dtd']);
    assert.ok(!findings[0].message.includes('root:'), 'no file content in the message');
  });

  test('an external DTD is refused', () => {
    assert.deepEqual(validateText('<!DOCTYPE r SYSTEM "http://example.com/x.dtd">\n<r/>').map((f) => f.code), ['xml/dtd']);
  });

  test('50 MB of junk gives one error at once', () => {
    const junk = 'x'.repeat(50 * 1024 * 1024);
    const started = Date.now();
    const findings = validateText(junk);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(findings.length, 1);
  });

  test('50 MB of junk inside an element gives one error quickly', () => {
    const text = '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1">' + '<x>'.repeat(1000) + 'junk '.repeat(10 * 1024 * 1024);
    const started = Date.now();
    const findings = validateText(text);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.deepEqual(findings.map((f) => f.code), ['xml/malformed']);
  });

  test('binary garbage is reported as not text', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const findings = validateText('<' + bytes.toString('latin1'));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'xml/binary');
  });

  test('deep nesting is cut off with an error, not a stack overflow', () => {
    const text = '<a>'.repeat(100000) + '</a>'.repeat(100000);
    assert.match(parseXml(text).error!.message, /nested more than/);
  });
});

describe('the model', () => {
  test('OVF versions are detected by namespace and ovf:version', () => {
    const version = (file: string) => parseDescriptor(readFileSync(path.join(CORPUS, file), 'utf8')).version;
    assert.equal(version('cot__v0.9.ovf'), '0.9');
    assert.equal(version('cot__ubuntu.2.0.ovf'), '2.x');
    assert.equal(version('cot__vmware.ovf'), '1.0');
    assert.equal(version('cot__ersatz_ovf_3.0.ovf'), 'unknown');
    assert.equal(version('v2v__test-o-ovirt.ovf.expected.ovf'), '0.9', 'oVirt declares 0.9 in the 1.x namespace');
  });

  test('OVF 0.9 Section/Content with xsi:type are read as their kinds', () => {
    const doc = parseDescriptor(readFileSync(path.join(CORPUS, 'cot__v0.9.ovf'), 'utf8'));
    assert.equal(doc.disks.length, 1);
    assert.equal(doc.virtualSystems[0].id?.value, 'v0.9');
    assert.ok(doc.virtualSystems[0].hardware[0].items.some((i) => i.instanceId));
  });
});

describe('agrees with fast-xml-parser on every well-formed corpus file', () => {
  const fxp = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: false, parseTagValue: false, parseAttributeValue: false, trimValues: true, ignoreDeclaration: true, ignorePiTags: true, commentPropName: '#comment' });

  type Shape = { name: string; attrs: Record<string, string>; children: Shape[]; text: string };
  function ours(e: XmlElement): Shape {
    return { name: e.name, attrs: Object.fromEntries(e.attributes.map((a) => [a.name, a.value])), children: e.children.map(ours), text: e.children.length ? '' : e.text };
  }
  function theirs(node: Record<string, unknown>): Shape {
    const name = Object.keys(node).find((k) => k !== ':@')!;
    const kids = node[name] as Array<Record<string, unknown>>;
    const elements = kids.filter((k) => !('#text' in k) && !('#comment' in k));
    const text = elements.length ? '' : kids.filter((k) => '#text' in k).map((k) => String(k['#text'])).join('').trim();
    const attrs = Object.fromEntries(Object.entries((node[':@'] ?? {}) as Record<string, string>).map(([k, v]) => [k, String(v).replace(/[\t\n\r]/g, ' ')]));
    return { name, attrs, children: elements.map(theirs), text };
  }

  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.ovf'))) {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    const doc = parseXml(text);
    if (doc.error) continue; // the malformed ones are covered above
    test(file, () => {
      const top = (fxp.parse(text) as Array<Record<string, unknown>>).filter((n) => !('#comment' in n) && !('#text' in n));
      assert.equal(top.length, 1);
      assert.deepEqual(ours(doc.root!), theirs(top[0]));
    });
  }
});
