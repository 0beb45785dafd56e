// Realistic descriptors of a chosen size for the benches.

/** A VirtualSystemCollection of VMs, each with a disk, a file and the usual hardware, to `bytes`. */
export function generateDescriptor(bytes) {
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">\n`;
  const vm = (i) => `  <VirtualSystem ovf:id="vm${i}">
    <Info>A virtual machine</Info>
    <Name>vm${i}</Name>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType></System>
      <Item><rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>2 virtual CPUs</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>4096MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4096</rasd:VirtualQuantity></Item>
      <Item><rasd:Address>0</rasd:Address><rasd:ElementName>SCSI controller 0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>VirtualSCSI</rasd:ResourceSubType><rasd:ResourceType>6</rasd:ResourceType></Item>
      <Item><rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:ElementName>Hard disk 1</rasd:ElementName><rasd:HostResource>ovf:/disk/disk${i}</rasd:HostResource><rasd:InstanceID>4</rasd:InstanceID><rasd:Parent>3</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType></Item>
      <Item><rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>VM Network</rasd:Connection><rasd:ElementName>Network adapter 1</rasd:ElementName><rasd:InstanceID>5</rasd:InstanceID><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>\n`;
  const perVm = vm(0).length + 250;
  const count = Math.max(1, Math.round((bytes - 1000) / perVm));
  const ids = Array.from({ length: count }, (_, i) => i);
  return head
    + `  <References>\n${ids.map((i) => `    <File ovf:href="disk${i}.vmdk" ovf:id="file${i}" ovf:size="1073741824"/>`).join('\n')}\n  </References>\n`
    + `  <DiskSection>\n    <Info>Virtual disks</Info>\n${ids.map((i) => `    <Disk ovf:capacity="20" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="disk${i}" ovf:fileRef="file${i}"/>`).join('\n')}\n  </DiskSection>\n`
    + `  <NetworkSection>\n    <Info>Networks</Info>\n    <Network ovf:name="VM Network"><Description>The VM Network</Description></Network>\n  </NetworkSection>\n`
    + `  <VirtualSystemCollection ovf:id="vapp">\n  <Info>A vApp</Info>\n${ids.map(vm).join('')}  </VirtualSystemCollection>\n</Envelope>\n`;
}
