// A seeded mutation fuzzer for the readers of text ovfkit does not control: OVF descriptors (the
// XML reader, the model, every rule, completion and hover), manifests (parser and lint) and vCloud API answers (the
// response readers). Each case is fully determined by its own seed: the seed picks a target, a
// real-world input (the corpus, the vCloud fixtures) and 1-8 mutations (cuts, repeats, splices and
// hostile tokens), so a failing case is replayed with `npm run fuzz -- --seed N --cases 1`.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { VcloudError } from '../../client/src/transfer/vcloud/errors';
import * as responses from '../../client/src/transfer/vcloud/responses';
import { completionsAt } from '../../server/src/ovf/editing/completion';
import { hoverAt } from '../../server/src/ovf/editing/hover';
import { occurrences } from '../../server/src/ovf/editing/navigation';
import { lintManifest } from '../../server/src/ovf/manifest/lintManifest';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { parseManifest } from '../../server/src/ovf/manifest/parseManifest';
import { validateText } from '../../server/src/ovf/validate';
import { decodeXmlBytes } from '../../server/src/ovf/xml/decodeXml';

/** mulberry32: small, fast, and the same sequence for a seed on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type TargetName = 'descriptor' | 'manifest' | 'vcloud';

export interface Seeds {
  descriptor: string[];
  manifest: string[];
  vcloud: string[];
}

/** Inputs to mutate: the labelled corpus (descriptors and manifests) and the real vCloud answers. */
export function loadSeeds(root = process.cwd()): Seeds {
  const read = (dir: string, ext: string) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => readFileSync(path.join(root, dir, f), 'utf8'));
  return {
    descriptor: read('test/fixtures/corpus/files', '.ovf'),
    manifest: [...read('test/fixtures/corpus/files', '.mf'), 'SHA1(a.ovf)= 0123456789012345678901234567890123456789\n'],
    vcloud: read('test/fixtures/vcloud', '.xml'),
  };
}

// Tokens that have broken or could break readers: markup, references, DTDs, encodings, numbers
// out of range, path tricks, manifest syntax, control characters, lone surrogates.
const TOKENS = [
  '<', '>', '&', '"', "'", '=', '/', '</', '/>', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>',
  '<?xml version="1.0" encoding="UTF-16"?>', '<!DOCTYPE a [<!ENTITY x "y">]>', '<!DOCTYPE a SYSTEM "file:///etc/passwd">',
  '&amp;', '&lt;', '&#0;', '&#x110000;', '&#xD800;', '&#65;', '&x;', '&valueOf;', '&;',
  'xmlns=""', 'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"', 'xmlns:toString="x"', 'constructor:a', '__proto__', 'ovf:',
  ' ovf:href="../x.vmdk"', ' ovf:href="/etc/passwd"', ' ovf:href="file:///etc/passwd"', ' ovf:href="..disk1.vmdk"', ' ovf:href=""',
  ' ovf:size="-1"', ' ovf:size="1e309"', ' ovf:size="99999999999999999999999"', ' ovf:capacity="NaN"', 'byte * 2^9999', 'byte * 2^-1',
  ' ovf:chunkSize="0"', ' ovf:id=""', ' ovf:id="x"', ' ovf:fileRef="x"', ' ovf:parentRef="x"', 'ovf:/disk/', 'ovf:/file/',
  '<rasd:ResourceType>17</rasd:ResourceType>', '<rasd:VirtualQuantity>-5</rasd:VirtualQuantity>', '<rasd:Parent>0</rasd:Parent>',
  'vmx-99999', 'vmx-', '<!-- ovfkit: targets=vcloud,nope -->', '<!-- ovfkit: targets= -->',
  'SHA1(', 'SHA256(', 'SHA512(', 'MD5(', ')=', ')= ', ' = ', '(', ')', '\r\n', '\r', '\n', '\t', ' ',
  'bytesTransferred="abc"', 'size="-7"', 'status="NaN"', 'href="https://evil.example/"', 'rel="upload:default"',
  '\u0000', '\u0001', '\u001b[31m', '\uFEFF', '\uD800', '\uDFFF', '\u2028', '\uFFFE', 'é', '😀',
];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

function int(r: () => number, max: number): number {
  return Math.floor(r() * max);
}

/** One random edit of `s`; `others` are splice partners. Keeps inputs under ~2 MB. */
function mutateOnce(r: () => number, s: string, others: readonly string[]): string {
  const at = int(r, s.length + 1);
  const span = Math.min(s.length - at, 1 + int(r, r() < 0.8 ? 16 : 2048));
  switch (int(r, 9)) {
    case 0: // cut a range
      return s.slice(0, at) + s.slice(at + span);
    case 1: // insert a token
      return s.slice(0, at) + pick(r, TOKENS) + s.slice(at);
    case 2: // repeat a token many times (what made the old readers quadratic)
      return s.slice(0, at) + pick(r, TOKENS).repeat(1 + int(r, r() < 0.9 ? 50 : 20_000)) + s.slice(at);
    case 3: // duplicate a range
      return s.slice(0, at + span) + s.slice(at, at + span) + s.slice(at + span);
    case 4: // truncate
      return s.slice(0, at);
    case 5: // replace one character
      return s.slice(0, at) + String.fromCharCode(int(r, r() < 0.7 ? 128 : 0x10000)) + s.slice(at + 1);
    case 6: { // splice in a part of another input
      const other = pick(r, others);
      const from = int(r, other.length + 1);
      return s.slice(0, at) + other.slice(from, from + 1 + int(r, 4096)) + s.slice(at);
    }
    case 7: { // swap two ranges
      const b = int(r, s.length + 1);
      const [x, y] = at < b ? [at, b] : [b, at];
      const len = Math.min(span, y - x);
      return s.slice(0, x) + s.slice(y, y + len) + s.slice(x + len, y) + s.slice(x, x + len) + s.slice(y + len);
    }
    default: // replace a quoted value with a token
      return s.replace(/"[^"]*"/, () => `"${pick(r, TOKENS)}"`);
  }
}

export interface FuzzCase {
  seed: number;
  target: TargetName;
  input: string;
}

const TARGETS: readonly TargetName[] = ['descriptor', 'descriptor', 'manifest', 'vcloud'];

export function makeCase(seed: number, seeds: Seeds): FuzzCase {
  const r = rng(seed);
  const target = pick(r, TARGETS);
  const pool = seeds[target];
  let input = pick(r, pool);
  for (let n = 1 + int(r, 8); n > 0; n--) {
    input = mutateOnce(r, input, pool);
    if (input.length > 2_000_000) input = input.slice(0, 2_000_000);
  }
  return { seed, target, input };
}

/** Every span a finding carries lies inside the text: a broken span would crash an editor. */
function checkSpans(what: string, textLength: number, spans: Array<{ start: number; end: number }>): void {
  for (const s of spans) {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= textLength)) {
      throw new Error(`${what}: span ${JSON.stringify(s)} outside the text (length ${textLength})`);
    }
  }
}

const VCLOUD_READERS: Array<[string, (text: string) => unknown]> = [
  ['readServerError', responses.readServerError],
  ['readVersions', responses.readVersions],
  ['readOrgList', responses.readOrgList],
  ['readSessionOrgHref', responses.readSessionOrgHref],
  ['readOrg', responses.readOrg],
  ['readUploadLink', responses.readUploadLink],
  ['readCatalogItemEntity', responses.readCatalogItemEntity],
  ['readTaskText', responses.readTaskText],
  ['readTemplate', responses.readTemplate],
];

/** A refusal the readers are allowed: a plain Error or the client's typed protocol error, with a
 *  message (not a TypeError, RangeError...). */
function isCleanRefusal(err: unknown): boolean {
  const typed = err instanceof VcloudError || (err instanceof Error && Object.getPrototypeOf(err) === Error.prototype);
  return typed && (err as Error).message.length > 0;
}

/** Runs one case; throws when a reader crashed or broke an invariant. */
export async function runCase(c: FuzzCase): Promise<void> {
  switch (c.target) {
    case 'descriptor': {
      const findings = validateText(c.input, { targets: ['vcloud', 'cloudcontrol'] });
      checkSpans('validateText', c.input.length, findings.flatMap((f) => [f.span, ...(f.related ?? []).map((x) => x.span), ...(f.fixes ?? []).flatMap((x) => x.edits.map((e) => e.span))]));
      // What the editor runs as the user types, at an offset chosen by the seed.
      const doc = parseDescriptor(c.input);
      occurrences(doc);
      const offset = int(rng(c.seed ^ 0x9e3779b9), c.input.length + 1);
      completionsAt(c.input, offset, doc.xml.error ? undefined : doc, undefined);
      hoverAt(doc, offset, undefined);
      // The same text as UTF-16 bytes must read back the same way.
      const bytes = Buffer.from('\uFEFF' + c.input, 'utf16le');
      if (decodeXmlBytes(bytes) !== '\uFEFF' + c.input && !/[\uD800-\uDFFF]/.test(c.input)) throw new Error('UTF-16 round trip changed the text');
      return;
    }
    case 'manifest': {
      const parsed = parseManifest(c.input);
      checkSpans('parseManifest', c.input.length, [...parsed.findings.map((f) => f.span), ...parsed.entries.flatMap((e) => [e.lineSpan, e.nameSpan, e.digestSpan, e.algorithmSpan])]);
      // The editor's lint, beside no package: must settle, never reject.
      await lintManifest(c.input, path.join('/nonexistent-ovfkit-fuzz', 'x.mf'));
      return;
    }
    case 'vcloud':
      for (const [name, read] of VCLOUD_READERS) {
        try {
          read(c.input);
        } catch (err) {
          if (!isCleanRefusal(err)) throw new Error(`${name} crashed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
        }
      }
      return;
  }
}
