// The one place the simulator meets the domain's vCloud rules. Until the domain's validateText and
// vcloudVmNames land, a minimal local reading of the same rules stands in.
import { child, childrenNamed, parseXml } from '../../transfer/vcloud/xmlTree';

/** Messages of the error findings the vCloud target reports for this descriptor text. */
export function vcloudRuleErrors(text: string): string[] {
  const root = parseXml(text);
  const errors: string[] = [];
  const ns = Object.entries(root.rawAttrs).find(([k]) => k === 'xmlns' || k.startsWith('xmlns:'))?.[1] ?? '';
  const nsOfRoot = root.qname.includes(':') ? root.rawAttrs[`xmlns:${root.qname.split(':')[0]}`] : root.rawAttrs.xmlns ?? ns;
  if (root.name !== 'Envelope') errors.push(`The root element is <${root.qname}>, not an OVF Envelope`);
  else if (nsOfRoot === 'http://schemas.dmtf.org/ovf/envelope/2') errors.push('OVF 2.x descriptors are not accepted by the vCloud transfer service (OVF 1.0 or 1.1 only)');
  else if (/vmware\.com\/schema\/ovf/.test(nsOfRoot ?? '')) errors.push('OVF 0.9 descriptors are refused by vCloud (OVF 1.0 or 1.1 only)');
  for (const f of childrenNamed(child(root, 'References'), 'File')) {
    if (f.attrs.compression) errors.push(`File '${f.attrs.href}' is compressed (ovf:compression="${f.attrs.compression}"): vCloud does not accept compressed packages`);
  }
  return errors;
}

/** ids longer than 13 characters become the first 13 characters and a 3-digit counter. */
export function vcloudVmNamesFor(ids: string[]): string[] {
  let counter = 0;
  return ids.map((id) => (id.length > 13 ? `${id.slice(0, 13)}${String(++counter).padStart(3, '0')}` : id));
}
