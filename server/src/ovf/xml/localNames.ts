// Lookups by local name over the domain's parse tree. vCloud answers and OVF descriptors use
// namespace prefixes freely (`ovf:id`, `vcloud:Link`, a default namespace), so protocol readers and
// the simulators match on local names; the tree itself stays the one strict reader (no DTD
// entities, linear time, depth-capped).
import { parseXml } from './parseXml';
import { XmlElement } from './xmlTree';

/**
 * The root element of `text`; throws an Error saying what is wrong and at which offset when the
 * text is not well-formed XML (a partial tree is never handed on).
 */
export function parseXmlRoot(text: string): XmlElement {
  const doc = parseXml(text);
  if (doc.error) throw new Error(`${doc.error.message} (at offset ${doc.error.span.start})`);
  if (!doc.root) throw new Error('no root element');
  return doc.root;
}

/** The value of the first attribute with this local name (namespace declarations excluded). */
export function attr(e: XmlElement | undefined, local: string): string | undefined {
  if (!e) return undefined;
  for (const a of e.attributes) {
    if (a.local === local && a.prefix !== 'xmlns' && a.name !== 'xmlns') return a.value;
  }
  return undefined;
}

/** Direct children with this local name. */
export function childrenNamed(e: XmlElement | undefined, local: string): XmlElement[] {
  return e ? e.children.filter((c) => c.local === local) : [];
}

export function child(e: XmlElement | undefined, local: string): XmlElement | undefined {
  return e?.children.find((c) => c.local === local);
}

/** Every descendant with this local name, depth first in document order. */
export function descendants(e: XmlElement, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (n: XmlElement) => {
    for (const c of n.children) {
      if (c.local === local) found.push(c);
      walk(c);
    }
  };
  walk(e);
  return found;
}
