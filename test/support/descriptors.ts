// Builds small OVF descriptors for tests: a valid base whose parts can be replaced one at a time.
export interface DescriptorParts {
  envelopeNs?: string;
  versionAttr?: string;
  references?: string;
  disks?: string;
  networks?: string;
  extraSections?: string;
  vsId?: string;
  items?: string;
  systemType?: string;
  afterVirtualSystem?: string;
}

export const DEFAULT_ITEMS = `
      <Item>
        <rasd:ElementName>2 virtual CPUs</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>2</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
        <rasd:ElementName>4096 MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>4096</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:ElementName>SCSI controller 0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>
        <rasd:ResourceType>6</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:ElementName>Hard disk 1</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:Connection>VM Network</rasd:Connection>
        <rasd:ElementName>Network adapter 1</rasd:ElementName>
        <rasd:InstanceID>5</rasd:InstanceID>
        <rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>`;

export function descriptor(parts: DescriptorParts = {}): string {
  const ns = parts.envelopeNs ?? 'http://schemas.dmtf.org/ovf/envelope/1';
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope ${parts.versionAttr ?? ''} xmlns="${ns}" xmlns:ovf="${ns}" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">
  ${parts.references ?? `<References>
    <File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="1024"/>
  </References>`}
  ${parts.disks ?? `<DiskSection>
    <Info>Virtual disks</Info>
    <Disk ovf:capacity="20" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>`}
  ${parts.networks ?? `<NetworkSection>
    <Info>Networks</Info>
    <Network ovf:name="VM Network"><Description>The VM Network</Description></Network>
  </NetworkSection>`}
  ${parts.extraSections ?? ''}
  <VirtualSystem ovf:id="${parts.vsId ?? 'web01'}">
    <Info>A virtual machine</Info>
    <Name>${parts.vsId ?? 'web01'}</Name>
    <VirtualHardwareSection>
      <Info>Virtual hardware</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemType>${parts.systemType ?? 'vmx-13'}</vssd:VirtualSystemType>
      </System>${parts.items ?? DEFAULT_ITEMS}
    </VirtualHardwareSection>
  </VirtualSystem>${parts.afterVirtualSystem ?? ''}
</Envelope>
`;
}

/** The offset of the n-th occurrence (0-based) of `needle` in `text`; throws if absent. */
export function offsetOf(text: string, needle: string, n = 0): number {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`'${needle}' not found (${i})`);
  }
  return at;
}
