// Builds small OVF packages for the vCloud tests: a descriptor shaped like an ovftool export, disks
// of random bytes, and optionally a manifest with the SHA1 of each file.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { makeTempDir } from '../support/tempDir';

export interface TestPackageSpec {
  /** Disk file names and sizes; each VM gets the disks in turn. */
  disks: { name: string; size: number }[];
  vmIds?: string[];
  manifest?: boolean;
  /** 'ovf2' writes an OVF 2.x envelope, 'compressed' marks the first File gzip: both refused by vCloud. */
  defect?: 'ovf2' | 'compressed';
  name?: string;
}

export interface TestPackage {
  dir: string;
  descriptorPath: string;
  manifestPath?: string;
  diskPaths: string[];
}

function virtualSystem(id: string, diskIds: string[]): string {
  const disks = diskIds
    .map(
      (d, i) => `      <Item>
        <rasd:AddressOnParent>${i}</rasd:AddressOnParent>
        <rasd:ElementName>disk${i}</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/${d}</rasd:HostResource>
        <rasd:InstanceID>${10 + i}</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>`,
    )
    .join('\n');
  return `  <VirtualSystem ovf:id="${id}">
    <Info>A virtual machine</Info>
    <Name>${id}</Name>
    <OperatingSystemSection ovf:id="101" vmw:osType="otherLinux64Guest">
      <Info>The kind of installed guest operating system</Info>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${id}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
        <rasd:Description>Number of Virtual CPUs</rasd:Description>
        <rasd:ElementName>1 virtual CPU(s)</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>1</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
        <rasd:Description>Memory Size</rasd:Description>
        <rasd:ElementName>1024MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>1024</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:Description>SCSI Controller</rasd:Description>
        <rasd:ElementName>scsiController0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>
        <rasd:ResourceType>6</rasd:ResourceType>
      </Item>
${disks}
      <Item>
        <rasd:AddressOnParent>7</rasd:AddressOnParent>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Connection>VM Network</rasd:Connection>
        <rasd:ElementName>ethernet0</rasd:ElementName>
        <rasd:InstanceID>20</rasd:InstanceID>
        <rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>
    </VirtualHardwareSection>
  </VirtualSystem>`;
}

export function descriptorText(spec: TestPackageSpec): string {
  const envNs = spec.defect === 'ovf2' ? 'http://schemas.dmtf.org/ovf/envelope/2' : 'http://schemas.dmtf.org/ovf/envelope/1';
  const vmIds = spec.vmIds ?? ['vm'];
  const files = spec.disks
    .map((d, i) => `    <File ovf:href="${d.name}" ovf:id="file${i + 1}" ovf:size="${d.size}"${spec.defect === 'compressed' && i === 0 ? ' ovf:compression="gzip"' : ''}/>`)
    .join('\n');
  const disks = spec.disks
    .map((_, i) => `    <Disk ovf:capacity="1" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk${i + 1}" ovf:fileRef="file${i + 1}" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>`)
    .join('\n');
  const perVm = vmIds.map((id, v) => virtualSystem(id, spec.disks.map((_, i) => `vmdisk${i + 1}`).filter((_, i) => i % vmIds.length === v)));
  const systems =
    vmIds.length === 1
      ? perVm[0]
      : `  <VirtualSystemCollection ovf:id="${spec.name ?? 'vapp'}">\n    <Info>A collection of virtual machines</Info>\n    <Name>${spec.name ?? 'vapp'}</Name>\n${perVm.join('\n')}\n  </VirtualSystemCollection>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="${envNs}" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common" xmlns:ovf="${envNs}" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
${files}
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
${disks}
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
    <Network ovf:name="VM Network">
      <Description>The VM Network network</Description>
    </Network>
  </NetworkSection>
${systems}
</Envelope>
`;
}

/** Writes the package into a new folder under the OS temp dir. */
export async function makeTestPackage(spec: TestPackageSpec): Promise<TestPackage> {
  const dir = makeTempDir('ovfkit-vcloud-pkg-');
  const base = spec.name ?? 'appliance';
  const descriptorPath = path.join(dir, `${base}.ovf`);
  await writeFile(descriptorPath, descriptorText(spec));
  const diskPaths: string[] = [];
  for (const d of spec.disks) {
    const p = path.join(dir, d.name);
    await writeFile(p, randomBytes(d.size));
    diskPaths.push(p);
  }
  let manifestPath: string | undefined;
  if (spec.manifest) {
    manifestPath = path.join(dir, `${base}.mf`);
    const lines = [];
    for (const p of [descriptorPath, ...diskPaths]) lines.push(`SHA1(${path.basename(p)})= ${createHash('sha1').update(await readFile(p)).digest('hex')}`);
    await writeFile(manifestPath, lines.join('\n') + '\n');
  }
  return { dir, descriptorPath, manifestPath, diskPaths };
}
