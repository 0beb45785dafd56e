// Validation: run the rules of the chosen targets over one descriptor model.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Finding, Range, Severity } from './findings';
import { Descriptor, parseDescriptor } from './model/descriptor';
import { PackageFacts, probePackage } from './package/packageFacts';
import { RULES } from './rules/index';
import { TARGET_NAMES, TargetName } from './rules/rule';
import { DEFAULT_SETTINGS, resolveSettings, ValidationSettings } from './settings';

export type { TargetName } from './rules/rule';

export interface ReportedFinding extends Finding {
  range: Range;
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

export function runRules(doc: Descriptor, settings: ValidationSettings, pkg: PackageFacts | undefined): Finding[] {
  const findings: Finding[] = [];
  const add = (code: string, finding: Omit<Finding, 'code' | 'severity'>, severity: Severity) => {
    const override = settings.severity[code];
    if (override === 'off') return;
    findings.push({ code, severity: override ?? severity, ...finding });
  };
  const error = doc.xml.error;
  if (error && !/^\uFEFF?\s*</.test(doc.text.slice(0, 1024))) {
    // `.ovf` is also OOMMF's vector-field format: a file that is not XML at all gets one quiet note.
    add('ovf/not-xml', { message: 'This file is not XML, so not an OVF descriptor (an OOMMF vector field?); ovfkit does not check it', span: { start: 0, end: 0 } }, 'information');
    return findings;
  }
  if (error) {
    const code = error.kind === 'binary' ? 'xml/binary' : error.kind === 'dtd' ? 'xml/dtd' : 'xml/malformed';
    add(code, { message: error.message, span: error.span }, 'error');
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
  const targets = effectiveTargets(doc, settings);
  for (const rule of RULES) {
    if (!targets.has(rule.target)) continue;
    rule.check({
      doc,
      settings,
      pkg,
      targets,
      report: (span, message, { severity, ...extra } = {}) => add(rule.code, { span, message, ...extra }, severity ?? rule.severity),
    });
  }
  return findings.sort((a, b) => a.span.start - b.span.start); // stable: rule order within a position
}

function settingsFrom(options: ValidateOptions | undefined): ValidationSettings {
  const settings = resolveSettings({ ...DEFAULT_SETTINGS, ...options?.settings });
  if (options?.targets) settings.targets = options.targets;
  return settings;
}

function located(doc: Descriptor, findings: Finding[]): ReportedFinding[] {
  return findings.map((f) => ({ ...f, range: doc.lines.rangeOf(f.span) }));
}

/** Pure and synchronous: the rules that need no file system. */
export function validateText(text: string, options?: ValidateOptions): ReportedFinding[] {
  const doc = parseDescriptor(text);
  return located(doc, runRules(doc, settingsFrom(options), undefined));
}

/** Reads a descriptor (refusing binary and oversized input early), probes its package, validates. */
export async function validateFile(descriptorPath: string, options?: ValidateOptions): Promise<FileReport> {
  const text = await readDescriptorText(descriptorPath);
  const doc = parseDescriptor(text);
  const pkg = doc.xml.error ? undefined : await probePackage(descriptorPath, doc);
  return { file: descriptorPath, findings: located(doc, runRules(doc, settingsFrom(options), pkg)) };
}

/** Descriptors larger than this are not read at all (vCloud's own maximum is 12 MB). */
export const MAX_DESCRIPTOR_BYTES = 64 * 1024 * 1024;

export class DescriptorReadError extends Error {}

/** Reads a descriptor as UTF-8 text; refuses what cannot be one before decoding it. */
export async function readDescriptorText(descriptorPath: string): Promise<string> {
  let buffer: Buffer;
  try {
    const s = await stat(descriptorPath);
    if (!s.isFile()) throw new DescriptorReadError(`${descriptorPath}: not a regular file`);
    if (s.size > MAX_DESCRIPTOR_BYTES) {
      throw new DescriptorReadError(`${descriptorPath}: ${s.size} bytes is too large for an OVF descriptor (limit ${MAX_DESCRIPTOR_BYTES}); is this a disk image?`);
    }
    buffer = await readFile(descriptorPath);
  } catch (err) {
    if (err instanceof DescriptorReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new DescriptorReadError(`${path.resolve(descriptorPath)}: cannot read: ${why}`);
  }
  return buffer.toString('utf8');
}
