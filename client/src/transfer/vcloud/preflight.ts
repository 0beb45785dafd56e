// What to know before an upload starts: the descriptor's findings under the vCloud target, and
// the names vCloud will give VMs whose ids are too long. Both front ends show this first.
import { parseDescriptor } from '../../../../server/src/ovf/model/descriptor';
import { vcloudVmNames } from '../../../../server/src/ovf/targets/vcloudNames';
import { readDescriptorText, ReportedFinding, validateFile } from '../../../../server/src/ovf/validate';

export interface VmRename {
  id: string;
  name: string;
}

export interface VcloudPreflight {
  findings: ReportedFinding[];
  errors: ReportedFinding[];
  /** Only the VMs vCloud renames (id longer than 13 characters). */
  renames: VmRename[];
}

export async function preflightVcloud(descriptorPath: string): Promise<VcloudPreflight> {
  const report = await validateFile(descriptorPath, { targets: ['vcloud'] });
  const doc = parseDescriptor(await readDescriptorText(descriptorPath));
  const ids = doc.virtualSystems.map((vs) => vs.id?.value ?? '');
  const names = vcloudVmNames(ids);
  return {
    findings: report.findings,
    errors: report.findings.filter((f) => f.severity === 'error'),
    renames: ids.map((id, i) => ({ id, name: names[i] })).filter((r) => r.id !== r.name),
  };
}
