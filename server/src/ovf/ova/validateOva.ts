// Validates an OVA in place: the descriptor member is read straight from the tar (never unpacked),
// validated with positions in the descriptor, and the package rules see the members as the
// package's files (sizes, missing members, members nobody references, member order: rules/ova.ts).
import { Finding } from '../findings';
import { parseManifest } from '../manifest/parseManifest';
import type { FileHandle } from 'node:fs/promises';
import { Descriptor, parseDescriptor } from '../model/descriptor';
import { resolveHref } from '../package/hrefs';
import { FileFacts, PackageFacts } from '../package/packageFacts';
import { DEFAULT_SETTINGS, resolveSettings } from '../settings';
import { MAX_DESCRIPTOR_BYTES, ReportedFinding, runRules, ValidateOptions } from '../validate';
import { decodeXmlBytes } from '../xml/decodeXml';
import { OvaError, OvaIndex, OvaMember, openOva, readMembers, readMember } from './ovaIndex';
import { MAX_MANIFEST_BYTES } from '../manifest/limits';

export interface OvaReport {
  /** The OVA's path. */
  file: string;
  /** The descriptor member the positions are in. */
  entry: string;
  findings: ReportedFinding[];
}

/** The descriptor of an OVA: its first `.ovf` member (ovftool wants it first; we find it anywhere). */
export function descriptorMember(index: Pick<OvaIndex, 'members'>): OvaMember | undefined {
  return index.members.find((m) => /\.ovf$/i.test(m.name) && !m.name.includes('/'));
}

export async function validateOva(ovaPath: string, options?: ValidateOptions): Promise<OvaReport> {
  const { handle, size } = await openOva(ovaPath);
  try {
    const members = await readMembers(handle, size);
    const { member: descriptor, text } = await readOvaDescriptor(handle, members);
    const doc = parseDescriptor(text);
    const pkg = doc.xml.error ? undefined : await ovaPackageFacts(handle, members, descriptor, doc);
    const settings = resolveSettings({ ...DEFAULT_SETTINGS, ...options?.settings });
    if (options?.targets) settings.targets = options.targets;
    const findings: Finding[] = runRules(doc, settings, pkg);
    return { file: ovaPath, entry: descriptor.name, findings: findings.map((f) => ({ ...f, range: doc.lines.rangeOf(f.span) })) };
  } finally {
    await handle.close();
  }
}

/** What the package rules know, from the OVA's members instead of the files beside a descriptor. */
export async function ovaPackageFacts(handle: FileHandle, members: OvaMember[], descriptor: OvaMember, doc: Descriptor): Promise<PackageFacts> {
  const base = descriptor.name.replace(/\.ovf$/i, '');
  const byName = new Map(members.map((m) => [m.name, m]));
  const files = new Map<string, FileFacts>();
  for (const f of doc.files) {
    const href = f.href?.value;
    if (href === undefined || files.has(href)) continue;
    // The same href policy as for a folder: a URL, absolute or '..' href names no member.
    const safe = resolveHref('/ova', href);
    const member = byName.get(href);
    files.set(href, !safe.ok ? { status: 'unsafe', reason: safe.reason } : member ? { status: 'present', size: member.size } : { status: 'missing' });
  }
  const manifest = byName.get(`${base}.mf`);
  const pkg: PackageFacts = {
    files,
    manifestName: `${base}.mf`,
    manifestExists: manifest !== undefined,
    siblings: members.filter((m) => m !== descriptor).map((m) => ({ name: m.name, size: m.size })),
    ova: { descriptor: descriptor.name, members: members.map((m) => m.name) },
  };
  if (manifest && manifest.size <= MAX_MANIFEST_BYTES) {
    const parsed = parseManifest((await readMember(handle, manifest, MAX_MANIFEST_BYTES)).toString('utf8'));
    pkg.manifestEntries = new Map(parsed.entries.map((e) => [e.name, e.algorithmText]));
  }
  return pkg;
}

/** The descriptor's text and model, read from an open OVA. */
export async function readOvaDescriptor(handle: FileHandle, members: OvaMember[]): Promise<{ member: OvaMember; text: string }> {
  const member = descriptorMember({ members });
  if (!member) throw new OvaError(`no OVF descriptor (.ovf member) in the OVA; it holds ${members.map((m) => m.name).join(', ') || 'nothing'}`);
  // Decoded as every descriptor is (UTF-8, or UTF-16 by BOM or first bytes).
  return { member, text: decodeXmlBytes(await readMember(handle, member, MAX_DESCRIPTOR_BYTES)) };
}

/** Package facts for a descriptor the editor shows from inside an OVA. */
export async function probeOvaPackage(ovaPath: string, doc: Descriptor): Promise<PackageFacts> {
  const { handle, size } = await openOva(ovaPath);
  try {
    const members = await readMembers(handle, size);
    const descriptor = descriptorMember({ members });
    if (!descriptor) throw new OvaError('no OVF descriptor (.ovf member) in the OVA');
    return await ovaPackageFacts(handle, members, descriptor, doc);
  } finally {
    await handle.close();
  }
}
