// How vCloud Director names the VMs of an uploaded template (vCloud API Programming Guide): a
// VirtualSystem ovf:id longer than 13 characters becomes its first 13 characters followed by a
// 3-digit counter, counted over the renamed systems in document order.
export const VCLOUD_MAX_ID_LENGTH = 13;

export function vcloudVmNames(ids: string[]): string[] {
  let counter = 0;
  return ids.map((id) => {
    if (id.length <= VCLOUD_MAX_ID_LENGTH) return id;
    counter++;
    return id.slice(0, VCLOUD_MAX_ID_LENGTH) + String(counter).padStart(3, '0');
  });
}
