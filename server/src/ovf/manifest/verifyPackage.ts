// Checks a package against its manifest: every entry's digest against its file, every package file
// against the manifest. Findings land on the manifest and on the descriptor (at the file's href),
// each with the span it is about. Only package files are read: a manifest line naming anything
// else (another folder, say) is reported, never opened.
import * as path from 'node:path';
import { Finding, Span } from '../findings';
import { parseDescriptor } from '../model/descriptor';
import { manifestMissing } from '../rules/cloudControl';
import { TargetName } from '../rules/rule';
import { DEFAULT_SETTINGS, resolveSettings } from '../settings';
import { checkPackageFile, PackagePathError, readPackageFileBytes } from '../package/openPackageFile';
import { effectiveTargets, readDescriptorText } from '../validate';
import { ManifestEntry, parseManifest } from './parseManifest';
import { isAbortError, PackageFileError } from './errors';
import { MAX_MANIFEST_BYTES } from './limits';
import { HashOptions, hashFiles, HashJob, HashOutcome } from './hashFiles';
import { coverageFindings, staleDescriptor } from './lintManifest';
import { hrefSpans } from './manifestPackage';
import { manifestPathFor, PackageMember, packageMembers } from './packageMembers';

export interface ManifestFileReport {
  file: string;
  /** The text the spans index into. */
  text: string;
  findings: Finding[];
}

export interface VerifySummary {
  /** Entries whose file was hashed. */
  checked: number;
  matched: number;
  mismatched: number;
  missingFiles: number;
  missingEntries: number;
  errors: number;
  warnings: number;
}

export interface VerifyOptions extends HashOptions {
  /** The cloud targets of the settings (default: both); the descriptor's `ovfkit: targets=` wins. */
  targets?: TargetName[];
}

export interface VerifyResult {
  descriptorPath: string;
  manifestPath: string;
  /** There is no manifest yet: nothing was checked. */
  noManifest: boolean;
  /** The target in effect that needs a manifest (CloudControl), if any: without one, an error. */
  manifestRequiredBy?: TargetName;
  manifest?: ManifestFileReport;
  descriptor: ManifestFileReport;
  summary: VerifySummary;
  /** True when every entry matches and nothing is missing (no error-severity finding). */
  ok: boolean;
}

/** What is checked, wherever its files are: a folder beside the descriptor, or an OVA's members. */
export interface VerifySource {
  /** The names reports carry (a path, or `app.ova(app.ovf)` for a member). */
  descriptorPath: string;
  manifestPath: string;
  descriptorText: string;
  /** The descriptor first, then the referenced files (chunked ones part by part). */
  members: PackageMember[];
  /** The manifest's text; a PackagePathError 'missing' when there is none. */
  readManifest(): Promise<Buffer>;
  /** Findings about the container itself (an OVA's member order), on the descriptor. */
  descriptorFindings?: Finding[];
}

export async function verifyPackage(descriptorPath: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const members = await packageMembers(descriptorPath);
  const manifestPath = manifestPathFor(descriptorPath);
  return verifyMembers({
    descriptorPath,
    manifestPath,
    descriptorText: await readDescriptorText(descriptorPath),
    members,
    // Opened like any package file: a FIFO or a symlink out of the package is refused unread,
    // and only a manifest-sized file is read.
    readManifest: () => readPackageFileBytes(members[0].packageDir, manifestPath, MAX_MANIFEST_BYTES, path.basename(manifestPath)),
  }, options);
}

export async function verifyMembers(source: VerifySource, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { descriptorPath, manifestPath, descriptorText, members } = source;
  const descriptor: ManifestFileReport = { file: descriptorPath, text: descriptorText, findings: [...(source.descriptorFindings ?? [])] };
  const summary: VerifySummary = { checked: 0, matched: 0, mismatched: 0, missingFiles: 0, missingEntries: 0, errors: 0, warnings: 0 };
  const hrefs = hrefSpans(descriptorText);
  const hrefOf = (name: string): Span => hrefs.get(name) ?? { start: 0, end: 0 };

  let manifestText: string;
  try {
    manifestText = (await source.readManifest()).toString('utf8');
  } catch (err) {
    if (isAbortError(err) || !(err instanceof PackagePathError)) throw err;
    if (err.reason !== 'missing') {
      descriptor.findings.push({ code: 'manifest/unreadable-file', severity: 'error', message: `the manifest cannot be used: ${err.message}`, span: { start: 0, end: 0 } });
      return finish({ descriptorPath, manifestPath, noManifest: true, descriptor, summary, ok: false });
    }
    // No manifest is a finding only for a target that needs one; for the others it is a note.
    const required = manifestRequiredBy(descriptorText, options.targets);
    descriptor.findings.push({
      code: 'manifest/no-manifest',
      severity: required ? 'error' : 'information',
      message: `No manifest yet: ${manifestPathBase(manifestPath)} does not exist` +
        (required ? `, and the ${required} target needs one` : '; it is optional for the targets in effect, nothing was checked'),
      span: { start: 0, end: 0 },
      remedy: { action: 'generate-manifest', descriptor: descriptorPath },
    });
    return finish({ descriptorPath, manifestPath, noManifest: true, manifestRequiredBy: required, descriptor, summary, ok: false });
  }

  const parsed = parseManifest(manifestText);
  const findings = parsed.findings;
  const manifest: ManifestFileReport = { file: manifestPath, text: manifestText, findings: [...findings] };
  const coverage = coverageFindings(parsed, members, manifestText.length);
  manifest.findings.push(...coverage);

  // Files with no manifest line: flag them on the descriptor too, and say if they are absent.
  const listed = new Set(parsed.entries.map((e) => e.name));
  for (const m of members) {
    if (listed.has(m.name)) continue;
    summary.missingEntries++;
    if (m.role === 'file') {
      descriptor.findings.push({ code: 'manifest/missing-entry', severity: 'error', message: `'${m.name}' has no line in ${manifestPathBase(manifestPath)}`, span: hrefOf(m.name) });
      if (m.absent || (await checkPackageFile(m.packageDir, m.path)).status === 'missing') {
        summary.missingFiles++;
        descriptor.findings.push({ code: 'manifest/missing-file', severity: 'error', message: `'${m.name}' is missing: ${m.path} does not exist`, span: hrefOf(m.name) });
      }
    }
  }

  // Hash each package file that has a usable entry (the first, if listed twice).
  const byName = new Map(members.map((m) => [m.name, m]));
  const toCheck: { entry: ManifestEntry; job: HashJob }[] = [];
  const seen = new Set<string>();
  for (const entry of parsed.entries) {
    const member = byName.get(entry.name);
    if (!member || !entry.algorithm || !entry.digestValid || seen.has(entry.name)) continue;
    seen.add(entry.name);
    toCheck.push({ entry, job: { name: entry.name, path: member.path, packageDir: member.packageDir, algorithm: entry.algorithm, range: member.range } });
  }
  // A member an OVA does not hold is missing without a read (its path is the OVA itself).
  const present = toCheck.filter((c) => !byName.get(c.entry.name)?.absent);
  const hashed = await hashFiles(present.map((c) => c.job), options);
  const hashedBy = new Map(present.map((c, i) => [c.job, hashed[i]]));
  const outcomes: HashOutcome[] = toCheck.map(({ job }) => hashedBy.get(job) ?? { job, error: new PackageFileError(job.name, job.path, 'missing', '') });

  outcomes.forEach((outcome, i) => {
    const { entry } = toCheck[i];
    const isDescriptor = byName.get(entry.name)?.role === 'descriptor';
    if (outcome.error) {
      const { reason } = outcome.error;
      const code = reason === 'missing' ? 'manifest/missing-file' : reason === 'outside' ? 'package/outside-package' : reason === 'not-a-file' ? 'package/not-a-file' : 'manifest/unreadable-file';
      if (outcome.error.reason === 'missing') summary.missingFiles++;
      manifest.findings.push({ code, severity: 'error', message: outcome.error.message, span: entry.nameSpan });
      if (!isDescriptor) descriptor.findings.push({ code, severity: 'error', message: outcome.error.message, span: hrefOf(entry.name) });
      return;
    }
    summary.checked++;
    if (outcome.digest === entry.digest.toLowerCase()) {
      summary.matched++;
      return;
    }
    summary.mismatched++;
    if (isDescriptor) {
      manifest.findings.push(staleDescriptor(entry, descriptorPath));
      return;
    }
    const related = hrefs.has(entry.name) ? [{ file: descriptorPath, span: hrefOf(entry.name), message: `'${entry.name}' referenced here` }] : undefined;
    manifest.findings.push({
      code: 'manifest/digest-mismatch',
      severity: 'error',
      message: `'${entry.name}' does not match its ${entry.algorithm} digest: the file has ${outcome.digest}`,
      span: entry.digestSpan,
      related,
    });
    descriptor.findings.push({
      code: 'manifest/digest-mismatch',
      severity: 'error',
      message: `'${entry.name}' does not match its ${entry.algorithm} digest in ${manifestPathBase(manifestPath)}`,
      span: hrefOf(entry.name),
      related: [{ file: manifestPath, span: entry.digestSpan, message: 'manifest entry' }],
    });
  });

  return finish({ descriptorPath, manifestPath, noManifest: false, manifest, descriptor, summary, ok: false });
}

/** The target in effect whose import refuses a package without a manifest (the rule that says so). */
function manifestRequiredBy(descriptorText: string, targets: TargetName[] | undefined): TargetName | undefined {
  const settings = resolveSettings({ ...DEFAULT_SETTINGS, ...(targets && { targets }) });
  return effectiveTargets(parseDescriptor(descriptorText), settings).has(manifestMissing.target) ? manifestMissing.target : undefined;
}

function finish(result: VerifyResult): VerifyResult {
  const all = [...(result.manifest?.findings ?? []), ...result.descriptor.findings];
  result.summary.errors = all.filter((f) => f.severity === 'error').length;
  result.summary.warnings = all.filter((f) => f.severity === 'warning').length;
  result.ok = result.summary.errors === 0;
  return result;
}

function manifestPathBase(p: string): string {
  return p.split(/[\\/]/).pop()!;
}
