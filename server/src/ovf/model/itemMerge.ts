// How DSP0243 combines hardware Items that share an InstanceID. Pure helpers over the model, used
// by the InstanceID rules and available to whatever computes effective hardware.
//
// - DSP0243 1.1.0 clause 9.8: an Item with ovf:configuration is selected only in the listed
//   deployment configurations, one without it in all of them. Items of one InstanceID that are
//   selected together combine into one: a child element of an earlier Item is dropped when a later
//   Item has a child of the same name. They shall agree on ResourceType.
// - Clause 8.4: ovf:bound="min"/"max" Items are range markers for the normal Item of their
//   InstanceID; at most one of each per InstanceID, and a normal Item must exist.
import { XmlElement } from '../xml/xmlTree';
import { HardwareItem } from './descriptor';
import { configurationsOf } from './references';

export type Bound = 'normal' | 'min' | 'max';

/** The item's bound (normal when absent); undefined for a value that is none of the three. */
export function boundOf(item: HardwareItem): Bound | undefined {
  const value = item.bound?.value.trim();
  if (value === undefined || value === '' || value === 'normal') return 'normal';
  return value === 'min' || value === 'max' ? value : undefined;
}

/** Whether the item is selected in a configuration (undefined: a descriptor without deployment options). */
export function selectedIn(item: HardwareItem, configuration: string | undefined): boolean {
  const listed = configurationsOf(item);
  return !listed || (configuration !== undefined && listed.has(configuration));
}

/** Whether some configuration selects both items. */
export function selectedTogether(a: HardwareItem, b: HardwareItem): boolean {
  const x = configurationsOf(a);
  const y = configurationsOf(b);
  if (!x || !y) return true;
  for (const c of x) if (y.has(c)) return true;
  return false;
}

/**
 * Whether the later item replaces the earlier one without either being an override of the other:
 * both unconditional, or both listing a common configuration. (An unconditional Item refined by one
 * with ovf:configuration is the intended way to vary hardware per configuration.)
 */
export function samePlace(a: HardwareItem, b: HardwareItem): boolean {
  const x = configurationsOf(a);
  const y = configurationsOf(b);
  if (!x && !y) return true;
  if (!x || !y) return false;
  for (const c of x) if (y.has(c)) return true;
  return false;
}

export interface CombinedItem {
  instanceId: string;
  bound: Bound;
  /** The Items combined, in document order. */
  items: HardwareItem[];
  /** Child elements by local name, each from the last Item that has a child of that name. */
  readonly properties: Map<string, XmlElement[]>;
}

/** The combined Items of one hardware section for a configuration, in order of first appearance. */
export function combineItems(items: readonly HardwareItem[], configuration: string | undefined): CombinedItem[] {
  const combined = new Map<string, Combined>();
  for (const item of items) {
    const id = item.instanceId?.value;
    const bound = boundOf(item);
    if (id === undefined || bound === undefined || !selectedIn(item, configuration)) continue;
    const key = `${bound} ${id}`;
    let entry = combined.get(key);
    if (!entry) {
      entry = new Combined(id, bound);
      combined.set(key, entry);
    }
    entry.items.push(item);
  }
  return [...combined.values()];
}

/** Properties are computed when first asked: most callers only group the Items (a large descriptor has many). */
class Combined implements CombinedItem {
  readonly items: HardwareItem[] = [];
  private merged: Map<string, XmlElement[]> | undefined;

  constructor(
    readonly instanceId: string,
    readonly bound: Bound,
  ) {}

  get properties(): Map<string, XmlElement[]> {
    if (this.merged) return this.merged;
    const properties = new Map<string, XmlElement[]>();
    for (const item of this.items) {
      const mine = new Map<string, XmlElement[]>();
      for (const child of item.element.children) {
        const list = mine.get(child.local);
        if (list) list.push(child);
        else mine.set(child.local, [child]);
      }
      for (const [name, elements] of mine) properties.set(name, elements);
    }
    return (this.merged = properties);
  }
}
