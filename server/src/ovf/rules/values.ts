// Values: OVF attributes and CIM properties hold values of their schema type (numbers, booleans,
// enumerations), and a disk's populated size fits its capacity.
import { CIM_PROPERTIES, cimPropertiesOf, PropertySpec, typedAttributes, ValueType } from '../knowledge/schema';
import { ovfAttr } from '../model/descriptor';
import { schemaWalk } from '../model/schemaWalk';
import { bytesPerUnit } from '../model/units';
import { XmlElement } from '../xml/xmlTree';
import { Rule } from './rule';
import { cimName } from './structure';

const MAX: Partial<Record<ValueType, bigint>> = {
  uint16: 0xffffn,
  uint32: 0xffffffffn,
  uint64: 0xffffffffffffffffn,
  positive: 0x7fffffffffffffffn,
  int32: 0x7fffffffn,
  int64: 0x7fffffffffffffffn,
};

const WORDS: Record<ValueType, string> = {
  string: 'text',
  boolean: 'a boolean (true or false)',
  uint16: 'a whole number from 0 to 65535',
  uint32: 'a whole number from 0 to 4294967295',
  uint64: 'a whole number, 0 or more',
  int32: 'a whole number (32-bit)',
  int64: 'a whole number (64-bit)',
  positive: 'a whole number greater than 0',
  capacity: 'a whole number, 0 or more, or a ${property} reference',
  bound: "'min', 'normal' or 'max'",
};

/** Whether `raw` is a lexically valid value of the type (XML Schema collapses white space first). */
export function isValueOf(type: ValueType, raw: string): boolean {
  const value = raw.trim();
  switch (type) {
    case 'string':
      return true;
    case 'boolean':
      return /^(true|false|1|0)$/.test(value);
    case 'bound':
      return /^(min|normal|max)$/.test(value);
    case 'capacity':
      return /^\$\{[^}]+\}$/.test(value) || isValueOf('uint64', value);
    case 'int32':
    case 'int64': {
      if (!/^[+-]?\d+$/.test(value)) return false;
      const n = BigInt(value);
      return n <= MAX[type]! && n >= -MAX[type]! - 1n;
    }
    default: {
      if (!/^\+?\d+$/.test(value)) return false;
      // Short numbers need no BigInt (this runs for every RASD quantity of a large descriptor).
      if (value.length < 10) return type !== 'uint16' || Number(value) <= 0xffff ? type !== 'positive' || Number(value) > 0 : false;
      const n = BigInt(value);
      return n <= MAX[type]! && (type !== 'positive' || n > 0n);
    }
  }
}

export function describeType(type: ValueType): string {
  return WORDS[type];
}

export const invalidValue: Rule = {
  code: 'ovf/invalid-value',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'A value of the wrong type: ovf:size, ovf:capacity, ovf:populatedSize and ovf:chunkSize must be whole numbers (chunkSize above 0), ovf:required and other flags xs:boolean, ovf:bound min/normal/max, OperatingSystemSection ovf:id a number; RASD/VSSD quantities (VirtualQuantity, Reservation, Limit, Weight, ResourceType, …) whole numbers and AutomaticAllocation a boolean.',
  source: 'DSP8023 attribute types (xs:unsignedLong, xs:long, xs:boolean, xs:unsignedShort); CIM_ResourceAllocationSettingData and CIM_VirtualSystemSettingData property types (uint16, uint32, uint64, boolean); DSP0243 1.1.0 clause 8.4 (ovf:bound)',
  check({ doc, report }) {
    const walk = schemaWalk(doc);
    for (const { element, kind, spec, parentKind } of walk.known) {
      for (const attribute of typedAttributes(spec, walk.family)) {
        const attr = ovfAttr(element, attribute.name);
        if (attr && !isValueOf(attribute.type, attr.value)) {
          report(attr.span, `ovf:${attribute.name} of <${kind}> is '${attr.value}', not ${describeType(attribute.type)}`);
        }
      }
      const properties = cimPropertiesOf(kind, parentKind);
      if (!properties) continue;
      const prefix = properties === CIM_PROPERTIES.vssd ? 'vssd' : 'rasd';
      const typed = typedPropertiesOf(properties);
      for (const child of element.children) {
        const property = typed.get(cimName(child.local));
        if (!property || isValueOf(property.type, child.text) || isNil(child)) continue;
        const span = child.text === '' ? child.nameSpan : child.textSpan;
        report(span, `${prefix}:${child.local} is '${child.text}', not ${describeType(property.type)}`);
      }
    }
  },
};

const typedProperties = new Map<Record<string, PropertySpec>, Map<string, PropertySpec>>();

/** A class's properties with a type to check, as a map (looked up for every CIM property of a large descriptor). */
function typedPropertiesOf(properties: Record<string, PropertySpec>): Map<string, PropertySpec> {
  let typed = typedProperties.get(properties);
  if (!typed) typedProperties.set(properties, (typed = new Map(Object.entries(properties).filter(([, p]) => p.type !== 'string'))));
  return typed;
}

/** `xsi:nil="true"`: CIM's way to write "no value", which every CIM property allows. */
function isNil(element: XmlElement): boolean {
  return element.attributes.some((a) => a.local === 'nil' && a.prefix !== '' && /^(true|1)$/.test(a.value.trim()));
}

export const populatedSize: Rule = {
  code: 'ovf/populated-size',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: "A Disk's ovf:populatedSize (bytes of data in the disk) is greater than its ovf:capacity (the virtual disk size): one of the two is wrong.",
  source: 'DSP0243 1.1.0 clause 9.1 (ovf:capacity is the virtual disk size in ovf:capacityAllocationUnits; ovf:populatedSize the bytes actually used)',
  check({ doc, report }) {
    for (const disk of doc.disks) {
      const populated = ovfAttr(disk.element, 'populatedSize');
      if (!populated || !disk.capacity || !isValueOf('uint64', populated.value) || !isValueOf('uint64', disk.capacity.value)) continue;
      const per = bytesPerUnit(disk.capacityUnits?.value);
      if (per === undefined) continue;
      const capacity = Number(disk.capacity.value.trim()) * per;
      if (Number(populated.value.trim()) > capacity) {
        report(populated.span, `Disk '${disk.diskId?.value ?? ''}' has populatedSize ${populated.value.trim()} bytes, more than its capacity of ${capacity} bytes`, {
          related: [{ span: disk.capacity.span, message: 'the capacity' }],
        });
      }
    }
  },
};
