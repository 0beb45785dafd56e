// One walk of the envelope against the schema table (knowledge/schema.ts), cached per model: which
// OVF elements stand where the schema allows them, which are misplaced or unknown, and which
// elements of other namespaces extend the envelope. The structure and value rules read it.
// The CIM properties of Items and Systems are read here too, once: on a large descriptor each pass
// over the tree costs its memory traffic, so the value and required-property rules do not walk again.
import { cimName, cimPropertiesOf, ElementSpec, elementSpec, familyOf, Family, knownIn, ovfChildren, requiredPropertiesOf, typedPropertiesOf, ValueType, vocabularyOf } from '../knowledge/schema';
import { isNil, isValueOf } from '../knowledge/valueTypes';
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
  /** An Item-like element or System: the CIM properties its class requires that it lacks, in schema order (absent when none). */
  missingProperties?: string[];
  /** An Item-like element or System: its CIM properties whose value is not of the property's type, xsi:nil aside (absent when none). */
  invalidProperties?: Array<{ element: XmlElement; type: ValueType }>;
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
    const placed: KnownElement = { element: child, kind: childKind, parent: element, parentKind: kind, spec: childSpec };
    walk.known.push(placed);
    readCimProperties(placed, walk.family);
    if (child.children.length > 0) visit(child, childKind, childSpec, walk);
  }
}

/** Which required CIM properties an Item-like element or System lacks, and which hold a value of the wrong type. */
function readCimProperties(placed: KnownElement, family: Family): void {
  const properties = cimPropertiesOf(placed.kind, placed.parentKind);
  if (!properties) return;
  const required = requiredPropertiesOf(placed.kind, family);
  const typed = typedPropertiesOf(properties);
  let present = 0; // bit i: required[i] is there
  for (const child of placed.element.children) {
    const name = cimName(child.local);
    const at = required.indexOf(name);
    if (at !== -1) present |= 1 << at;
    const property = typed.get(name);
    if (property && !isValueOf(property.type, child.text) && !isNil(child)) (placed.invalidProperties ??= []).push({ element: child, type: property.type });
  }
  if (present !== (1 << required.length) - 1) placed.missingProperties = required.filter((_, i) => (present & (1 << i)) === 0);
}
