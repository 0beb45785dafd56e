// The OVF envelope and the CIM classes it embeds, as one declarative table: which children an
// element may have (and which it must), its attributes with their types, and which OVF versions
// know it. Validation (rules/structure.ts, rules/values.ts), completion and hover all read it.
//
// Sources: the OVF envelope schemas DSP8023 1.1.0 and 2.1.x that DSP0243 1.1.0 / 2.1.x define, the
// 0.9 envelope VMware published before the standard, and the CIM schemas for
// CIM_ResourceAllocationSettingData (RASD), CIM_VirtualSystemSettingData (VSSD),
// CIM_StorageAllocationSettingData (SASD) and CIM_EthernetPortAllocationSettingData (EPASD).
// Names are local; the completion feature adds the prefix the document uses for the namespace.
import { OvfVersion } from '../model/version';

export type Vocabulary = 'ovf' | 'rasd' | 'vssd' | 'sasd' | 'epasd';

/** OVF versions by schema: VMware's 0.9, DSP0243 1.0/1.1, DSP0243 2.x. */
export type Family = '0.9' | '1' | '2';

export function familyOf(version: OvfVersion): Family {
  return version === '0.9' ? '0.9' : version === '2.x' ? '2' : '1';
}

/**
 * Value types (XML Schema and CIM types). `capacity` is a whole number or a `${property}`
 * reference (DSP0243 1.1.0 clause 9.1); `bound` is min, normal or max (clause 8.4).
 */
export type ValueType = 'string' | 'boolean' | 'uint16' | 'uint32' | 'uint64' | 'int32' | 'int64' | 'positive' | 'capacity' | 'bound';

export interface AttributeSpec {
  /** Local name; in the OVF namespace unless `xml`. */
  name: string;
  type: ValueType;
  required?: boolean;
  families?: Family[];
  /** Required, but a dedicated rule reports its absence (ovf/missing-capacity, ovf/property-key, …). */
  ownRule?: boolean;
}

export interface ChildSpec {
  vocabulary: Vocabulary;
  name: string;
  required?: boolean;
  families?: Family[];
  /** Misplaced by DSP0243, but read there by a known consumer: a warning, not an error. */
  tolerated?: boolean;
  /** Required, but a dedicated rule reports its absence (ovf/missing-section). */
  ownRule?: boolean;
}

export interface ElementSpec {
  children: ChildSpec[];
  attributes: AttributeSpec[];
  /** A Section (DSP8023 Section_Type): Info is required and ovf:required applies. */
  section?: boolean;
  families?: Family[];
  documentation: string;
}

/** A CIM property of RASD/VSSD/SASD/EPASD: its value type and whether the class schema requires it. */
export interface PropertySpec {
  type: ValueType;
  required?: boolean;
  families?: Family[];
}

const V1_2: Family[] = ['1', '2'];
const V2: Family[] = ['2'];

/**
 * Children written compactly: `Info!` is required, `StorageItem@2` exists in OVF 2.x only,
 * `@1,2` in 1.x and 2.x, `Name~` is tolerated where DSP0243 does not place it, `References!?` is
 * required with its own rule reporting it.
 */
function children(vocabulary: Vocabulary, ...specs: string[]): ChildSpec[] {
  return specs.map((spec) => {
    const m = /^(\w+)([!~]?)(\?)?(?:@([\d.,]+))?$/.exec(spec)!;
    return {
      vocabulary, name: m[1], required: m[2] === '!' || undefined, tolerated: m[2] === '~' || undefined, ownRule: m[3] === '?' || undefined,
      families: m[4]?.split(',') as Family[] | undefined,
    };
  });
}
const ovf = (...specs: string[]) => children('ovf', ...specs);

/** `id!:string` (required), `capacity!?:capacity` (required, reported by its own rule), `password:boolean@1,2`. */
function attributes(...specs: string[]): AttributeSpec[] {
  return specs.map((spec) => {
    const m = /^(\w+)(!?)(\?)?:(\w+)(?:@([\d.,]+))?$/.exec(spec)!;
    return { name: m[1], required: m[2] === '!' || undefined, ownRule: m[3] === '?' || undefined, type: m[4] as ValueType, families: m[5]?.split(',') as Family[] | undefined };
  });
}

// DSP0243 1.1.0 Table 4 / 2.1.1 Table 6: where each core section may stand.
const SECTIONS_OF_SYSTEM = ovf('Info!', 'Name', 'AnnotationSection', 'ProductSection', 'EulaSection', 'OperatingSystemSection', 'VirtualHardwareSection', 'InstallSection',
  'EnvironmentFilesSection@2', 'PlacementSection@2', 'ResourceAllocationSection~');
const SECTIONS_OF_COLLECTION = ovf('Info!', 'Name', 'AnnotationSection', 'ProductSection', 'EulaSection', 'StartupSection', 'ResourceAllocationSection',
  'PlacementSection@2', 'ScaleOutSection@2', 'VirtualSystem', 'VirtualSystemCollection');
const ITEM_ATTRIBUTES = attributes('required:boolean', 'configuration:string', 'bound:bound');
const RASD_ITEM = children('rasd', 'Address', 'AddressOnParent', 'AllocationUnits', 'AutomaticAllocation', 'AutomaticDeallocation', 'Caption', 'Connection',
  'ConsumerVisibility', 'Description', 'ElementName', 'HostResource', 'InstanceID', 'Limit', 'MappingBehavior', 'OtherResourceType', 'Parent', 'PoolID',
  'Reservation', 'ResourceSubType', 'ResourceType', 'VirtualQuantity', 'VirtualQuantityUnits', 'Weight');

export const ELEMENTS: Record<string, ElementSpec> = {
  Envelope: {
    children: ovf('References!?', 'DiskSection', 'NetworkSection', 'DeploymentOptionSection', 'SharedDiskSection@2', 'PlacementGroupSection@2', 'EncryptionSection@2',
      'VirtualSystem', 'VirtualSystemCollection', 'Strings'),
    attributes: attributes('version:string'),
    documentation: 'The root of an OVF descriptor: References, then sections, then one VirtualSystem or VirtualSystemCollection.',
  },
  References: { children: ovf('File'), attributes: [], documentation: 'The files of the package: disks, ISO images, and other files.' },
  File: {
    children: [],
    attributes: attributes('id!:string', 'href!:string', 'size:uint64', 'compression:string', 'chunkSize:positive'),
    documentation: 'A file of the package: `ovf:href` its name beside the descriptor, `ovf:size` its size in bytes.',
  },
  DiskSection: { section: true, children: ovf('Info!', 'Disk'), attributes: attributes('required:boolean'), documentation: 'The virtual disks of the package.' },
  Disk: {
    children: [],
    attributes: attributes('diskId!:string', 'fileRef:string', 'capacity!?:capacity', 'capacityAllocationUnits:string', 'format:string', 'populatedSize:uint64', 'parentRef:string'),
    documentation: 'A virtual disk: `ovf:capacity` in `ovf:capacityAllocationUnits` (bytes by default), backed by the File `ovf:fileRef`.',
  },
  NetworkSection: { section: true, children: ovf('Info!', 'Network'), attributes: attributes('required:boolean'), documentation: 'The logical networks the VMs connect to.' },
  Network: { children: ovf('Description'), attributes: attributes('name!:string'), documentation: 'A logical network, referred to by `rasd:Connection`.' },
  DeploymentOptionSection: {
    section: true,
    children: ovf('Info!', 'Configuration!'),
    attributes: attributes('required:boolean'),
    documentation: 'Alternative configurations (not supported by vCloud Director).',
  },
  Configuration: { children: ovf('Label!', 'Description!'), attributes: attributes('id!:string', 'default:boolean'), documentation: 'One deployment option.' },
  VirtualSystemCollection: { children: SECTIONS_OF_COLLECTION, attributes: attributes('id!:string'), documentation: 'A group of VirtualSystems (a vApp).' },
  VirtualSystem: { children: SECTIONS_OF_SYSTEM, attributes: attributes('id!:string'), documentation: 'One virtual machine.' },
  VirtualHardwareSection: {
    section: true,
    children: ovf('Info!', 'System', 'Item', 'StorageItem@2', 'EthernetPortItem@2', 'BootDeviceSection@2'),
    attributes: attributes('id:string', 'transport:string', 'required:boolean'),
    documentation: 'The virtual hardware: a System and one Item per device.',
  },
  System: {
    children: children('vssd', 'Caption', 'Description', 'ElementName', 'InstanceID', 'VirtualSystemIdentifier', 'VirtualSystemType'),
    attributes: [],
    documentation: 'The virtual hardware family: `vssd:VirtualSystemType` such as `vmx-13`.',
  },
  Item: { children: RASD_ITEM, attributes: ITEM_ATTRIBUTES, documentation: 'One virtual device, described by RASD properties.' },
  StorageItem: {
    families: V2,
    children: children('sasd', 'Access', 'Address', 'AddressOnParent', 'AllocationUnits', 'AutomaticAllocation', 'AutomaticDeallocation', 'Caption', 'Connection',
      'Description', 'ElementName', 'HostExtentStartingAddress', 'HostResource', 'HostResourceBlockSize', 'InstanceID', 'Limit', 'Parent', 'PoolID', 'Reservation',
      'ResourceSubType', 'ResourceType', 'VirtualQuantity', 'VirtualQuantityUnits', 'VirtualResourceBlockSize', 'Weight'),
    attributes: ITEM_ATTRIBUTES,
    documentation: 'A storage device (OVF 2.x), described by CIM_StorageAllocationSettingData properties.',
  },
  EthernetPortItem: {
    families: V2,
    children: children('epasd', 'Address', 'AddressOnParent', 'AllocationUnits', 'AutomaticAllocation', 'AutomaticDeallocation', 'Caption', 'Connection',
      'DefaultPortVID', 'DefaultPriority', 'Description', 'DesiredVLANEndpointMode', 'ElementName', 'GroupID', 'HostResource', 'InstanceID', 'Limit',
      'NetworkPortProfileID', 'Parent', 'PoolID', 'PortVID', 'Promiscuous', 'Reservation', 'ResourceSubType', 'ResourceType', 'SourceMACFilteringEnabled',
      'VirtualQuantity', 'Weight'),
    attributes: ITEM_ATTRIBUTES,
    documentation: 'A network port (OVF 2.x), described by CIM_EthernetPortAllocationSettingData properties.',
  },
  ResourceAllocationSection: {
    section: true,
    children: ovf('Info!', 'Item', 'StorageItem@2', 'EthernetPortItem@2'),
    attributes: attributes('required:boolean'),
    documentation: 'Resources reserved for a VirtualSystemCollection as a whole.',
  },
  StartupSection: { section: true, children: ovf('Info!', 'Item'), attributes: attributes('required:boolean'), documentation: 'Start order of the VMs of a collection.' },
  'StartupSection/Item': {
    children: [],
    attributes: attributes('id!:string', 'order!:uint16', 'startDelay:uint16', 'waitingForGuest:boolean', 'stopDelay:uint16', 'startAction:string', 'stopAction:string'),
    documentation: 'When one VM of the collection starts and stops: `ovf:order`, delays in seconds, actions.',
  },
  ProductSection: {
    section: true,
    children: ovf('Info!', 'Product', 'Vendor', 'Version', 'FullVersion', 'ProductUrl', 'VendorUrl', 'AppUrl', 'Icon', 'Category', 'Property'),
    attributes: attributes('class:string', 'instance:string', 'required:boolean'),
    documentation: 'Product information and user-settable properties.',
  },
  Icon: { children: [], attributes: attributes('fileRef!:string', 'height:uint16', 'width:uint16', 'mimeType:string'), documentation: 'An icon of the product, a File of the package.' },
  Property: {
    children: ovf('Label', 'Description', 'Value'),
    attributes: attributes('key!?:string', 'type!?:string', 'value:string', 'userConfigurable:boolean', 'qualifiers:string', 'password:boolean@1,2'),
    documentation: 'A product property: `ovf:key` names it, `ovf:type` is its type (`string`, `boolean`, `uint32`, …).',
  },
  Value: { children: [], attributes: attributes('value!:string', 'configuration:string'), documentation: 'The value of a property in one deployment configuration.' },
  OperatingSystemSection: {
    section: true,
    children: ovf('Info!', 'Description'),
    attributes: attributes('id!:uint16', 'version:string', 'required:boolean'),
    documentation: 'The guest operating system: `ovf:id` is a CIM_OperatingSystem OsType number.',
  },
  AnnotationSection: { section: true, children: ovf('Info!', 'Annotation!'), attributes: attributes('required:boolean'), documentation: 'A free-form annotation.' },
  EulaSection: { section: true, children: ovf('Info!', 'License!'), attributes: attributes('required:boolean'), documentation: 'A license agreement the user must accept.' },
  InstallSection: {
    section: true,
    children: ovf('Info!'),
    attributes: attributes('initialBootStopDelay:int32', 'required:boolean'),
    documentation: 'The VM installs software on first boot and shuts down when done.',
  },
  EnvironmentFilesSection: { section: true, families: V2, children: ovf('Info!', 'File'), attributes: attributes('required:boolean'), documentation: 'Files given to the guest with the OVF environment (OVF 2.x).' },
  'EnvironmentFilesSection/File': {
    families: V2,
    children: [],
    attributes: attributes('fileRef!:string', 'path!:string'),
    documentation: 'A File of References that the guest finds at `ovf:path` in the OVF environment (OVF 2.x).',
  },
  BootDeviceSection: { section: true, families: V2, children: ovf('Info!'), attributes: attributes('required:boolean'), documentation: 'The boot order of the VM (OVF 2.x).' },
  SharedDiskSection: { section: true, families: V2, children: ovf('Info!', 'SharedDisk'), attributes: attributes('required:boolean'), documentation: 'Disks shared by several VMs (OVF 2.x).' },
  SharedDisk: {
    families: V2,
    children: [],
    attributes: attributes('diskId!:string', 'fileRef:string', 'capacity!?:capacity', 'capacityAllocationUnits:string', 'format:string', 'populatedSize:uint64', 'parentRef:string', 'readOnly:boolean'),
    documentation: 'A virtual disk that several VMs of the package share (OVF 2.x).',
  },
  ScaleOutSection: { section: true, families: V2, children: ovf('Info!'), attributes: attributes('id!:string', 'required:boolean'), documentation: 'How many instances of a VM to deploy (OVF 2.x).' },
  PlacementGroupSection: { section: true, families: V2, children: ovf('Info!'), attributes: attributes('id!:string', 'required:boolean'), documentation: 'Affinity or anti-affinity between VMs (OVF 2.x).' },
  PlacementSection: { section: true, families: V2, children: ovf('Info!'), attributes: attributes('group!:string', 'required:boolean'), documentation: 'The placement group a VM belongs to (OVF 2.x).' },
  EncryptionSection: { section: true, families: V2, children: ovf('Info!'), attributes: attributes('required:boolean'), documentation: 'How files of the package are encrypted (OVF 2.x).' },
  Strings: { children: ovf('Msg'), attributes: attributes('fileRef:string'), documentation: 'Localised messages for one language.' },
};

/** Elements whose content is a localisable message (DSP8023 Msg_Type), with nothing to check. */
const MESSAGES = ['Info', 'Name', 'Annotation', 'License', 'Label', 'Description', 'Product', 'Vendor', 'Version', 'FullVersion', 'ProductUrl', 'VendorUrl', 'AppUrl', 'Category', 'Msg'];
for (const name of MESSAGES) ELEMENTS[name] ??= { children: [], attributes: attributes('msgid:string'), documentation: `A localisable text (ovf:msgid names its translation).` };

/** The spec of an element in its parent (`StartupSection/Item` differs from a hardware Item). */
export function elementSpec(local: string, parentLocal?: string): ElementSpec | undefined {
  return ((parentLocal === 'StartupSection' || parentLocal === 'EnvironmentFilesSection') && SPECS.get(`${parentLocal}/${local}`)) || SPECS.get(local);
}

/** ELEMENTS as a map: asked for every element of a descriptor, by names that come from the document. */
const SPECS = new Map(Object.entries(ELEMENTS));

export function knownIn(spec: { families?: Family[] }, family: Family): boolean {
  return !spec.families || spec.families.includes(family);
}

/** What the rules ask of a spec in one version, derived once (they ask it for every element). */
interface SpecFacts {
  children: Map<string, ChildSpec>;
  requiredChildren: string[];
  requiredAttributes: AttributeSpec[];
  typedAttributes: AttributeSpec[];
}

const factsByFamily: Record<Family, Map<ElementSpec, SpecFacts>> = { '0.9': new Map(), '1': new Map(), '2': new Map() };

function factsOf(spec: ElementSpec, family: Family): SpecFacts {
  const cache = factsByFamily[family];
  let facts = cache.get(spec);
  if (!facts) {
    const ovfKids = spec.children.filter((c) => c.vocabulary === 'ovf' && knownIn(c, family));
    const attrs = spec.attributes.filter((a) => knownIn(a, family));
    facts = {
      children: new Map(ovfKids.map((c) => [c.name, c])),
      requiredChildren: ovfKids.filter((c) => c.required && !c.ownRule).map((c) => c.name),
      requiredAttributes: attrs.filter((a) => a.required && !a.ownRule),
      typedAttributes: attrs.filter((a) => a.type !== 'string'),
    };
    cache.set(spec, facts);
  }
  return facts;
}

/** The OVF children an element may have in a version, by name. */
export function ovfChildren(spec: ElementSpec, family: Family): Map<string, ChildSpec> {
  return factsOf(spec, family).children;
}

/** The OVF children an element requires in a version. */
export function requiredChildren(spec: ElementSpec, family: Family): string[] {
  return factsOf(spec, family).requiredChildren;
}

/** The attributes an element requires in a version (those without a dedicated rule). */
export function requiredAttributes(spec: ElementSpec, family: Family): AttributeSpec[] {
  return factsOf(spec, family).requiredAttributes;
}

/** The attributes of an element whose values have a type to check. */
export function typedAttributes(spec: ElementSpec, family: Family): AttributeSpec[] {
  return factsOf(spec, family).typedAttributes;
}

// CIM property types (uint16, uint64, boolean…) from the class schemas; ElementName and InstanceID
// are the properties the RASD and VSSD schemas require (minOccurs 1). OVF 0.9 used the older CIM
// schema: rasd:Caption and rasd:InstanceId instead of ElementName and InstanceID.
// VirtualBox's OVF 2.0 exports leave ElementName out, so it is required for 1.x only.
const SETTING_DATA: Record<string, PropertySpec> = {
  ElementName: { type: 'string', required: true, families: ['1'] },
  Caption: { type: 'string' },
  Description: { type: 'string' },
};

export const CIM_PROPERTIES: Record<'rasd' | 'vssd', Record<string, PropertySpec>> = {
  rasd: {
    ...SETTING_DATA,
    InstanceID: { type: 'string', required: true },
    // DSP0243 1.1.0 clause 9.8: "All Item elements shall specify ResourceType".
    ResourceType: { type: 'uint16', required: true },
    AutomaticAllocation: { type: 'boolean' },
    AutomaticDeallocation: { type: 'boolean' },
    ConsumerVisibility: { type: 'uint16' },
    Limit: { type: 'uint64' },
    MappingBehavior: { type: 'uint16' },
    Reservation: { type: 'uint64' },
    VirtualQuantity: { type: 'uint64' },
    Weight: { type: 'uint32' },
    // SASD and EPASD (OVF 2.x StorageItem, EthernetPortItem).
    Access: { type: 'uint16', families: V2 },
    HostExtentStartingAddress: { type: 'uint64', families: V2 },
    HostResourceBlockSize: { type: 'uint64', families: V2 },
    VirtualResourceBlockSize: { type: 'uint64', families: V2 },
    DefaultPortVID: { type: 'uint16', families: V2 },
    DefaultPriority: { type: 'uint16', families: V2 },
    DesiredVLANEndpointMode: { type: 'uint16', families: V2 },
    GroupID: { type: 'uint32', families: V2 },
    PortVID: { type: 'uint16', families: V2 },
    Promiscuous: { type: 'boolean', families: V2 },
    SourceMACFilteringEnabled: { type: 'boolean', families: V2 },
  },
  vssd: {
    ...SETTING_DATA,
    // VMware's OVF 0.9 exports write System without an InstanceId.
    InstanceID: { type: 'string', required: true, families: V1_2 },
    AutomaticRecoveryAction: { type: 'uint16' },
    AutomaticShutdownAction: { type: 'uint16' },
    AutomaticStartupAction: { type: 'uint16' },
    AutomaticStartupActionSequenceNumber: { type: 'uint16' },
  },
};

const requiredProperties = new Map<Record<string, PropertySpec>, Record<Family, string[]>>();

/** The CIM properties an Item-like element or System requires in a version (computed once). */
export function requiredPropertiesOf(elementLocal: string, family: Family): string[] {
  const properties = cimPropertiesOf(elementLocal);
  if (!properties) return [];
  let byFamily = requiredProperties.get(properties);
  if (!byFamily) {
    const of = (f: Family) => Object.entries(properties).filter(([, p]) => p.required && knownIn(p, f)).map(([name]) => name);
    byFamily = { '0.9': of('0.9'), '1': of('1'), '2': of('2') };
    requiredProperties.set(properties, byFamily);
  }
  return byFamily[family];
}

/** A CIM property's name as the schema spells it: OVF 0.9's rasd:InstanceId is InstanceID. */
export function cimName(local: string): string {
  return local === 'InstanceId' ? 'InstanceID' : local;
}

const typedProperties = new Map<Record<string, PropertySpec>, Map<string, PropertySpec>>();

/** A class's properties whose values have a type to check (looked up for every CIM property of a large descriptor). */
export function typedPropertiesOf(properties: Record<string, PropertySpec>): Map<string, PropertySpec> {
  let typed = typedProperties.get(properties);
  if (!typed) typedProperties.set(properties, (typed = new Map(Object.entries(properties).filter(([, p]) => p.type !== 'string'))));
  return typed;
}

/** The CIM properties of an Item-like element or of System (a StartupSection's Item is no RASD). */
export function cimPropertiesOf(elementLocal: string, parentKind?: string): Record<string, PropertySpec> | undefined {
  if (parentKind === 'StartupSection') return undefined;
  if (elementLocal === 'System') return CIM_PROPERTIES.vssd;
  if (elementLocal === 'Item' || elementLocal === 'StorageItem' || elementLocal === 'EthernetPortItem') return CIM_PROPERTIES.rasd;
  return undefined;
}

/** Product property types, DSP0243 1.1.0 clause 9.5 Table 6 (the CIM intrinsic types). */
export const PROPERTY_TYPES = ['uint8', 'sint8', 'uint16', 'sint16', 'uint32', 'sint32', 'uint64', 'sint64', 'string', 'boolean', 'real32', 'real64'];

const vocabularies = new Map<string, Vocabulary | undefined>();

let lastNs: string | undefined;
let lastVocabulary: Vocabulary | undefined;

/** Which vocabulary an element's namespace belongs to (cached: a descriptor has a handful of namespaces). */
export function vocabularyOf(ns: string | undefined): Vocabulary | undefined {
  if (!ns) return undefined;
  // Siblings mostly share a namespace (one string from the declaration): no map lookup for them.
  if (ns === lastNs) return lastVocabulary;
  let vocabulary = vocabularies.get(ns);
  if (vocabulary === undefined && !vocabularies.has(ns)) {
    vocabulary = matchVocabulary(ns);
    if (vocabularies.size < 256) vocabularies.set(ns, vocabulary);
  }
  lastNs = ns;
  lastVocabulary = vocabulary;
  return vocabulary;
}

function matchVocabulary(ns: string): Vocabulary | undefined {
  if (/CIM_ResourceAllocationSettingData/.test(ns)) return 'rasd';
  if (/CIM_StorageAllocationSettingData/.test(ns)) return 'sasd';
  if (/CIM_EthernetPortAllocationSettingData/.test(ns)) return 'epasd';
  if (/CIM_VirtualSystemSettingData/.test(ns)) return 'vssd';
  if (/ovf\/envelope|schema\/ovf\/1\/envelope/.test(ns)) return 'ovf';
  return undefined;
}
