// The hardware a VM gets in each deployment configuration, computed once per model. DSP0243 1.1
// §8.1/§8.4 (VirtualHardwareSection, ranges) and §9.8 (DeploymentOptionSection): an Item with ovf:configuration
// applies only in the configurations it lists, an Item without it in all of them; Items sharing an
// InstanceID describe one device, the ovf:bound="min"/"max" ones giving the range around the normal
// one. So a rule that judges hardware asks "what does configuration C deploy", not "what Items exist".
import { Span } from '../findings';
import { Descriptor, HardwareItem, kindOf, ovfAttr, VirtualHardwareSection, VirtualSystemDef } from './descriptor';
import { configurationsOf } from './references';

export interface DeploymentConfiguration {
  /** The Configuration's ovf:id; undefined for the single configuration of a descriptor without options. */
  id: string | undefined;
  isDefault: boolean;
  span?: Span;
}

/** One device in one configuration: its normal Item and, when given, the Items bounding it. */
export interface EffectiveItem {
  item: HardwareItem;
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
}

const cache = new WeakMap<Descriptor, EffectiveModel>();

export function effectiveHardware(doc: Descriptor): EffectiveModel {
  let model = cache.get(doc);
  if (!model) {
    model = build(doc);
    cache.set(doc, model);
  }
  return model;
}

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
  const configurations = deploymentConfigurations(doc);
  const hardware: EffectiveHardware[] = [];
  for (const configuration of configurations) {
    for (const system of doc.virtualSystems) {
      for (const section of system.hardware) {
        hardware.push({ configuration, system, section, items: itemsFor(section.items, configuration.id) });
      }
    }
  }
  return { configurations, hardware };
}

type Bound = 'normal' | 'min' | 'max';

function boundOf(item: HardwareItem): Bound {
  const value = ovfAttr(item.element, 'bound')?.value.trim();
  return value === 'min' || value === 'max' ? value : 'normal';
}

/**
 * For each InstanceID and bound, the Item for this configuration: one that lists it, else one that
 * lists no configuration (the Cisco-style override of a default Item). Items without an InstanceID
 * cannot be merged with anything and stand alone.
 */
function itemsFor(items: HardwareItem[], configuration: string | undefined): EffectiveItem[] {
  const groups = new Map<string | HardwareItem, HardwareItem[]>();
  for (const item of items) {
    const key = item.instanceId?.value.trim() || item;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const out: EffectiveItem[] = [];
  for (const group of groups.values()) {
    const pick = (bound: Bound) => {
      const candidates = group.filter((i) => boundOf(i) === bound);
      const specific = configuration === undefined ? undefined : candidates.find((i) => configurationsOf(i)?.has(configuration));
      return specific ?? candidates.find((i) => configurationsOf(i) === undefined);
    };
    const item = pick('normal');
    if (item) out.push({ item, min: pick('min'), max: pick('max') });
  }
  return out.sort((a, b) => a.item.element.span.start - b.item.element.span.start);
}
