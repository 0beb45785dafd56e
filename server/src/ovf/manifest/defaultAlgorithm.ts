// Which algorithm a new manifest uses when the user has not chosen: vCloud (and ESXi/vCenter 5.5)
// reject SHA256, so SHA1 for vCloud and OVF 1.x; OVF 2.x conventionally uses SHA256.
import { OvfVersion } from '../model/version';
import { ManifestAlgorithm } from './algorithms';

export function defaultAlgorithm(version: OvfVersion, targets: readonly string[] = []): ManifestAlgorithm {
  if (targets.includes('vcloud')) return 'SHA1';
  return version === '2.x' ? 'SHA256' : 'SHA1';
}

/** Why defaultAlgorithm chose what it did, for prompts and logs. */
export function defaultAlgorithmReason(version: OvfVersion, targets: readonly string[] = []): string {
  if (targets.includes('vcloud')) return 'vCloud Director checks SHA1 manifests';
  return version === '2.x' ? 'OVF 2.x uses SHA256' : 'OVF 1.x uses SHA1';
}
