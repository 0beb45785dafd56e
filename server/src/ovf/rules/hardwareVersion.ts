// Both clouds refuse a VM whose virtual hardware is newer than their hosts run.
import { Span } from '../findings';
import { Descriptor } from '../model/descriptor';
import { highestVmxVersion } from '../model/units';

/** Each VirtualSystemType whose highest vmx-N exceeds `max` (0 = no limit known: none). */
export function* hardwareNewerThan(doc: Descriptor, max: number): Generator<{ version: number; span: Span }> {
  if (max <= 0) return;
  for (const vs of doc.virtualSystems) {
    for (const hw of vs.hardware) {
      const version = highestVmxVersion(hw.systemType?.value);
      if (version !== undefined && version > max) yield { version, span: hw.systemType!.span };
    }
  }
}
