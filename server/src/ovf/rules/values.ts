// Values: OVF attributes and CIM properties hold values of their schema type (numbers, booleans,
// enumerations), and a disk's populated size fits its capacity.
import { describeType, isValueOf } from '../knowledge/valueTypes';
import { ovfAttr } from '../model/descriptor';
import { schemaWalk } from '../model/schemaWalk';
import { bytesPerUnit } from '../model/units';
import { Rule } from './rule';

export const invalidValue: Rule = {
  code: 'ovf/invalid-value',
  target: 'generic',
  category: 'structure',
  severity: 'error',
  description: 'A value of the wrong type: ovf:size, ovf:capacity, ovf:populatedSize and ovf:chunkSize must be whole numbers (chunkSize above 0), ovf:required and other flags xs:boolean, ovf:bound min/normal/max, OperatingSystemSection ovf:id a number; RASD/VSSD quantities (VirtualQuantity, Reservation, Limit, Weight, ResourceType, …) whole numbers and AutomaticAllocation a boolean.',
  source: 'DSP8023 attribute types (xs:unsignedLong, xs:long, xs:boolean, xs:unsignedShort); CIM_ResourceAllocationSettingData and CIM_VirtualSystemSettingData property types (uint16, uint32, uint64, boolean); DSP0243 1.1.0 clause 8.4 (ovf:bound)',
  check({ doc, report }) {
    const walk = schemaWalk(doc);
    for (const { kind, invalidAttributes, invalidProperties } of walk.known) {
      for (const { attr, attribute } of invalidAttributes ?? []) {
        report(attr.span, `ovf:${attribute.name} of <${kind}> is '${attr.value}', not ${describeType(attribute.type)}`);
      }
      const prefix = kind === 'System' ? 'vssd' : 'rasd';
      for (const { element: child, type } of invalidProperties ?? []) {
        const span = child.text === '' ? child.nameSpan : child.textSpan;
        report(span, `${prefix}:${child.local} is '${child.text}', not ${describeType(type)}`);
      }
    }
  },
};

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
