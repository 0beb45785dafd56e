// What the simulated transfer service makes of an uploaded descriptor: the vCloud target's
// descriptor rules (through the domain), the files it references, and the names its VMs get.
import { attr, child, childrenNamed, descendants, parseXmlRoot, XmlElement } from '../../../../server/src/ovf';
import { vcloudRuleErrors, vcloudVmNamesFor } from './domainBridge';

export interface ReferencedFile {
  href: string;
  /** -1 when the descriptor gives no ovf:size (the server learns it from the first range). */
  size: number;
  /** ovf:chunkSize: the file is stored as parts HREF.000000000, …; it is uploaded as one file all the same. */
  chunkSize?: number;
}

export interface DescriptorVerdict {
  /** Messages of error-severity findings; any one refuses the upload. */
  errors: string[];
  references: ReferencedFile[];
  /** Names of the template's VMs, in document order. */
  vmNames: string[];
}

export function judgeDescriptor(text: string): DescriptorVerdict {
  let root: XmlElement;
  try {
    root = parseXmlRoot(text);
  } catch (err) {
    return { errors: [`The OVF descriptor is not well-formed XML: ${(err as Error).message}`], references: [], vmNames: [] };
  }
  const errors = vcloudRuleErrors(text);
  const references = childrenNamed(child(root, 'References'), 'File').map((f) => {
    const size = attr(f, 'size');
    const chunkSize = attr(f, 'chunkSize');
    return {
      href: attr(f, 'href') ?? '',
      size: size !== undefined && /^\d+$/.test(size) ? Number(size) : -1,
      chunkSize: chunkSize !== undefined && /^\d+$/.test(chunkSize) && Number(chunkSize) > 0 ? Number(chunkSize) : undefined,
    };
  });
  const ids = descendants(root, 'VirtualSystem').map((vs) => attr(vs, 'id') ?? '');
  return { errors, references, vmNames: vcloudVmNamesFor(ids) };
}
