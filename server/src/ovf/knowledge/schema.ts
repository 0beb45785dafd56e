// The OVF element and attribute vocabulary ovfkit completes from: which children an element may
// have and which attributes it takes (DSP0243 1.1 and 2.0, plus the RASD/VSSD properties in use).
// Names are local; the completion feature adds the prefix the document uses for the namespace.

export type Vocabulary = 'ovf' | 'rasd' | 'vssd';

export interface ElementSpec {
  /** Children as [vocabulary, local name]. */
  children: Array<[Vocabulary, string]>;
  /** ovf: attributes. */
  attributes: string[];
  documentation: string;
}

const RASD_PROPERTIES = [
  'Address', 'AddressOnParent', 'AllocationUnits', 'AutomaticAllocation', 'AutomaticDeallocation', 'Caption',
  'Connection', 'ConsumerVisibility', 'Description', 'ElementName', 'HostResource', 'InstanceID', 'Limit',
  'MappingBehavior', 'OtherResourceType', 'Parent', 'PoolID', 'Reservation', 'ResourceSubType', 'ResourceType',
  'VirtualQuantity', 'VirtualQuantityUnits', 'Weight',
].map((n): [Vocabulary, string] => ['rasd', n]);

const ovf = (...names: string[]): Array<[Vocabulary, string]> => names.map((n) => ['ovf', n]);

const SECTIONS_OF_SYSTEM = ovf('Info', 'Name', 'AnnotationSection', 'ProductSection', 'EulaSection', 'OperatingSystemSection', 'VirtualHardwareSection', 'InstallSection');

export const ELEMENTS: Record<string, ElementSpec> = {
  Envelope: {
    children: ovf('References', 'DiskSection', 'NetworkSection', 'DeploymentOptionSection', 'VirtualSystem', 'VirtualSystemCollection', 'Strings'),
    attributes: ['version', 'lang'],
    documentation: 'The root of an OVF descriptor: References, then sections, then one VirtualSystem or VirtualSystemCollection.',
  },
  References: { children: ovf('File'), attributes: [], documentation: 'The files of the package: disks, ISO images, and other files.' },
  File: {
    children: [],
    attributes: ['id', 'href', 'size', 'compression', 'chunkSize'],
    documentation: 'A file of the package: `ovf:href` its name beside the descriptor, `ovf:size` its size in bytes.',
  },
  DiskSection: { children: ovf('Info', 'Disk'), attributes: ['required'], documentation: 'The virtual disks of the package.' },
  Disk: {
    children: [],
    attributes: ['diskId', 'fileRef', 'capacity', 'capacityAllocationUnits', 'format', 'populatedSize', 'parentRef'],
    documentation: 'A virtual disk: `ovf:capacity` in `ovf:capacityAllocationUnits` (bytes by default), backed by the File `ovf:fileRef`.',
  },
  NetworkSection: { children: ovf('Info', 'Network'), attributes: ['required'], documentation: 'The logical networks the VMs connect to.' },
  Network: { children: ovf('Description'), attributes: ['name'], documentation: 'A logical network, referred to by `rasd:Connection`.' },
  DeploymentOptionSection: { children: ovf('Info', 'Configuration'), attributes: [], documentation: 'Alternative configurations (not supported by vCloud Director).' },
  Configuration: { children: ovf('Label', 'Description'), attributes: ['id', 'default'], documentation: 'One deployment option.' },
  VirtualSystemCollection: {
    children: [...SECTIONS_OF_SYSTEM, ...ovf('StartupSection', 'ResourceAllocationSection', 'VirtualSystem', 'VirtualSystemCollection')],
    attributes: ['id'],
    documentation: 'A group of VirtualSystems (a vApp).',
  },
  VirtualSystem: { children: SECTIONS_OF_SYSTEM, attributes: ['id'], documentation: 'One virtual machine.' },
  VirtualHardwareSection: {
    children: [...ovf('Info', 'System', 'Item', 'StorageItem', 'EthernetPortItem')],
    attributes: ['id', 'transport', 'required'],
    documentation: 'The virtual hardware: a System and one Item per device.',
  },
  System: {
    children: (['ElementName', 'InstanceID', 'VirtualSystemIdentifier', 'VirtualSystemType'] as const).map((n): [Vocabulary, string] => ['vssd', n]),
    attributes: [],
    documentation: 'The virtual hardware family: `vssd:VirtualSystemType` such as `vmx-13`.',
  },
  Item: { children: RASD_PROPERTIES, attributes: ['configuration', 'required', 'bound'], documentation: 'One virtual device, described by RASD properties.' },
  StartupSection: { children: ovf('Info', 'Item'), attributes: [], documentation: 'Start order of the VMs of a collection.' },
  ProductSection: { children: ovf('Info', 'Product', 'Vendor', 'Version', 'FullVersion', 'ProductUrl', 'VendorUrl', 'Category', 'Property'), attributes: ['class', 'instance', 'required'], documentation: 'Product information and user-settable properties.' },
  Property: { children: ovf('Label', 'Description', 'Value'), attributes: ['key', 'type', 'value', 'userConfigurable', 'qualifiers', 'password'], documentation: 'A product property.' },
  OperatingSystemSection: { children: ovf('Info', 'Description'), attributes: ['id', 'version'], documentation: 'The guest operating system (CIM OS type id).' },
  AnnotationSection: { children: ovf('Info', 'Annotation'), attributes: [], documentation: 'A free-form annotation.' },
  EulaSection: { children: ovf('Info', 'License'), attributes: [], documentation: 'A license agreement the user must accept.' },
};

/** Which vocabulary an element's namespace belongs to. */
export function vocabularyOf(ns: string | undefined): Vocabulary | undefined {
  if (!ns) return undefined;
  if (/CIM_ResourceAllocationSettingData|CIM_StorageAllocationSettingData|CIM_EthernetPortAllocationSettingData/.test(ns)) return 'rasd';
  if (/CIM_VirtualSystemSettingData/.test(ns)) return 'vssd';
  if (/ovf\/envelope|schema\/ovf\/1\/envelope/.test(ns)) return 'ovf';
  return undefined;
}
