// The syntax tree of an XML document with exact source offsets for every name, value and text,
// which is what diagnostics, hover, rename and completion need.
import { Span } from '../findings';

export interface XmlAttribute {
  /** Qualified name as written, e.g. `ovf:id`. */
  name: string;
  prefix: string;
  local: string;
  /** Namespace URI; unprefixed attributes have none. */
  ns: string | undefined;
  /** Value with entity references decoded. */
  value: string;
  nameSpan: Span;
  /** The value between the quotes, as written. */
  valueSpan: Span;
}

export interface XmlElement {
  name: string;
  prefix: string;
  local: string;
  ns: string | undefined;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /** From `<` of the start tag to after `>` of the end tag (or of a self-closing tag). */
  span: Span;
  /** The name in the start tag. */
  nameSpan: Span;
  /** Offset just after the `>` of the start tag. */
  startTagEnd: number;
  /** Character content of an element without child elements, trimmed and decoded. */
  text: string;
  /** Where that trimmed text stands (empty span at the content start when there is none). */
  textSpan: Span;
}

export interface XmlComment {
  span: Span;
  text: string;
}

export interface XmlSyntaxError {
  message: string;
  span: Span;
  /** binary: not text at all; dtd: a DOCTYPE with entities or an external DTD (refused). */
  kind: 'malformed' | 'binary' | 'dtd';
  /** The other end of the problem, e.g. the end tag that found an element unclosed. */
  related?: Array<{ span: Span; message: string }>;
}

export interface XmlDocument {
  root: XmlElement | undefined;
  /** The first well-formedness error; the tree then holds what was read before it. */
  error: XmlSyntaxError | undefined;
  comments: XmlComment[];
}

/** The innermost element whose span contains `offset`. */
export function elementAt(root: XmlElement | undefined, offset: number): XmlElement | undefined {
  let found: XmlElement | undefined;
  let current = root;
  while (current && offset >= current.span.start && offset <= current.span.end) {
    found = current;
    current = current.children.find((c) => offset >= c.span.start && offset <= c.span.end);
  }
  return found;
}
