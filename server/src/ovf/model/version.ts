// OVF versions are told apart by the envelope namespace; 1.0 and 1.1 share one and differ only by
// the optional `ovf:version` attribute (VMware tools never write it).
import { XmlElement } from '../xml/xmlTree';

export const OVF_NS_09 = 'http://www.vmware.com/schema/ovf/1/envelope';
export const OVF_NS_1 = 'http://schemas.dmtf.org/ovf/envelope/1';
export const OVF_NS_2 = 'http://schemas.dmtf.org/ovf/envelope/2';
export const RASD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData';
export const VSSD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData';
export const SASD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_StorageAllocationSettingData';
export const EPASD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_EthernetPortAllocationSettingData';

export type OvfVersion = '0.9' | '1.0' | '1.1' | '2.x' | 'unknown';

const KNOWN = new Set([OVF_NS_09, OVF_NS_1, OVF_NS_2, OVF_NS_1 + '/', OVF_NS_2 + '/']);

export function isOvfNamespace(ns: string | undefined): boolean {
  return ns !== undefined && KNOWN.has(ns);
}

export function detectVersion(root: XmlElement | undefined): OvfVersion {
  if (!root || root.local !== 'Envelope') return 'unknown';
  const ns = root.ns?.replace(/\/$/, '');
  const declared = root.attributes.find((a) => a.local === 'version' && (a.prefix === '' || isOvfNamespace(a.ns)))?.value.trim();
  if (ns === OVF_NS_09) return '0.9';
  if (ns === OVF_NS_2) return '2.x';
  // oVirt writes ovf:version="0.9" in the 1.x namespace, with 0.9-style sections: trust the declaration.
  if (ns === OVF_NS_1) return declared === '1.1' ? '1.1' : declared === '0.9' ? '0.9' : '1.0';
  return 'unknown';
}
