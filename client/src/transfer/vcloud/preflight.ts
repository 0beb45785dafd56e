// What to know before an upload starts: whether the package may go (the domain's readiness for the
// vCloud target), and the names vCloud will give VMs whose ids are too long. Both front ends show
// this first.
import { parseDescriptor } from '../../../../server/src/ovf/model/descriptor';
import { vcloudVmNames } from '../../../../server/src/ovf/targets/vcloudNames';
import { assessUploadReadiness, UploadReadiness } from '../../../../server/src/ovf/upload/uploadReadiness';
import { ValidationSettings } from '../../../../server/src/ovf/settings';
import { readDescriptorText } from '../../../../server/src/ovf/validate';

export interface VmRename {
  id: string;
  name: string;
}

export interface VcloudPreflight {
  readiness: UploadReadiness;
  /** Only the VMs vCloud renames (id longer than 13 characters). */
  renames: VmRename[];
}

export async function preflightVcloud(descriptorPath: string, settings?: Partial<ValidationSettings>): Promise<VcloudPreflight> {
  const readiness = await assessUploadReadiness(descriptorPath, 'vcloud', settings);
  if (readiness.verdict === 'blocked') return { readiness, renames: [] };
  const doc = parseDescriptor(await readDescriptorText(descriptorPath));
  const ids = doc.virtualSystems.map((vs) => vs.id?.value ?? '');
  const names = vcloudVmNames(ids);
  return { readiness, renames: ids.map((id, i) => ({ id, name: names[i] })).filter((r) => r.id !== r.name) };
}
