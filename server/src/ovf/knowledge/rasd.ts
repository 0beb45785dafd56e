// What RASD codes and common values mean, in words (CIM_ResourceAllocationSettingData, DSP0243).

export const RESOURCE_TYPES: Record<string, string> = {
  '1': 'Other',
  '2': 'Computer system',
  '3': 'Processor (virtual CPUs)',
  '4': 'Memory',
  '5': 'IDE controller',
  '6': 'Parallel SCSI HBA (SCSI controller)',
  '7': 'FC HBA (Fibre Channel)',
  '8': 'iSCSI HBA',
  '9': 'IB HCA (InfiniBand)',
  '10': 'Ethernet adapter (network card)',
  '11': 'Other network adapter',
  '12': 'I/O slot',
  '13': 'I/O device',
  '14': 'Floppy drive',
  '15': 'CD drive',
  '16': 'DVD drive',
  '17': 'Disk drive',
  '18': 'Tape drive',
  '19': 'Storage extent',
  '20': 'Other storage device (SATA or NVMe controller in practice)',
  '21': 'Serial port',
  '22': 'Parallel port',
  '23': 'USB controller',
  '24': 'Graphics controller',
  '25': 'IEEE 1394 controller',
  '26': 'Partitionable unit',
  '27': 'Base partitionable unit',
  '28': 'Power',
  '29': 'Cooling capacity',
  '30': 'Ethernet switch port',
  '31': 'Logical disk',
  '32': 'Storage volume',
  '33': 'Ethernet connection',
  '35': 'Sound card',
};

/** Short names for a device, as people say them (the outline's labels): "SCSI controller", "NIC".
 *  Disks (17) are named by their backing instead. */
export const DEVICE_NAMES: Record<string, string> = {
  '3': 'vCPU',
  '4': 'Memory',
  '5': 'IDE controller',
  '6': 'SCSI controller',
  '10': 'NIC',
  '14': 'Floppy drive',
  '15': 'CD/DVD drive',
  '16': 'CD/DVD drive',
  '20': 'Storage controller',
  '21': 'Serial port',
  '22': 'Parallel port',
  '23': 'USB controller',
  '24': 'Graphics',
  '35': 'Sound card',
};

/** ResourceType 20 is "other storage device": the subtype says which bus it is in practice. */
export function storageControllerName(subType: string | undefined): string {
  const s = subType?.toLowerCase() ?? '';
  if (s.includes('nvme')) return 'NVMe controller';
  if (s.includes('sata') || s.includes('ahci')) return 'SATA controller';
  return DEVICE_NAMES['20'];
}

export const RESOURCE_SUBTYPES: Record<string, string> = {
  lsilogic: 'LSI Logic parallel SCSI controller',
  lsilogicsas: 'LSI Logic SAS controller',
  buslogic: 'BusLogic SCSI controller',
  virtualscsi: 'VMware Paravirtual SCSI (PVSCSI) controller',
  'vmware.sata.ahci': 'SATA (AHCI) controller',
  'vmware.nvme.controller': 'NVMe controller',
  ahci: 'SATA (AHCI) controller',
  piix4: 'Intel PIIX4 IDE controller',
  vmxnet3: 'VMware VMXNET3 paravirtual network adapter',
  vmxnet2: 'VMware VMXNET2 (enhanced) network adapter',
  vmxnet: 'VMware VMXNET network adapter',
  e1000: 'Intel E1000 network adapter',
  e1000e: 'Intel E1000e network adapter',
  pcnet32: 'AMD PCnet32 network adapter',
  'vmware.usb.ehci': 'USB 2.0 (EHCI) controller',
  'vmware.usb.xhci': 'USB 3.0 (xHCI) controller',
  'vmware.soundcard.hdaudio': 'HD Audio sound card',
  'vmware.cdrom.iso': 'CD/DVD drive backed by an ISO file',
  'vmware.cdrom.atapi': 'CD/DVD drive passed through from the host',
  'vmware.cdrom.remotepassthrough': 'CD/DVD drive passed through from the client',
  'vmware.floppy.remotedevice': 'Floppy drive on the client',
  'vmware.serialport.device': 'Serial port on the host',
  'vmware.vmci': 'VMware VMCI device',
};

/** ESXi releases that introduced each virtual hardware version. */
export const VMX_VERSIONS: Record<number, string> = {
  4: 'ESX 3.x',
  7: 'ESX/ESXi 4.x',
  8: 'ESXi 5.0',
  9: 'ESXi 5.1',
  10: 'ESXi 5.5',
  11: 'ESXi 6.0',
  13: 'ESXi 6.5',
  14: 'ESXi 6.7',
  15: 'ESXi 6.7 U2',
  17: 'ESXi 7.0',
  18: 'ESXi 7.0 U1',
  19: 'ESXi 7.0 U2',
  20: 'ESXi 8.0',
  21: 'ESXi 8.0 U2',
  22: 'ESXi 9.0',
};

export function describeSubType(value: string): string | undefined {
  return RESOURCE_SUBTYPES[value.trim().toLowerCase()];
}
