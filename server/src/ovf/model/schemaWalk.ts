// One walk of the envelope against the schema table (knowledge/schema.ts), cached per model: which
// OVF elements stand where the schema allows them, which are misplaced or unknown, and which
// elements of other namespaces extend the envelope. The structure and value rules read it.
import { ElementSpec, elementSpec, familyOf, Family, knownIn, ovfChildren, vocabularyOf } from '../knowledge/schema';
import { XmlElement } from '../xml/xmlTree';
import { Descriptor, kindOf } from './descriptor';

export interface PlacedElement {
  element: XmlElement;
  /** The OVF kind: the local name, or for 0.9's Section/Content the xsi:type. */
  kind: string;
  parent: XmlElement;
  parentKind: string;
}

export interface KnownElement extends PlacedElement {
  spec: ElementSpec;
}

export interface SchemaWalk {
  family: Family;
  /** OVF elements where the schema allows them, in document order (the root first). */
  known: KnownElement[];
  /** Known OVF elements in a parent the schema does not allow; `tolerated` when a consumer reads them there. */
  misplaced: Array<KnownElement & { tolerated: boolean }>;
  /** Elements in the OVF namespace the schema of this version does not define. */
  unknown: PlacedElement[];
  /** Elements of other namespaces among OVF content (vendor extensions). */
  extensions: PlacedElement[];
}

const cache = new WeakMap<Descriptor, SchemaWalk>();

export function schemaWalk(doc: Descriptor): SchemaWalk {
  let walk = cache.get(doc);
  if (!walk) {
    walk = build(doc);
    cache.set(doc, walk);
  }
  return walk;
}

function build(doc: Descriptor): SchemaWalk {
  const walk: SchemaWalk = { family: familyOf(doc.version), known: [], misplaced: [], unknown: [], extensions: [] };
  const root = doc.root;
  if (!root || !doc.isOvf) return walk;
  walk.known.push({ element: root, kind: 'Envelope', parent: root, parentKind: '', spec: elementSpec('Envelope')! });
  visit(root, 'Envelope', elementSpec('Envelope')!, walk);
  return walk;
}

/**
 * In the OVF namespace, or without a namespace under an OVF parent, as VirtualBox's and oVirt's
 * early exports write their content: lenient readers (and ovfkit's model) take those as OVF.
 */
export function isOvfElement(element: XmlElement): boolean {
  if (element.ns === undefined) return elementSpec(kindOf(element)) !== undefined;
  return vocabularyOf(element.ns) === 'ovf';
}

function visit(element: XmlElement, kind: string, spec: ElementSpec, walk: SchemaWalk): void {
  const allowedHere = ovfChildren(spec, walk.family);
  for (const child of element.children) {
    const vocabulary = vocabularyOf(child.ns);
    if (vocabulary !== 'ovf' && vocabulary !== undefined) continue; // CIM properties: the value rules read them
    const childKind = kindOf(child);
    const allowed = allowedHere.get(childKind);
    if (vocabulary === undefined && (child.ns !== undefined || !allowed)) {
      walk.extensions.push({ element: child, kind: child.local, parent: element, parentKind: kind });
      continue;
    }
    const childSpec = elementSpec(childKind, kind);
    if (!childSpec || !knownIn(childSpec, walk.family)) {
      walk.unknown.push({ element: child, kind: childKind, parent: element, parentKind: kind });
      continue;
    }
    if (!allowed || allowed.tolerated) {
      walk.misplaced.push({ element: child, kind: childKind, parent: element, parentKind: kind, spec: childSpec, tolerated: !!allowed });
      continue; // its content is judged by whoever reads it there
    }
    walk.known.push({ element: child, kind: childKind, parent: element, parentKind: kind, spec: childSpec });
    if (child.children.length > 0) visit(child, childKind, childSpec, walk);
  }
}
