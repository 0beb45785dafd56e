// A new, minimal OVF 1.0 descriptor for a VM built from existing VMDK disks: one File, Disk and
// disk Item per VMDK, a SCSI controller, a NIC on one network, and a hardware version the chosen
// target accepts. Pure: the caller reads the disks (vmdkCapacity.ts) and writes the text.
import { OVF_NS_1, RASD_NS, VSSD_NS } from '../model/version';
import { resolveHref } from '../package/hrefs';
import { VCLOUD_MAX_ID_LENGTH } from '../targets/vcloudNames';

export type NewDescriptorTarget = 'vcloud' | 'cloudcontrol' | 'generic';
export const NEW_DESCRIPTOR_TARGETS: readonly NewDescriptorTarget[] = ['vcloud', 'cloudcontrol', 'generic'];

export interface NewDisk {
  /** The VMDK's name relative to the descriptor's folder (forward slashes), as written in ovf:href. */
  fileName: string;
  /** Bytes on disk (ovf:size). */
  fileSize: number;
  /** Virtual capacity in bytes (ovf:capacity). */
  capacityBytes: number;
  /** The VMDK variant; streamOptimized (what OVF packages carry) unless it is known to be a monolithic sparse disk. */
  format?: 'streamOptimized' | 'sparse';
}

export interface NewDescriptorOptions {
  /** The VM name (<Name>); its ovf:id is derived from it, short enough for vCloud. */
  name: string;
  target: NewDescriptorTarget;
  disks: NewDisk[];
  cpus?: number;
  memoryMb?: number;
  /** The network the NIC connects to. */
  network?: string;
  /** vmx-N; defaults to HARDWARE_VERSION[target]. */
  hardwareVersion?: number;
}

export class NewDescriptorError extends Error {}

/**
 * Hardware versions low enough to be accepted wherever the target runs: vmx-07 (ESX 4.0) is read
 * by every VMware product still in use and ignored by other OVF readers; vmx-10 (ESXi 5.5) is below
 * the highest version of any VDC a supported vCloud Director offers and below the vmx-15 floor of
 * CloudControl data centres (ovfkit.cloudcontrol.maxHardwareVersion), while still allowing VMXNET3.
 */
export const HARDWARE_VERSION: Record<NewDescriptorTarget, number> = { generic: 7, vcloud: 10, cloudcontrol: 10 };

/** CloudControl imports only packages with a manifest (rule cloudcontrol/manifest-missing). */
export const NEEDS_MANIFEST: Record<NewDescriptorTarget, boolean> = { generic: false, vcloud: false, cloudcontrol: true };

/** The VMware clouds get the paravirtual NIC; other hypervisors all emulate an E1000. */
const NIC_TYPE: Record<NewDescriptorTarget, string> = { generic: 'E1000', vcloud: 'VmxNet3', cloudcontrol: 'VmxNet3' };

const DISK_FORMAT_URL = 'http://www.vmware.com/interfaces/specifications/vmdk.html#';
/** SCSI unit 7 is the controller itself, so a parallel SCSI bus holds 15 disks. */
const UNITS_PER_CONTROLLER = 15;
const MAX_CONTROLLERS = 4;

export const DEFAULTS = { cpus: 2, memoryMb: 4096, network: 'VM Network' } as const;

/** An ovf:id for the VirtualSystem: the name's safe characters, at most 13 so vCloud keeps it as the VM name. */
export function virtualSystemId(name: string): string {
  const safe = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  return safe.slice(0, VCLOUD_MAX_ID_LENGTH).replace(/[-.]+$/, '') || 'vm';
}

export function newDescriptor(options: NewDescriptorOptions): string {
  const { name, target, disks } = options;
  const cpus = options.cpus ?? DEFAULTS.cpus;
  const memoryMb = options.memoryMb ?? DEFAULTS.memoryMb;
  const network = options.network ?? DEFAULTS.network;
  const hardwareVersion = options.hardwareVersion ?? HARDWARE_VERSION[target];
  check(options, cpus, memoryMb, network, hardwareVersion);
  const id = virtualSystemId(name);

  const files = disks.map((d, i) => `    <File ovf:href="${esc(d.fileName)}" ovf:id="file${i + 1}" ovf:size="${d.fileSize}"/>`);
  const diskDefs = disks.map((d, i) => {
    const [capacity, units] = capacityOf(d.capacityBytes);
    return `    <Disk ovf:capacity="${capacity}" ovf:capacityAllocationUnits="${units}" ovf:diskId="vmdisk${i + 1}" ovf:fileRef="file${i + 1}" ovf:format="${DISK_FORMAT_URL}${d.format ?? 'streamOptimized'}"/>`;
  });

  // RASD properties are written in the alphabetical order the CIM schema's sequence requires.
  const items: string[] = [];
  let instanceId = 1;
  items.push(item([
    ['AllocationUnits', 'hertz * 10^6'], ['Description', 'Number of virtual CPUs'], ['ElementName', `${cpus} virtual CPU(s)`],
    ['InstanceID', instanceId++], ['ResourceType', 3], ['VirtualQuantity', cpus],
  ]));
  items.push(item([
    ['AllocationUnits', 'byte * 2^20'], ['Description', 'Memory size'], ['ElementName', `${memoryMb} MB of memory`],
    ['InstanceID', instanceId++], ['ResourceType', 4], ['VirtualQuantity', memoryMb],
  ]));
  const controllers: number[] = [];
  for (let c = 0; c * UNITS_PER_CONTROLLER < disks.length; c++) {
    controllers.push(instanceId);
    items.push(item([
      ['Address', c], ['Description', 'SCSI controller'], ['ElementName', `SCSI controller ${c}`],
      ['InstanceID', instanceId++], ['ResourceSubType', 'lsilogic'], ['ResourceType', 6],
    ]));
  }
  disks.forEach((_, i) => {
    const slot = i % UNITS_PER_CONTROLLER;
    items.push(item([
      ['AddressOnParent', slot < 7 ? slot : slot + 1], ['ElementName', `Hard disk ${i + 1}`], ['HostResource', `ovf:/disk/vmdisk${i + 1}`],
      ['InstanceID', instanceId++], ['Parent', controllers[Math.floor(i / UNITS_PER_CONTROLLER)]], ['ResourceType', 17],
    ]));
  });
  items.push(item([
    ['AddressOnParent', 7], ['AutomaticAllocation', 'true'], ['Connection', network],
    ['Description', `${NIC_TYPE[target]} ethernet adapter on "${network}"`], ['ElementName', 'Network adapter 1'],
    ['InstanceID', instanceId++], ['ResourceSubType', NIC_TYPE[target]], ['ResourceType', 10],
  ]));

  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- ovfkit: targets=${target} -->
<Envelope xmlns="${OVF_NS_1}" xmlns:ovf="${OVF_NS_1}" xmlns:rasd="${RASD_NS}" xmlns:vssd="${VSSD_NS}">
  <References>
${files.join('\n')}
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
${diskDefs.join('\n')}
  </DiskSection>
  <NetworkSection>
    <Info>The logical networks used by this VM</Info>
    <Network ovf:name="${esc(network)}">
      <Description>The ${esc(network)} network</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${esc(id)}">
    <Info>A virtual machine</Info>
    <Name>${esc(name)}</Name>
    <OperatingSystemSection ovf:id="1">
      <Info>The kind of installed guest operating system</Info>
      <Description>Other</Description>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${esc(id)}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>vmx-${String(hardwareVersion).padStart(2, '0')}</vssd:VirtualSystemType>
      </System>
${items.join('\n')}
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

function item(properties: Array<[string, string | number]>): string {
  const lines = properties.map(([k, v]) => `        <rasd:${k}>${esc(String(v))}</rasd:${k}>`);
  return `      <Item>\n${lines.join('\n')}\n      </Item>`;
}

/** The capacity in the largest binary unit that divides it exactly (OVF readers want whole numbers). */
function capacityOf(bytes: number): [number, string] {
  for (const [exp, units] of [[30, 'byte * 2^30'], [20, 'byte * 2^20']] as const) {
    if (bytes % 2 ** exp === 0) return [bytes / 2 ** exp, units];
  }
  return [bytes, 'byte'];
}

function check(o: NewDescriptorOptions, cpus: number, memoryMb: number, network: string, hardwareVersion: number): void {
  const fail = (message: string) => {
    throw new NewDescriptorError(message);
  };
  if (!NEW_DESCRIPTOR_TARGETS.includes(o.target)) fail(`unknown target '${o.target}' (expected ${NEW_DESCRIPTOR_TARGETS.join(', ')})`);
  if (o.name.trim() === '') fail('the VM name is empty');
  if (!isPositiveInteger(cpus)) fail(`the CPU count must be a positive whole number, not ${cpus}`);
  if (!isPositiveInteger(memoryMb)) fail(`the memory must be a positive whole number of megabytes, not ${memoryMb}`);
  if (network.trim() === '') fail('the network name is empty');
  if (!isPositiveInteger(hardwareVersion)) fail(`the hardware version must be a positive whole number, not ${hardwareVersion}`);
  if (o.disks.length === 0) fail('no disks: a new descriptor is built from at least one VMDK');
  if (o.disks.length > UNITS_PER_CONTROLLER * MAX_CONTROLLERS) fail(`${o.disks.length} disks are more than ${MAX_CONTROLLERS} SCSI controllers hold (${UNITS_PER_CONTROLLER * MAX_CONTROLLERS})`);
  const seen = new Set<string>();
  for (const d of o.disks) {
    // Any fixed absolute folder will do: only the href's own shape is being judged.
    const href = resolveHref('/package', d.fileName);
    if (!href.ok) fail(`disk '${d.fileName}': ${href.reason}`);
    if (d.fileName.includes('\\')) fail(`disk '${d.fileName}': write hrefs with forward slashes`);
    if (seen.has(d.fileName)) fail(`disk '${d.fileName}' is given twice`);
    seen.add(d.fileName);
    if (!Number.isSafeInteger(d.fileSize) || d.fileSize < 0) fail(`disk '${d.fileName}': the file size must be a whole number of bytes, not ${d.fileSize}`);
    if (!isPositiveInteger(d.capacityBytes)) fail(`disk '${d.fileName}': the capacity must be a positive whole number of bytes, not ${d.capacityBytes}`);
  }
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
