// Validation: run the rules of the chosen targets over one descriptor model.
import * as path from 'node:path';
import { Finding, Range, RelatedSpan, Severity } from './findings';
import { Descriptor, parseDescriptor } from './model/descriptor';
import { packageDirOf, readPackageFileBytes, PackagePathError } from './package/openPackageFile';
import { PackageFacts, probePackage } from './package/packageFacts';
import { ruleMeta, RULES } from './rules/index';
import { TARGET_NAMES, TargetName } from './rules/rule';
import { DEFAULT_SETTINGS, resolveSettings, ValidationSettings, withDatacenterLimits } from './settings';
import { decodeXmlBytes } from './xml/decodeXml';

export type { TargetName } from './rules/rule';

export interface ReportedRelated extends RelatedSpan {
  /** Set for related spans in the same document (those whose text is at hand). */
  range?: Range;
}

export interface ReportedFinding extends Finding {
  range: Range;
  related?: ReportedRelated[];
}

export interface FileReport {
  file: string;
  findings: ReportedFinding[];
}

export interface ValidateOptions {
  targets?: TargetName[];
  settings?: Partial<ValidationSettings>;
}

/** The targets in force: an `ovfkit: targets=` comment in the descriptor wins over settings. */
export function effectiveTargets(doc: Descriptor, settings: ValidationSettings): Set<TargetName> {
  const named = doc.directives.targets?.names.filter((n): n is TargetName => (TARGET_NAMES as readonly string[]).includes(n));
  return new Set<TargetName>(['generic', ...(named ?? settings.targets)]);
}

/**
 * Findings that say the file could not be read as XML: a comment in that file cannot turn them off
 * (as ESLint's parse errors cannot be), or a broken or hostile descriptor would pass in silence.
 */
export const UNREADABLE_CODES: ReadonlySet<string> = new Set(['ovf/not-xml', 'xml/malformed', 'xml/binary', 'xml/dtd']);

export function runRules(doc: Descriptor, settings: ValidationSettings, pkg: PackageFacts | undefined): Finding[] {
  const findings: Finding[] = [];
  const add = (code: string, finding: Omit<Finding, 'code' | 'severity'>, severity: Severity) => {
    const override = settings.severity[code];
    if (override === 'off' || (doc.directives.disabled.has(code) && !UNREADABLE_CODES.has(code))) return;
    findings.push({ code, severity: override ?? severity, ...finding });
  };
  const error = doc.xml.error;
  if (error && isOommf(doc.text)) {
    // `.ovf` is also OOMMF's vector-field format: such a file gets one quiet note. Only a real
    // OOMMF header counts: anything else that is not XML is a broken descriptor (exit 1).
    add('ovf/not-xml', { message: 'This file is an OOMMF vector field (its first line says so), not an OVF descriptor; ovfkit does not check it', span: { start: 0, end: 0 } }, 'information');
    return findings;
  }
  if (error) {
    const code = error.kind === 'binary' ? 'xml/binary' : error.kind === 'dtd' ? 'xml/dtd' : 'xml/malformed';
    add(code, { message: error.message, span: error.span, ...(error.related && { related: error.related }) }, 'error');
    return findings; // rules over a partial tree would only add noise
  }
  const directive = doc.directives.targets;
  if (directive) {
    for (const name of directive.names) {
      if (!(TARGET_NAMES as readonly string[]).includes(name)) {
        add('ovfkit/unknown-target', { message: `Unknown target '${name}' (known: ${TARGET_NAMES.join(', ')})`, span: directive.span }, 'warning');
      }
    }
  }
  for (const comment of doc.directives.disableComments) {
    for (const code of comment.codes) {
      if (!ruleMeta(code)) add('ovfkit/unknown-rule', { message: `Unknown rule code '${code}' in 'ovfkit: disable=' (the codes are listed in docs/RULES.md)`, span: comment.listSpan }, 'warning');
    }
  }
  const targets = effectiveTargets(doc, settings);
  const judged = settingsForDatacenter(doc, settings);
  for (const rule of RULES) {
    if (!targets.has(rule.target)) continue;
    rule.check({
      doc,
      settings: judged,
      pkg,
      targets,
      report: (span, message, { severity, ...extra } = {}) => add(rule.code, { span, message, ...extra }, severity ?? rule.severity),
    });
  }
  return findings.sort((a, b) => a.span.start - b.span.start); // stable: rule order within a position
}

/** The CloudControl data centre in force: the file's `ovfkit: datacenter=` comment, else the setting. */
export function chosenDatacenter(doc: Descriptor, settings: ValidationSettings): string | undefined {
  return doc.directives.datacenter?.id ?? settings.datacenter;
}

/** The settings with the chosen data centre's limits in place of the defaults, when they are known. */
function settingsForDatacenter(doc: Descriptor, settings: ValidationSettings): ValidationSettings {
  const id = chosenDatacenter(doc, settings);
  return (id && withDatacenterLimits(settings, id)) || settings;
}

/** OOMMF's OVF files start with a `# OOMMF OVF 2.0` or `# OOMMF: rectangular mesh v1.0` line. */
function isOommf(text: string): boolean {
  return /^\uFEFF?#[ \t]*OOMMF/i.test(text);
}

function settingsFrom(options: ValidateOptions | undefined): ValidationSettings {
  const settings = resolveSettings({ ...DEFAULT_SETTINGS, ...options?.settings });
  if (options?.targets) settings.targets = options.targets;
  return settings;
}

function located(doc: Descriptor, findings: Finding[]): ReportedFinding[] {
  return findings.map((f) => ({
    ...f,
    range: doc.lines.rangeOf(f.span),
    ...(f.related && { related: f.related.map((r) => (r.file ? r : { ...r, range: doc.lines.rangeOf(r.span) })) }),
  }));
}

/** Pure and synchronous: the rules that need no file system. */
export function validateText(text: string, options?: ValidateOptions): ReportedFinding[] {
  const doc = parseDescriptor(text);
  return located(doc, runRules(doc, settingsFrom(options), undefined));
}

/** Reads a descriptor (refusing binary and oversized input early), probes its package, validates. */
export async function validateFile(descriptorPath: string, options?: ValidateOptions): Promise<FileReport> {
  return validateParsedFile(descriptorPath, parseDescriptor(await readDescriptorText(descriptorPath)), options);
}

/** validateFile for a descriptor already read and parsed (the upload plan parses it once). */
export async function validateParsedFile(descriptorPath: string, doc: Descriptor, options?: ValidateOptions): Promise<FileReport> {
  const pkg = doc.xml.error ? undefined : await probePackage(descriptorPath, doc);
  return { file: descriptorPath, findings: located(doc, runRules(doc, settingsFrom(options), pkg)) };
}

/** Descriptors larger than this are not read at all (vCloud's own maximum is 12 MB). */
export const MAX_DESCRIPTOR_BYTES = 64 * 1024 * 1024;

export class DescriptorReadError extends Error {}

/**
 * Reads a descriptor as text (UTF-8, or UTF-16 by its byte-order mark or XML declaration);
 * refuses what cannot be one before decoding it. A FIFO or device is refused without waiting on it.
 */
export async function readDescriptorText(descriptorPath: string): Promise<string> {
  return decodeXmlBytes(await readDescriptorBytes(descriptorPath));
}

/** The descriptor's bytes as they are on disk (the manifest's digest and uploads use them). */
export async function readDescriptorBytes(descriptorPath: string): Promise<Buffer> {
  const absolute = path.resolve(descriptorPath);
  try {
    return await readPackageFileBytes(await packageDirOf(absolute), absolute, MAX_DESCRIPTOR_BYTES, absolute);
  } catch (err) {
    if (!(err instanceof PackagePathError)) throw err;
    const why =
      err.reason === 'too-large'
        ? `too large for an OVF descriptor (limit ${MAX_DESCRIPTOR_BYTES} bytes); is this a disk image?`
        : err.reason === 'not-a-file'
          ? 'not a regular file'
          : err.reason === 'missing'
            ? 'cannot read: no such file'
            : err.message.replace(/^'[^']*' /, '');
    throw new DescriptorReadError(`${absolute}: ${why}`);
  }
}
