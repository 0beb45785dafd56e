// Both clouds run VMware hosts: a VM needs a VMware hardware family (`vmx-N`), not newer than the
// hosts run. A VirtualSystemType may list several families separated by spaces (Cisco's appliances
// write "vmx-10 vmx-11 vmx-13"); the host picks one it runs, so one acceptable value is enough.
import { Span } from '../findings';
import { Descriptor, TextValue } from '../model/descriptor';
import { vmxVersions } from '../model/units';

/** Each VirtualSystemType whose every vmx-N exceeds `max` (0 = no limit known: none), with its lowest N. */
export function* hardwareNewerThan(doc: Descriptor, max: number): Generator<{ version: number; span: Span }> {
  if (max <= 0) return;
  for (const vs of doc.virtualSystems) {
    for (const hw of vs.hardware) {
      const versions = vmxVersions(hw.systemType?.value);
      if (versions.length > 0 && versions.every((v) => v > max)) yield { version: Math.min(...versions), span: hw.systemType!.span };
    }
  }
}

/** Each VirtualSystemType none of whose values is a VMware hardware family (`vmx-N`). */
export function* systemTypesNotVmware(doc: Descriptor): Generator<TextValue> {
  for (const vs of doc.virtualSystems) {
    for (const hw of vs.hardware) {
      const type = hw.systemType;
      if (type && !type.value.split(/\s+/).some((t) => /^vmx-\d+$/.test(t))) yield type;
    }
  }
}
