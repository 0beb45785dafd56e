// The manifest diagnostics shown as the user edits: the text's own findings, plus the ones that
// need the package but no disk hashing: entries that are not package files, package files with no
// entry, and a descriptor changed since the manifest was written (hashing only the descriptor,
// cached by size and modification time).
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Finding, Span } from '../findings';
import { ManifestAlgorithm } from './algorithms';
import { openPackageFile, packageDirOf } from '../package/openPackageFile';
import { digestFd } from './digestFile';
import { descriptorForManifest } from './manifestPackage';
import { PackageMember, packageMembers } from './packageMembers';
import { ManifestEntry, ParsedManifest, parseManifest } from './parseManifest';

export interface ManifestLint {
  findings: Finding[];
  parsed: ParsedManifest;
  /** The descriptor the manifest belongs to, when one was found beside it. */
  descriptorPath?: string;
}

export async function lintManifest(text: string, manifestPath: string): Promise<ManifestLint> {
  const parsed = parseManifest(text);
  const findings = [...parsed.findings];
  const descriptorPath = await descriptorForManifest(manifestPath, parsed);
  if (!descriptorPath) return { findings, parsed };

  let members: PackageMember[];
  try {
    members = await cachedMembers(descriptorPath);
  } catch {
    // An unreadable descriptor or unsafe href is reported on the descriptor itself.
    return { findings, parsed, descriptorPath };
  }
  findings.push(...coverageFindings(parsed, members, text.length), ...refusedFindings(parsed, members));

  const descriptor = members.find((m) => m.role === 'descriptor')!;
  const entry = parsed.entries.find((e) => e.name === descriptor.name);
  if (entry?.algorithm && entry.digestValid) {
    const digest = await cachedDigest(descriptor.path, entry.algorithm).catch(() => undefined);
    if (digest && digest !== entry.digest.toLowerCase()) findings.push(staleDescriptor(entry, descriptorPath));
  }
  return { findings, parsed, descriptorPath };
}

/** unknown-entry for lines naming no package file; missing-entry for package files with no line. */
export function coverageFindings(parsed: ParsedManifest, members: PackageMember[], textLength: number): Finding[] {
  const findings: Finding[] = [];
  const names = new Set(members.map((m) => m.name));
  const descriptorName = members.find((m) => m.role === 'descriptor')?.name;
  for (const e of parsed.entries) {
    if (names.has(e.name)) continue;
    findings.push({
      code: 'manifest/unknown-entry',
      severity: 'warning',
      message: `'${e.name}' is neither the descriptor${descriptorName ? ` (${descriptorName})` : ''} nor a file it references; it is not checked`,
      span: e.nameSpan,
      fixes: [{ title: 'Remove this line', edits: [{ span: lineWithEnding(e), newText: '' }] }],
    });
  }
  const listed = new Set(parsed.entries.map((e) => e.name));
  const end: Span = { start: textLength, end: textLength };
  for (const m of members) {
    if (listed.has(m.name)) continue;
    findings.push({
      code: 'manifest/missing-entry',
      severity: 'error',
      message: `the manifest has no line for ${m.role === 'descriptor' ? 'the descriptor' : 'the referenced file'} '${m.name}'; consumers refuse a package with unlisted files`,
      span: end,
    });
  }
  return findings;
}

/** Entries naming a package file that must not be read: a symlink out of the package, a FIFO... */
function refusedFindings(parsed: ParsedManifest, members: PackageMember[]): Finding[] {
  const refused = new Map(members.flatMap((m) => (m.refused ? [[m.name, m.refused] as const] : [])));
  return parsed.entries.flatMap((e) => {
    const r = refused.get(e.name);
    return r ? [{ code: r.code, severity: 'error' as const, message: r.message, span: e.nameSpan }] : [];
  });
}

export function staleDescriptor(entry: ManifestEntry, descriptorPath: string): Finding {
  return {
    code: 'manifest/stale-descriptor',
    severity: 'error',
    message: `the descriptor '${entry.name}' has changed since this manifest was written: its ${entry.algorithm} digest no longer matches`,
    span: entry.digestSpan,
    remedy: { action: 'generate-manifest', descriptor: descriptorPath },
  };
}

function lineWithEnding(e: ManifestEntry): Span {
  return { start: e.lineSpan.start, end: e.lineSpan.end + 1 };
}

// Keyed by path; valid while size and mtime are unchanged.
const digestCache = new Map<string, { key: string; digest: string }>();
const membersCache = new Map<string, { key: string; members: PackageMember[] }>();

async function fileKey(p: string, extra = ''): Promise<string> {
  const s = await stat(p);
  return `${s.size}:${s.mtimeMs}:${extra}`;
}

async function cachedDigest(p: string, algorithm: ManifestAlgorithm): Promise<string> {
  const key = await fileKey(p, algorithm);
  const hit = digestCache.get(p);
  if (hit?.key === key) return hit.digest;
  const { handle } = await openPackageFile(await packageDirOf(p), p);
  let digest: string;
  try {
    digest = (await digestFd(handle.fd, algorithm, undefined, 1024 * 1024)).digest;
  } finally {
    await handle.close();
  }
  digestCache.set(p, { key, digest });
  return digest;
}

async function cachedMembers(descriptorPath: string): Promise<PackageMember[]> {
  const p = path.resolve(descriptorPath);
  const key = await fileKey(p);
  const hit = membersCache.get(p);
  if (hit?.key === key) return hit.members;
  const members = await packageMembers(p);
  membersCache.set(p, { key, members });
  return members;
}
