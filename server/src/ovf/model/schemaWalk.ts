// One walk of the envelope against the schema table (knowledge/schema.ts), cached per model: which
// OVF elements stand where the schema allows them, which are misplaced or unknown, and which
// elements of other namespaces extend the envelope. The structure and value rules read it.
import { ChildSpec, ElementSpec, elementSpec, Family, familyOf, knownIn, vocabularyOf } from '../knowledge/schema';
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
  for (const child of element.children) {
    const childKind = kindOf(child);
    const unqualifiedOvf = child.ns === undefined && spec.children.some((c) => c.vocabulary === 'ovf' && c.name === childKind);
    if (!unqualifiedOvf && (child.ns === undefined || !isOvfElement(child))) {
      // CIM properties of Item/System are checked by the value rules; anything else extends OVF.
      if (vocabularyOf(child.ns) === undefined) walk.extensions.push({ element: child, kind: child.local, parent: element, parentKind: kind });
      continue;
    }
    const childSpec = elementSpec(childKind, kind);
    const placed = { element: child, kind: childKind, parent: element, parentKind: kind };
    if (!childSpec || !knownIn(childSpec, walk.family)) {
      walk.unknown.push(placed);
      continue;
    }
    const allowed: ChildSpec | undefined = spec.children.find((c) => c.vocabulary === 'ovf' && c.name === childKind && knownIn(c, walk.family));
    if (!allowed || allowed.tolerated) {
      walk.misplaced.push({ ...placed, spec: childSpec, tolerated: !!allowed });
      continue; // its content is judged by whoever reads it there
    }
    walk.known.push({ ...placed, spec: childSpec });
    visit(child, childKind, childSpec, walk);
  }
}
