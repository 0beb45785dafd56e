// The value types of OVF attributes and CIM properties (XML Schema and CIM intrinsic types): what
// a lexically valid value looks like, and how messages name the type. The schema walk and the
// value rules read them.
import { ValueType } from './schema';
import { XmlElement } from '../xml/xmlTree';

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

/** `xsi:nil="true"`: CIM's way to write "no value", which every CIM property allows. */
export function isNil(element: XmlElement): boolean {
  return element.attributes.some((a) => a.local === 'nil' && a.prefix !== '' && /^(true|1)$/.test(a.value.trim()));
}
