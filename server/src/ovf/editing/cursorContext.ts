// Where the cursor is, read from the text alone: completion runs while the user types, when the
// XML is usually broken, so this never needs a well-formed tree. It scans backwards from the
// cursor only as far as the enclosing elements, which keeps it fast on multi-megabyte files.
import { Span } from '../findings';

export interface OpenElement {
  /** Qualified name as written. */
  name: string;
  local: string;
  prefix: string;
  /** Offset of its `<`. */
  start: number;
}

export type CursorContext =
  | { kind: 'elementName'; typed: string; replace: Span; parents: OpenElement[] }
  | { kind: 'attributeName'; element: string; typed: string; replace: Span; existing: string[] }
  | { kind: 'attributeValue'; element: string; attribute: string; typed: string; replace: Span; parents: OpenElement[] }
  | { kind: 'text'; typed: string; replace: Span; parents: OpenElement[] }
  | { kind: 'none' };

const NAME = /[\w.:-]/;

export function cursorContext(text: string, offset: number): CursorContext {
  // lastIndexOf clamps a negative start to 0, so offset 0 must not search at all.
  const lt = offset > 0 ? text.lastIndexOf('<', offset - 1) : -1;
  const gt = offset > 0 ? text.lastIndexOf('>', offset - 1) : -1;
  if (lt > gt) return insideTag(text, lt, offset);
  if (insideComment(text, offset)) return { kind: 'none' };
  // Character content: the text run around the cursor, trimmed.
  let start = gt + 1;
  while (start < offset && /\s/.test(text[start])) start++;
  let end = offset;
  while (end < text.length && text[end] !== '<' && text[end] !== '\n') end++;
  while (end > offset && /\s/.test(text[end - 1])) end--;
  return { kind: 'text', typed: text.slice(start, offset), replace: { start, end }, parents: openElements(text, lt === -1 ? offset : gt + 1) };
}

function insideTag(text: string, lt: number, offset: number): CursorContext {
  const tag = text.slice(lt, offset);
  if (tag.startsWith('<!') || tag.startsWith('<?') || tag.startsWith('</')) return { kind: 'none' };
  const nameMatch = /^<([\w.:-]*)/.exec(tag)!;
  if (nameMatch[0].length === tag.length) {
    let end = offset;
    while (end < text.length && NAME.test(text[end])) end++;
    return { kind: 'elementName', typed: nameMatch[1], replace: { start: lt + 1, end }, parents: openElements(text, lt) };
  }
  const element = nameMatch[1];
  // Inside a quoted value? Walk the tag tracking quotes.
  let quote = '';
  let quoteStart = -1;
  for (let i = nameMatch[0].length; i < tag.length; i++) {
    const c = tag[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      quoteStart = lt + i;
    }
  }
  if (quote) {
    const attribute = /([\w.:-]+)\s*=\s*$/.exec(text.slice(lt, quoteStart))?.[1];
    if (!attribute) return { kind: 'none' };
    let end = offset;
    while (end < text.length && text[end] !== quote && text[end] !== '<' && text[end] !== '>' && text[end] !== '\n') end++;
    return { kind: 'attributeValue', element, attribute, typed: text.slice(quoteStart + 1, offset), replace: { start: quoteStart + 1, end }, parents: openElements(text, lt) };
  }
  let start = offset;
  while (start > lt && NAME.test(text[start - 1])) start--;
  if (!/\s/.test(text[start - 1] ?? '')) return { kind: 'none' };
  let end = offset;
  while (end < text.length && NAME.test(text[end])) end++;
  const existing = [...tag.matchAll(/\s([\w.:-]+)\s*=/g)].map((m) => m[1]);
  return { kind: 'attributeName', element, typed: text.slice(start, offset), replace: { start, end }, existing };
}

function insideComment(text: string, offset: number): boolean {
  const open = text.lastIndexOf('<!--', offset);
  return open !== -1 && text.lastIndexOf('-->', offset) < open;
}

/**
 * The elements open at `offset`, innermost first, up to `limit`: walks tags backwards, matching
 * end tags with their start tags, until it meets start tags nobody closed.
 */
export function openElements(text: string, offset: number, limit = 3): OpenElement[] {
  const open: OpenElement[] = [];
  const closed: string[] = [];
  let pos = offset;
  while (open.length < limit && pos > 0) {
    const lt = text.lastIndexOf('<', pos - 1);
    if (lt === -1) break;
    pos = lt;
    const c = text[lt + 1];
    if (c === '!' || c === '?') continue;
    const gt = text.indexOf('>', lt);
    if (gt === -1 || gt > offset) {
      if (c === '/') continue;
    } else if (text[gt - 1] === '/') {
      continue; // self-closing
    }
    const name = /^<\/?([\w.:-]+)/.exec(text.slice(lt, lt + 200))?.[1];
    if (!name) continue;
    if (c === '/') {
      closed.push(name);
    } else if (closed.length > 0 && closed[closed.length - 1] === name) {
      closed.pop();
    } else {
      const colon = name.indexOf(':');
      open.push({ name, local: colon === -1 ? name : name.slice(colon + 1), prefix: colon === -1 ? '' : name.slice(0, colon), start: lt });
    }
  }
  return open;
}

export interface RootNamespaces {
  /** The default namespace of the root element, if any. */
  defaultNs: string | undefined;
  /** Namespace uri -> the first prefix declared for it. */
  prefixOf: Map<string, string>;
}

/** The namespace declarations of the root element, read from the text (no tree needed). */
export function rootNamespaces(text: string): RootNamespaces {
  const result: RootNamespaces = { defaultNs: undefined, prefixOf: new Map() };
  const root = /<(?![?!])[\w.:-]+([^>]*)>/.exec(text.slice(0, 64 * 1024));
  if (!root) return result;
  for (const m of root[1].matchAll(/xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']/g)) {
    if (m[1] === undefined) result.defaultNs = m[2];
    else if (!result.prefixOf.has(m[2])) result.prefixOf.set(m[2], m[1]);
  }
  return result;
}
