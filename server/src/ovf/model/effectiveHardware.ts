// The hardware a VM gets in each deployment configuration, computed once per model. DSP0243 1.1
// §8.4 (ranges) and §9.8 (DeploymentOptionSection): an Item with ovf:configuration applies only in
// the configurations it lists, one without it in all of them; Items sharing an InstanceID combine
// into one device, the ovf:bound="min"/"max" ones marking its range. So a rule that judges hardware
// asks "what does configuration C deploy", not "what Items exist".
import { Span } from '../findings';
import { Descriptor, HardwareItem, kindOf, ovfAttr, VirtualHardwareSection, VirtualSystemDef } from './descriptor';
import { combineItems, selectedIn } from './itemMerge';
import { perModel } from './perModel';

export interface DeploymentConfiguration {
  /** The Configuration's ovf:id; undefined for the single configuration of a descriptor without options. */
  id: string | undefined;
  isDefault: boolean;
  span?: Span;
}

/** One device in one configuration: its Items combined and, when given, the markers bounding it. */
export interface EffectiveItem {
  /** The combined view of the normal Items (a later Item's property replaces an earlier one's). */
  item: HardwareItem;
  /** The normal Items combined into it, in document order. */
  items: HardwareItem[];
  min?: HardwareItem;
  max?: HardwareItem;
}

export interface EffectiveHardware {
  configuration: DeploymentConfiguration;
  system: VirtualSystemDef;
  section: VirtualHardwareSection;
  /** The devices in force, in document order of their normal Item. */
  items: EffectiveItem[];
}

export interface EffectiveModel {
  /** The deployment configurations, the default one first. */
  configurations: DeploymentConfiguration[];
  /** Per configuration (in the order above), per VirtualSystem, per hardware section. */
  hardware: EffectiveHardware[];
  /** Configurations past the work bound (MAX_CONFIGURATION_ITEMS), not judged. */
  unjudged: DeploymentConfiguration[];
}

/**
 * Work bound: configurations judged times Items in the descriptor. Real descriptors need a few
 * hundred; a hostile one with thousands of both would cost their product (seconds to minutes, in
 * the language server on every edit). The default configuration is always judged.
 */
export const MAX_CONFIGURATION_ITEMS = 200_000;

export const effectiveHardware: (doc: Descriptor) => EffectiveModel = perModel(build);

/** The configurations named by `ovf:configuration` phrases: "'large'", or "'large', 'huge'". */
export function configurationNames(configs: DeploymentConfiguration[]): string {
  return configs.map((c) => `'${c.id ?? ''}'`).join(', ');
}

/** DSP0243 §9.8: the Configuration with ovf:default="true", else the first one, is the default. */
export function deploymentConfigurations(doc: Descriptor): DeploymentConfiguration[] {
  const section = doc.deploymentOptionSection;
  const found: DeploymentConfiguration[] = [];
  for (const c of section?.children ?? []) {
    if (kindOf(c) !== 'Configuration') continue;
    const id = ovfAttr(c, 'id');
    if (!id || found.some((f) => f.id === id.value)) continue;
    found.push({ id: id.value, isDefault: /^(true|1)$/.test(ovfAttr(c, 'default')?.value.trim() ?? ''), span: id.span });
  }
  if (found.length === 0) return [{ id: undefined, isDefault: true }];
  const marked = found.findIndex((c) => c.isDefault);
  const defaultIndex = marked < 0 ? 0 : marked;
  found.forEach((c, i) => (c.isDefault = i === defaultIndex));
  return [found[defaultIndex], ...found.filter((_, i) => i !== defaultIndex)];
}

function build(doc: Descriptor): EffectiveModel {
  const all = deploymentConfigurations(doc);
  let itemCount = 0;
  for (const system of doc.virtualSystems) for (const section of system.hardware) itemCount += section.items.length;
  const configurations = all.slice(0, Math.max(1, Math.floor(MAX_CONFIGURATION_ITEMS / Math.max(1, itemCount))));
  const hardware: EffectiveHardware[] = [];
  for (const configuration of configurations) {
    for (const system of doc.virtualSystems) {
      for (const section of system.hardware) {
        hardware.push({ configuration, system, section, items: itemsFor(section.items, configuration.id) });
      }
    }
  }
  return { configurations, hardware, unjudged: all.slice(configurations.length) };
}

/**
 * The devices of one hardware section in one configuration: the Items of each InstanceID that the
 * configuration selects, combined (itemMerge.ts), their min/max markers beside them. Items without
 * an InstanceID cannot be combined with anything and stand alone.
 */
function itemsFor(items: HardwareItem[], configuration: string | undefined): EffectiveItem[] {
  const plain = eachItemAlone(items);
  if (plain) return plain;
  const combined = combineItems(items, configuration);
  const markers = new Map(combined.filter((c) => c.bound !== 'normal').map((c) => [`${c.bound} ${c.instanceId}`, c]));
  const marker = (bound: 'min' | 'max', id: string) => {
    const found = markers.get(`${bound} ${id}`);
    return found && mergedView(found.items);
  };
  const out: EffectiveItem[] = combined
    .filter((c) => c.bound === 'normal')
    .map((c) => ({ item: mergedView(c.items), items: c.items, min: marker('min', c.instanceId), max: marker('max', c.instanceId) }));
  for (const item of items) {
    if (item.instanceId === undefined && selectedIn(item, configuration)) out.push({ item, items: [item] });
  }
  return out;
}

/**
 * The common case, answered without combining: no Item is conditional or a range marker and no two
 * share an InstanceID, so each Item is a device of its own in every configuration (in the order
 * the combining gives: those with an InstanceID first, then those without).
 */
function eachItemAlone(items: HardwareItem[]): EffectiveItem[] | undefined {
  const ids = new Set<string>();
  const withId: EffectiveItem[] = [];
  const withoutId: EffectiveItem[] = [];
  for (const item of items) {
    if (item.configuration || item.bound) return undefined;
    const id = item.instanceId?.value;
    if (id === undefined) {
      withoutId.push({ item, items: [item] });
      continue;
    }
    if (ids.has(id)) return undefined;
    ids.add(id);
    withId.push({ item, items: [item] });
  }
  return withoutId.length > 0 ? [...withId, ...withoutId] : withId;
}

/** Items combined as DSP0243 says: each property from the last Item that has it. */
function mergedView(items: HardwareItem[]): HardwareItem {
  const last = items[items.length - 1];
  if (items.length === 1) return last;
  const latest = <K extends keyof HardwareItem>(key: K): HardwareItem[K] => {
    for (let i = items.length - 1; i >= 0; i--) {
      const value = items[i][key];
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) return value;
    }
    return last[key];
  };
  return {
    ...last,
    instanceId: latest('instanceId'), resourceType: latest('resourceType'), resourceSubType: latest('resourceSubType'),
    elementName: latest('elementName'), parent: latest('parent'), hostResources: latest('hostResources'),
    connections: latest('connections'), virtualQuantity: latest('virtualQuantity'), allocationUnits: latest('allocationUnits'),
    addressOnParent: latest('addressOnParent'),
  };
}
