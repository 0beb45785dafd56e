// Every rule, in the order findings are reported. Adding a rule = one module entry here.
import * as cloudControl from './cloudControl';
import * as ova from './ova';
import * as packageFiles from './packageFiles';
import * as productSection from './productSection';
import * as references from './references';
import { Rule, RuleMeta } from './rule';
import * as structure from './structure';
import * as values from './values';
import * as vcloud from './vcloud';

export const RULES: readonly Rule[] = [
  structure.notAnEnvelope,
  structure.missingSection,
  structure.missingAttribute,
  structure.missingElement,
  structure.misplacedSection,
  structure.unknownRequired,
  structure.missingCapacity,
  structure.duplicateId,
  structure.duplicateHref,
  structure.duplicateInstanceId,
  structure.boundWithoutNormal,
  structure.boundRange,
  structure.configurationsNotJudged,
  values.invalidValue,
  values.populatedSize,
  productSection.propertyKey,
  productSection.propertyType,
  productSection.duplicateProperty,
  references.diskFileRef,
  references.diskParentRef,
  references.hostResource,
  references.hostResourcePrefix,
  references.extraConfigFile,
  references.configuration,
  references.connection,
  references.itemParent,
  references.unreferencedFile,
  references.unusedDisk,
  packageFiles.unsafeHref,
  packageFiles.missingFile,
  packageFiles.outsidePackage,
  packageFiles.notAFile,
  packageFiles.sizeMismatch,
  packageFiles.missingChunk,
  packageFiles.chunkSize,
  ova.descriptorNotFirst,
  ova.unreferencedMember,
  vcloud.ovfVersion,
  vcloud.ovf11,
  vcloud.compression,
  vcloud.idTooLong,
  vcloud.deploymentOptions,
  vcloud.descriptorTooLarge,
  vcloud.hardwareVersion,
  vcloud.systemType,
  cloudControl.datacenterUnknown,
  cloudControl.manifestMissing,
  cloudControl.diskNotVmdk,
  cloudControl.hardwareVersion,
  cloudControl.systemType,
  cloudControl.cpuCount,
  cloudControl.memory,
  cloudControl.diskSize,
];

/** Findings that come from reading the text rather than from a rule over the model. */
export const SYNTAX_RULES: readonly RuleMeta[] = [
  { code: 'ovf/not-xml', target: 'generic', category: 'syntax', severity: 'information', description: 'The file is an OOMMF vector field (it starts with the `# OOMMF` header; OOMMF also uses .ovf); nothing else is checked. Any other file that is not well-formed XML is `xml/malformed`.', source: 'observed: OOMMF and mumax vector fields use the .ovf extension (PROTOCOLS.md §1)' },
  { code: 'xml/malformed', target: 'generic', category: 'syntax', severity: 'error', description: 'The descriptor is not well-formed XML (XML 1.0): an empty file, text before the root element or before the XML declaration, an unclosed tag, a repeated attribute.', source: 'XML 1.0 §2.1 (well-formed documents); DSP0243 1.1 §6 (the descriptor is XML)' },
  { code: 'xml/binary', target: 'generic', category: 'syntax', severity: 'error', description: 'The file is not text (it contains NUL bytes).', source: 'XML 1.0 §2.2 (NUL is no XML character)' },
  { code: 'xml/dtd', target: 'generic', category: 'syntax', severity: 'error', description: 'DOCTYPEs with entity declarations or external DTDs are refused: they can expand without bound or read other files.', source: 'ovfkit security policy (entity expansion, external entities); DSP8023 defines no DTD, so no valid descriptor needs one' },
  { code: 'ovfkit/unknown-target', target: 'generic', category: 'syntax', severity: 'warning', description: 'An `ovfkit: targets=` comment names a target ovfkit does not know.', source: 'ovfkit: the targets comment (README, Targets)' },
  { code: 'ovfkit/unknown-rule', target: 'generic', category: 'syntax', severity: 'warning', description: 'An `ovfkit: disable=` comment names a rule code ovfkit does not know.', source: 'ovfkit: the disable comment (README, Validation)' },
];

const BY_CODE = new Map<string, RuleMeta>([...RULES, ...SYNTAX_RULES].map((r) => [r.code, r]));

export function ruleMeta(code: string): RuleMeta | undefined {
  return BY_CODE.get(code);
}
