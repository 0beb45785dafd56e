// One walk of the envelope against the schema table (knowledge/schema.ts), cached per model: which
// OVF elements stand where the schema allows them, which are misplaced or unknown, and which
// elements of other namespaces extend the envelope. The structure and value rules read it.
// Each known element is judged against its spec here too, once (required attributes, children and
// CIM properties; typed values): on a large descriptor every pass over the tree costs its memory
// traffic, so the structure and value rules only report what the walk found.
import {
  AttributeSpec, cimName, cimPropertiesOf, ElementSpec, elementSpec, familyOf, Family, knownIn, ovfChildren, requiredAttributes, requiredChildren,
  requiredPropertiesOf, typedAttributes, typedPropertiesOf, ValueType, vocabularyOf,
} from '../knowledge/schema';
import { isNil, isValueOf } from '../knowledge/valueTypes';
import { XmlElement } from '../xml/xmlTree';
import { Attr, Descriptor, kindOf, ovfAttr } from './descriptor';

export interface PlacedElement {
  element: XmlElement;
  /** The OVF kind: the local name, or for 0.9's Section/Content the xsi:type. */
  kind: string;
  parent: XmlElement;
  parentKind: string;
}

export interface KnownElement extends PlacedElement {
  spec: ElementSpec;
  // What the element lacks or holds wrongly, each absent when there is nothing (the usual case).
  /** Attributes the schema requires that it lacks (those without a rule of their own), in schema order. */
  missingAttributes?: string[];
  /** Attributes whose value is not of their schema type. */
  invalidAttributes?: Array<{ attr: Attr; attribute: AttributeSpec }>;
  /** OVF children the schema requires that it lacks, in schema order. */
  missingChildren?: string[];
  /** An Item-like element or System: the CIM properties its class requires that it lacks, in schema order. */
  missingProperties?: string[];
  /** An Item-like element or System: its CIM properties whose value is not of the property's type, xsi:nil aside. */
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
  const placed: KnownElement = { element: root, kind: 'Envelope', parent: root, parentKind: '', spec: elementSpec('Envelope')! };
  walk.known.push(placed);
  judge(placed, walk.family);
  visit(root, 'Envelope', placed.spec, walk);
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
    judge(placed, walk.family);
    if (child.children.length > 0) visit(child, childKind, childSpec, walk);
  }
}

/** Fills in what the element lacks or holds wrongly by its spec (see KnownElement). */
function judge(placed: KnownElement, family: Family): void {
  const { element, spec } = placed;
  for (const attribute of requiredAttributes(spec, family)) {
    if (!ovfAttr(element, attribute.name)) (placed.missingAttributes ??= []).push(attribute.name);
  }
  for (const attribute of typedAttributes(spec, family)) {
    const attr = ovfAttr(element, attribute.name);
    if (attr && !isValueOf(attribute.type, attr.value)) (placed.invalidAttributes ??= []).push({ attr, attribute });
  }
  for (const name of requiredChildren(spec, family)) {
    if (!hasOvfChild(element, name)) (placed.missingChildren ??= []).push(name);
  }
  readCimProperties(placed, family);
}

function hasOvfChild(element: XmlElement, kind: string): boolean {
  for (const c of element.children) if (kindOf(c) === kind && isOvfElement(c)) return true;
  return false;
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
