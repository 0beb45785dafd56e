// A small uniform view of an XML document, built on fast-xml-parser's ordered output: every element
// has its local name, attributes (by local name too) and children in document order. vCloud answers
// and OVF descriptors both use namespace prefixes freely, so callers match on local names.
import { XMLParser } from 'fast-xml-parser';

export interface XmlElement {
  /** Local name, without a namespace prefix. */
  name: string;
  /** Name as written, with its prefix. */
  qname: string;
  /** Attributes by local name (the first one wins when two prefixes share a local name). */
  attrs: Record<string, string>;
  /** Attributes as written, with prefixes (`xmlns:ovf`, `ovf:id`). */
  rawAttrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses `text` and returns its root element; throws an Error saying why when it is not XML. */
export function parseXml(text: string): XmlElement {
  const nodes = parser.parse(text) as Ordered[];
  const root = nodes.map(toElement).find((e): e is XmlElement => e !== undefined);
  if (!root) throw new Error('no root element');
  return root;
}

function toElement(node: Ordered): XmlElement | undefined {
  const qname = Object.keys(node).find((k) => k !== ':@');
  if (!qname || qname === '#text') return undefined;
  const rawAttrs = node[':@'] ?? {};
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    const local = localName(k);
    if (!(local in attrs) && !k.startsWith('xmlns')) attrs[local] = String(v);
  }
  const content = (node[qname] as Ordered[]) ?? [];
  const children: XmlElement[] = [];
  let text = '';
  for (const c of content) {
    if ('#text' in c) text += String(c['#text']);
    else {
      const e = toElement(c);
      if (e) children.push(e);
    }
  }
  return { name: localName(qname), qname, attrs, rawAttrs: Object.fromEntries(Object.entries(rawAttrs).map(([k, v]) => [k, String(v)])), children, text };
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** Direct children named `name` (local name). */
export function childrenNamed(e: XmlElement | undefined, name: string): XmlElement[] {
  return e ? e.children.filter((c) => c.name === name) : [];
}

export function child(e: XmlElement | undefined, name: string): XmlElement | undefined {
  return e?.children.find((c) => c.name === name);
}

/** Every descendant (depth first, document order) named `name`. */
export function descendants(e: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (n: XmlElement) => {
    for (const c of n.children) {
      if (c.name === name) found.push(c);
      walk(c);
    }
  };
  walk(e);
  return found;
}

/** The namespace URI bound to the element's own prefix (declared on the element itself). */
export function ownNamespace(e: XmlElement): string | undefined {
  const i = e.qname.indexOf(':');
  const decl = i < 0 ? 'xmlns' : `xmlns:${e.qname.slice(0, i)}`;
  return e.rawAttrs[decl];
}
