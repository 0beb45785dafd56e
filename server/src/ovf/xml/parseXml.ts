// A small, strict, fast XML reader that keeps the offset of everything it reads.
//
// Why not fast-xml-parser for descriptors: measured at ~180 ms per MB with captureMetaData (3.5 s
// for a 12 MB descriptor), it misses the editing-latency budget by 4-7x and reports no attribute
// or text offsets. fast-xml-parser remains the project's reader for protocol responses, and the
// tests compare this reader's trees with its output over the corpus.
//
// Security: no DTD processing at all. A DOCTYPE that declares entities is refused (no billion
// laughs, no external entities); only the five predefined and numeric character references are
// decoded. Nothing here touches the file system.
import { Span } from '../findings';
import { XmlAttribute, XmlComment, XmlDocument, XmlElement, XmlSyntaxError } from './xmlTree';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ROOT_NAMESPACES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { xml: XML_NS });
// Most elements have no attributes or no children: share one frozen empty array (fewer objects
// to allocate and collect on multi-megabyte descriptors); replaced on first use.
const NO_ATTRIBUTES: XmlAttribute[] = Object.freeze([]) as unknown as XmlAttribute[];
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];
const MAX_DEPTH = 512;
/** Attributes checked for repeats by scanning; past this many, by a set. */
const SCAN_ATTRIBUTES = 16;

class XmlError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly kind: XmlSyntaxError['kind'] = 'malformed',
    readonly related?: XmlSyntaxError['related'],
  ) {
    super(message);
  }
}

interface TextPart {
  start: number;
  end: number;
  cdata: boolean;
}

/**
 * An open element. Frames are reused by depth (a descriptor opens hundreds of thousands of
 * elements), and the first run of text is kept as plain numbers: no allocation for a leaf.
 */
interface Frame {
  element: XmlElement;
  namespaces: Record<string, string>;
  /** The first run of character data directly inside the element; -1 when none. */
  firstStart: number;
  firstEnd: number;
  firstCdata: boolean;
  /** Further runs (CDATA, or text split by a comment); rare, so allocated only when needed. */
  more: TextPart[] | undefined;
}

export function parseXml(text: string): XmlDocument {
  const reader = new Reader(text);
  let error: XmlSyntaxError | undefined;
  try {
    reader.read();
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    // A problem at the very end (a value cut off after '=') points at the last character, not past it.
    const clamp = (n: number) => Math.max(0, Math.min(n, text.length));
    error = { message: err.message, span: { start: clamp(err.span.start), end: clamp(err.span.end) }, kind: err.kind, ...(err.related && { related: err.related }) };
    reader.closeOpenElements();
  }
  return { root: reader.root, error, comments: reader.comments };
}

class Reader {
  root: XmlElement | undefined;
  readonly comments: XmlComment[] = [];
  private readonly stack: Frame[] = [];
  private readonly framePool: Frame[] = [];
  private readonly names = new Map<string, { prefix: string; local: string }>();
  private pos = 0;

  constructor(private readonly text: string) {}

  read(): void {
    const text = this.text;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      throw new XmlError('This is not a text file: it contains binary data (a NUL byte)', { start: nul, end: nul + 1 }, 'binary');
    }
    let rootClosed = false;
    while (this.pos < text.length) {
      const lt = text.indexOf('<', this.pos);
      const textEnd = lt === -1 ? text.length : lt;
      if (textEnd > this.pos) this.charData(this.pos, textEnd, rootClosed);
      if (lt === -1) break;
      this.pos = lt;
      const next = text.charCodeAt(lt + 1);
      if (next === 47 /* / */) {
        this.endTag();
        if (this.stack.length === 0) rootClosed = true;
      } else if (next === 33 /* ! */) {
        if (text.startsWith('<!--', lt)) this.comment();
        else if (text.startsWith('<![CDATA[', lt)) this.cdata();
        else if (text.startsWith('<!DOCTYPE', lt)) this.doctype();
        else throw new XmlError("Unexpected '<!': expected a comment, CDATA section or DOCTYPE", { start: lt, end: lt + 2 });
      } else if (next === 63 /* ? */) {
        this.processingInstruction();
      } else {
        if (rootClosed || (this.stack.length === 0 && this.root)) {
          throw new XmlError('Only one root element is allowed; this element follows the end of the root', { start: lt, end: this.nameEndAt(lt + 1) });
        }
        this.startTag();
        if (this.stack.length === 0) rootClosed = true;
      }
    }
    if (this.stack.length > 0) {
      const open = this.stack[this.stack.length - 1].element;
      const end = { start: text.length, end: text.length };
      throw new XmlError(`Element <${open.name}> is not closed before the end of the document`, open.nameSpan, 'malformed', [{ span: end, message: 'the document ends here' }]);
    }
    if (!this.root) {
      throw new XmlError('The document has no root element', { start: 0, end: Math.min(text.length, 1) });
    }
  }

  /** After an error: give every open element an end, so the partial tree is still usable. */
  closeOpenElements(): void {
    while (this.stack.length > 0) {
      const frame = this.stack.pop()!;
      frame.element.span.end = this.text.length;
    }
  }

  private charData(start: number, end: number, rootClosed: boolean): void {
    const text = this.text;
    if (this.stack.length === 0) {
      for (let i = start; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
          const where = rootClosed ? 'after the root element' : 'before the root element';
          const problem = c === 0 ? 'Binary data (a NUL byte)' : 'Text';
          throw new XmlError(`${problem} is not allowed ${where}`, { start: i, end: i + 1 });
        }
      }
      return;
    }
    if (indexIn(text, 38 /* & */, start, end) !== -1) decodeEntities(text, start, end); // validates references
    // Text is kept only for elements without children (mixed content carries no OVF meaning).
    const frame = this.stack[this.stack.length - 1];
    if (frame.element.children.length === 0) addText(frame, start, end, false);
  }

  private comment(): void {
    const start = this.pos;
    const close = this.text.indexOf('-->', start + 4);
    if (close === -1) throw new XmlError('Comment is not closed (missing -->)', { start, end: start + 4 });
    this.comments.push({ span: { start, end: close + 3 }, text: this.text.slice(start + 4, close) });
    this.pos = close + 3;
  }

  private cdata(): void {
    const start = this.pos;
    const close = this.text.indexOf(']]>', start + 9);
    if (close === -1) throw new XmlError('CDATA section is not closed (missing ]]>)', { start, end: start + 9 });
    if (this.stack.length === 0) throw new XmlError('CDATA is not allowed outside the root element', { start, end: start + 9 });
    addText(this.stack[this.stack.length - 1], start + 9, close, true);
    this.pos = close + 3;
  }

  private processingInstruction(): void {
    const start = this.pos;
    const close = this.text.indexOf('?>', start + 2);
    if (close === -1) throw new XmlError('Processing instruction is not closed (missing ?>)', { start, end: start + 2 });
    const target = this.text.slice(start + 2, this.nameEndAt(start + 2));
    if (target.toLowerCase() === 'xml' && start > (this.text.charCodeAt(0) === 0xfeff ? 1 : 0)) {
      throw new XmlError('The XML declaration must be at the very start of the document', { start, end: start + 5 });
    }
    this.pos = close + 2;
  }

  private doctype(): void {
    const start = this.pos;
    if (this.root) throw new XmlError('DOCTYPE is not allowed after the root element starts', { start, end: start + 9 });
    // Find the end, skipping an internal subset in [ ... ].
    let i = start + 9;
    let depth = 0;
    for (; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 91 /* [ */) depth++;
      else if (c === 93 /* ] */) depth--;
      else if (c === 62 /* > */ && depth <= 0) break;
    }
    const body = this.text.slice(start, i);
    const entity = body.search(/<!ENTITY/);
    if (entity !== -1) {
      throw new XmlError(
        'Entity declarations are not allowed in an OVF descriptor (they can expand without bound or read other files); remove the DOCTYPE',
        { start: start + entity, end: start + entity + 8 },
        'dtd',
      );
    }
    if (/\bSYSTEM\b|\bPUBLIC\b/.test(body)) {
      throw new XmlError('External DTDs are not allowed in an OVF descriptor; remove the DOCTYPE', { start, end: start + 9 }, 'dtd');
    }
    if (i >= this.text.length) throw new XmlError('DOCTYPE is not closed', { start, end: start + 9 });
    this.pos = i + 1;
  }

  private startTag(): void {
    const text = this.text;
    const start = this.pos;
    const nameStart = start + 1;
    const nameEnd = this.nameEndAt(nameStart);
    if (nameEnd === nameStart) {
      throw new XmlError("'<' must start a tag name; write &lt; for a literal '<'", { start, end: start + 1 });
    }
    const name = text.slice(nameStart, nameEnd);
    let attributes: XmlAttribute[] = NO_ATTRIBUTES;
    let seen: Set<string> | undefined;
    let i = nameEnd;
    let selfClosing = false;
    for (;;) {
      const wsStart = i;
      i = this.skipSpace(i);
      const c = text.charCodeAt(i);
      if (c === 62 /* > */) { i++; break; }
      if (c === 47 /* / */ && text.charCodeAt(i + 1) === 62) { selfClosing = true; i += 2; break; }
      if (i >= text.length) throw new XmlError(`Start tag <${name}> is not closed (missing >)`, { start, end: nameEnd });
      if (i === wsStart) throw new XmlError(`Expected white space before an attribute in <${name}>`, { start: i, end: i + 1 });
      const attrNameEnd = this.nameEndAt(i);
      if (attrNameEnd === i) throw new XmlError(`Unexpected character '${text[i]}' in start tag <${name}>`, { start: i, end: i + 1 });
      const attrName = text.slice(i, attrNameEnd);
      let j = this.skipSpace(attrNameEnd);
      if (text.charCodeAt(j) !== 61 /* = */) {
        throw new XmlError(`Attribute '${attrName}' has no value (expected ="...")`, { start: i, end: attrNameEnd });
      }
      j = this.skipSpace(j + 1);
      const quote = text.charCodeAt(j);
      if (quote !== 34 && quote !== 39) {
        throw new XmlError(`The value of attribute '${attrName}' must be in quotes`, { start: j, end: j + 1 });
      }
      const valueEnd = text.indexOf(quote === 34 ? '"' : "'", j + 1);
      if (valueEnd === -1) throw new XmlError(`The value of attribute '${attrName}' is not closed`, { start: j, end: j + 1 });
      // One pass over the value: most values have no '<', '&' or white space to normalise.
      let special = false;
      for (let k = j + 1; k < valueEnd; k++) {
        const ch = text.charCodeAt(k);
        if (ch === 60 /* < */) throw new XmlError(`'<' is not allowed in the value of attribute '${attrName}'; write &lt;`, { start: k, end: k + 1 });
        if (ch === 38 /* & */ || ch === 9 || ch === 10 || ch === 13) special = true;
      }
      // Repeats: a scan while the list is short (most elements), a set past that, so a hostile
      // element with 100k attributes costs linear time, not quadratic.
      if (seen) {
        if (seen.has(attrName)) throw new XmlError(`Attribute '${attrName}' is repeated`, { start: i, end: attrNameEnd });
        seen.add(attrName);
      } else {
        for (const a of attributes) {
          if (a.name === attrName) throw new XmlError(`Attribute '${attrName}' is repeated`, { start: i, end: attrNameEnd });
        }
        if (attributes.length >= SCAN_ATTRIBUTES) seen = new Set([...attributes.map((a) => a.name), attrName]);
      }
      const colon = attrName.indexOf(':');
      if (attributes === NO_ATTRIBUTES) attributes = [];
      attributes.push({
        name: attrName,
        prefix: colon === -1 ? '' : attrName.slice(0, colon),
        local: colon === -1 ? attrName : attrName.slice(colon + 1),
        ns: undefined,
        value: special ? decodeEntities(text, j + 1, valueEnd, true) : text.slice(j + 1, valueEnd),
        nameSpan: { start: i, end: attrNameEnd },
        valueSpan: { start: j + 1, end: valueEnd },
      });
      i = valueEnd + 1;
    }

    const parentFrame = this.stack[this.stack.length - 1];
    // Declarations layer over the parent's by prototype (no copy per element: linear however many
    // are declared); the chain ends in a null prototype, so no prefix resolves to Object's members.
    const inherited = parentFrame ? parentFrame.namespaces : ROOT_NAMESPACES;
    let namespaces = inherited;
    for (const a of attributes) {
      if (a.name === 'xmlns' || a.prefix === 'xmlns') {
        if (namespaces === inherited) namespaces = Object.create(inherited) as Record<string, string>;
        namespaces[a.prefix === 'xmlns' ? a.local : ''] = a.value;
      }
    }
    const { prefix, local } = this.splitName(name);
    const ns = namespaces[prefix];
    if (prefix && ns === undefined && prefix !== 'xml') {
      throw new XmlError(`Namespace prefix '${prefix}' is not declared`, { start: nameStart, end: nameStart + prefix.length });
    }
    for (const a of attributes) {
      if (a.prefix && a.prefix !== 'xmlns') {
        a.ns = namespaces[a.prefix];
        if (a.ns === undefined) throw new XmlError(`Namespace prefix '${a.prefix}' is not declared`, a.nameSpan);
      }
    }

    const element: XmlElement = {
      name, prefix, local, ns: ns || undefined, attributes, children: NO_CHILDREN, parent: parentFrame?.element,
      span: { start, end: i }, nameSpan: { start: nameStart, end: nameEnd }, startTagEnd: i,
      text: '', textSpan: { start: i, end: i },
    };
    if (parentFrame) {
      const parent = parentFrame.element;
      if (parent.children === NO_CHILDREN) parent.children = [element];
      else parent.children.push(element);
    }
    else this.root = element;
    this.pos = i;
    if (!selfClosing) {
      if (this.stack.length >= MAX_DEPTH) throw new XmlError(`Elements are nested more than ${MAX_DEPTH} deep`, element.nameSpan);
      const depth = this.stack.length;
      const frame = this.framePool[depth] ?? (this.framePool[depth] = { element, namespaces, firstStart: -1, firstEnd: -1, firstCdata: false, more: undefined });
      frame.element = element;
      frame.namespaces = namespaces;
      frame.firstStart = -1;
      frame.more = undefined;
      this.stack.push(frame);
    }
  }

  private endTag(): void {
    const text = this.text;
    const start = this.pos;
    const nameEnd = this.nameEndAt(start + 2);
    const close = this.skipSpace(nameEnd);
    const frame = this.stack.pop();
    // The usual case, a matching and closed end tag, is checked in place without slicing the name.
    if (frame && nameEnd - start - 2 === frame.element.name.length && text.startsWith(frame.element.name, start + 2) && text.charCodeAt(close) === 62) {
      this.closeElement(frame, start, close);
      return;
    }
    // Anything else is an error; the open element goes back on the stack for recovery.
    if (frame) this.stack.push(frame);
    const name = text.slice(start + 2, nameEnd);
    if (text.charCodeAt(close) !== 62) throw new XmlError(`End tag </${name}> is not closed (missing >)`, { start, end: nameEnd });
    if (!frame) throw new XmlError(`End tag </${name}> has no matching start tag`, { start, end: close + 1 });
    const open = frame.element;
    const endTag = { start: start + 2, end: nameEnd };
    // The end tag closes an element further out: the innermost open element is the one left
    // unclosed (a deleted `</References>`), so it is reported at its own start tag, as vscode-xml does.
    if (this.isOpen(name)) {
      throw new XmlError(`Element <${open.name}> is not closed: expected </${open.name}> before </${name}>`, open.nameSpan, 'malformed', [
        { span: endTag, message: `</${name}> closes an enclosing element while <${open.name}> is still open` },
      ]);
    }
    throw new XmlError(`End tag </${name}> does not match the open element <${open.name}>`, endTag, 'malformed', [
      { span: open.nameSpan, message: `<${open.name}> is opened here` },
    ]);
  }

  /** Whether an element of this name is open (only asked on an error, so a scan is fine). */
  private isOpen(name: string): boolean {
    return this.stack.some((f) => f.element.name === name);
  }

  private closeElement(frame: Frame, endTagStart: number, close: number): void {
    const element = frame.element;
    element.span.end = close + 1;
    if (element.children.length === 0) setText(this.text, element, frame, endTagStart);
    this.pos = close + 1;
  }

  /** prefix and local part, computed once per distinct name (a descriptor repeats a few dozen). */
  private splitName(name: string): { prefix: string; local: string } {
    let parts = this.names.get(name);
    if (!parts) {
      const colon = name.indexOf(':');
      parts = colon === -1 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
      this.names.set(name, parts);
    }
    return parts;
  }

  private nameEndAt(i: number): number {
    const text = this.text;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      // Name characters: letters, digits, and . - _ : plus anything non-ASCII.
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 45 || c === 46 || c > 127) i++;
      else break;
    }
    return i;
  }

  private skipSpace(i: number): number {
    const text = this.text;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13) i++;
      else break;
    }
    return i;
  }
}

function addText(frame: Frame, start: number, end: number, cdata: boolean): void {
  if (frame.firstStart === -1) {
    frame.firstStart = start;
    frame.firstEnd = end;
    frame.firstCdata = cdata;
  } else {
    (frame.more ??= []).push({ start, end, cdata });
  }
}

function setText(text: string, element: XmlElement, frame: Frame, contentEnd: number): void {
  if (frame.firstStart !== -1 && !frame.more && !frame.firstCdata) {
    let start = frame.firstStart;
    let end = frame.firstEnd;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    element.textSpan.start = start; // the span object made with the element, filled in place
    element.textSpan.end = end;
    element.text = indexIn(text, 38 /* & */, start, end) !== -1 ? decodeEntities(text, start, end) : text.slice(start, end);
    return;
  }
  if (frame.firstStart === -1) {
    element.textSpan.end = contentEnd;
    return;
  }
  const parts: TextPart[] = [{ start: frame.firstStart, end: frame.firstEnd, cdata: frame.firstCdata }, ...(frame.more ?? [])];
  const value = parts.map((p) => (p.cdata ? text.slice(p.start, p.end) : decodeEntities(text, p.start, p.end))).join('');
  element.text = value.trim();
  element.textSpan = { start: parts[0].start, end: parts[parts.length - 1].end };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** indexOf bounded to [start, end), so scanning many small ranges stays linear overall. */
function indexIn(text: string, charCode: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === charCode) return i;
  return -1;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes character and predefined entity references in text[start, end); throws on others. */
function decodeEntities(text: string, start: number, end: number, normalizeSpace = false): string {
  let out = '';
  let i = start;
  while (i < end) {
    const amp = indexIn(text, 38 /* & */, i, end);
    if (amp === -1) break;
    out += text.slice(i, amp);
    const semi = indexIn(text, 59 /* ; */, amp, Math.min(end, amp + 12));
    if (semi === -1) {
      throw new XmlError("'&' must start a reference like &amp; (write &amp; for a literal '&')", { start: amp, end: amp + 1 });
    }
    const ref = text.slice(amp + 1, semi);
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) {
        throw new XmlError(`'&${ref};' is not a valid character reference`, { start: amp, end: semi + 1 });
      }
      out += String.fromCodePoint(code);
    } else if (Object.hasOwn(PREDEFINED, ref)) {
      out += PREDEFINED[ref];
    } else {
      throw new XmlError(`Unknown entity '&${ref};' (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)`, { start: amp, end: semi + 1 });
    }
    i = semi + 1;
  }
  out += text.slice(i, end);
  // Attribute value normalisation: literal tabs and newlines count as spaces.
  return normalizeSpace ? out.replace(/[\t\n\r]/g, ' ') : out;
}
