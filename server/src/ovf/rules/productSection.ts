// ProductSection properties: each has a key and a type, keys are unique where their full names
// (class.key.instance) would collide, and values are of the property's type.
import { PROPERTY_TYPES } from '../knowledge/schema';
import { Attr, ovfAttr } from '../model/descriptor';
import { KnownElement, schemaWalk } from '../model/schemaWalk';
import { XmlElement } from '../xml/xmlTree';
import { Rule } from './rule';
import { repeats } from './structure';

/** Property elements of the known ProductSections, with the section's scope. */
function properties(walk: ReturnType<typeof schemaWalk>): Array<KnownElement & { scope: string }> {
  const scopes = new Map<XmlElement, string>();
  return walk.known
    .filter((k) => k.kind === 'Property' && k.parentKind === 'ProductSection')
    .map((k) => {
      let scope = scopes.get(k.parent);
      if (scope === undefined) {
        // Sections of one VirtualSystem with the same class and instance share one key space.
        const owner = k.parent.parent?.span.start ?? -1;
        scope = `${owner} ${ovfAttr(k.parent, 'class')?.value.trim() ?? ''} ${ovfAttr(k.parent, 'instance')?.value.trim() ?? ''}`;
        scopes.set(k.parent, scope);
      }
      return { ...k, scope };
    });
}

export const propertyKey: Rule = {
  code: 'ovf/property-key',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'A ProductSection Property needs an ovf:key: it is the name the deployer and the guest (OVF environment) know it by.',
  source: 'DSP0243 1.1.0 clause 9.5; DSP8023 Property_Type (ovf:key use="required")',
  check({ doc, report }) {
    for (const p of properties(schemaWalk(doc))) {
      const key = ovfAttr(p.element, 'key');
      if (!key) report(p.element.nameSpan, 'This Property has no ovf:key; give it a name (letters, digits, - and _) unique in its ProductSection');
      else if (key.value.trim() === '') report(key.span, 'This Property has an empty ovf:key; give it a name unique in its ProductSection');
    }
  },
};

export const duplicateProperty: Rule = {
  code: 'ovf/duplicate-property',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'Two Properties with one ovf:key in a ProductSection (or in ProductSections of one VirtualSystem with the same ovf:class and ovf:instance): their full keys collide in the OVF environment.',
  source: 'DSP0243 1.1.0 clause 9.5 (the key, with class and instance, identifies the property)',
  check({ doc, report }) {
    const keys: Array<[string, Attr]> = [];
    for (const p of properties(schemaWalk(doc))) {
      const key = ovfAttr(p.element, 'key');
      if (key && key.value.trim() !== '') keys.push([`${p.scope} ${key.value.trim()}`, key]);
    }
    for (const [key, earlier] of repeats(keys)) {
      report(key.span, `Property '${key.value.trim()}' is already declared in this product; keys must be unique`, { related: [{ span: earlier.span, message: `first Property '${key.value.trim()}'` }] });
    }
  },
};

/** vSphere vApp property types some tools write instead of the CIM type names. */
const VSPHERE_TYPES = /^(int|real|password|ip|ip:.*|expression)$/;

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  uint8: [0n, 255n], sint8: [-128n, 127n], uint16: [0n, 65535n], sint16: [-32768n, 32767n],
  uint32: [0n, 4294967295n], sint32: [-2147483648n, 2147483647n], uint64: [0n, 18446744073709551615n], sint64: [-9223372036854775808n, 9223372036854775807n],
};

/** Whether a property value fits its type; unknown types accept anything (judged elsewhere). */
export function fitsPropertyType(type: string, raw: string): boolean {
  const value = raw.trim();
  if (type === 'boolean') return /^(true|false|1|0)$/.test(value);
  if (type === 'real32' || type === 'real64') return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(-?INF|NaN)$/.test(value);
  const range = INTEGER_RANGES[type];
  if (!range) return true;
  if (!/^[+-]?\d+$/.test(value)) return false;
  const n = BigInt(value);
  return n >= range[0] && n <= range[1];
}

export const propertyType: Rule = {
  code: 'ovf/property-type',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: "A ProductSection Property needs an ovf:type among OVF's (uint8 … sint64, string, boolean, real32, real64), and its ovf:value (and each Value's) must be of that type. vSphere vApp type names (int, ip, password, …) are a warning.",
  source: 'DSP0243 1.1.0 clause 9.5 (property types table); vSphere vApp options (its type names)',
  check({ doc, report }) {
    for (const p of properties(schemaWalk(doc))) {
      const type = ovfAttr(p.element, 'type');
      const key = ovfAttr(p.element, 'key')?.value ?? '';
      if (!type) {
        report(p.element.nameSpan, `Property '${key}' has no ovf:type; OVF requires one (string, boolean, uint32, …)`);
        continue;
      }
      const name = type.value.trim();
      if (!PROPERTY_TYPES.includes(name)) {
        const vsphere = VSPHERE_TYPES.test(name);
        report(type.span, `Property '${key}' has type '${name}', which is no OVF property type (${PROPERTY_TYPES.join(', ')})${vsphere ? '; vSphere understands it, other importers may not' : ''}`, {
          severity: vsphere ? 'warning' : undefined,
        });
        continue;
      }
      const values: Attr[] = [];
      const own = ovfAttr(p.element, 'value');
      if (own) values.push(own);
      for (const v of p.element.children) {
        const value = v.local === 'Value' ? ovfAttr(v, 'value') : undefined;
        if (value) values.push(value);
      }
      for (const value of values) {
        if (value.value.trim() === '' || value.value.includes('${') || fitsPropertyType(name, value.value)) continue;
        report(value.span, `Property '${key}' is of type ${name}, but its value '${value.value}' is not`);
      }
    }
  },
};
