// Validates an OVA in place: the descriptor member is read straight from the tar (never unpacked),
// validated with positions in the descriptor, and the package rules see the members as the
// package's files (sizes, missing members). Members nobody references and an OVA whose first member
// is not the descriptor (ovftool refuses it) are findings of their own.
import { Finding } from '../findings';
import { parseManifest } from '../manifest/parseManifest';
import { parseDescriptor } from '../model/descriptor';
import { resolveHref } from '../package/hrefs';
import { FileFacts, PackageFacts } from '../package/packageFacts';
import { DEFAULT_SETTINGS, resolveSettings } from '../settings';
import { MAX_DESCRIPTOR_BYTES, ReportedFinding, runRules, ValidateOptions } from '../validate';
import { OvaError, OvaIndex, OvaMember, openOva, readMembers, readMember } from './ovaIndex';

export interface OvaReport {
  /** The OVA's path. */
  file: string;
  /** The descriptor member the positions are in. */
  entry: string;
  findings: ReportedFinding[];
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The descriptor of an OVA: its first `.ovf` member (ovftool wants it first; we find it anywhere). */
export function descriptorMember(index: Pick<OvaIndex, 'members'>): OvaMember | undefined {
  return index.members.find((m) => /\.ovf$/i.test(m.name) && !m.name.includes('/'));
}

export async function validateOva(ovaPath: string, options?: ValidateOptions): Promise<OvaReport> {
  const { handle, size } = await openOva(ovaPath);
  try {
    const members = await readMembers(handle, size);
    const descriptor = descriptorMember({ members });
    if (!descriptor) throw new OvaError(`no OVF descriptor (.ovf member) in the OVA; it holds ${members.map((m) => m.name).join(', ') || 'nothing'}`);
    const text = (await readMember(handle, descriptor, MAX_DESCRIPTOR_BYTES)).toString('utf8');
    const doc = parseDescriptor(text);
    const base = descriptor.name.replace(/\.ovf$/i, '');
    const byName = new Map(members.map((m) => [m.name, m]));
    let pkg: PackageFacts | undefined;
    if (!doc.xml.error) {
      const files = new Map<string, FileFacts>();
      for (const f of doc.files) {
        const href = f.href?.value;
        if (href === undefined || files.has(href)) continue;
        const safe = resolveHref('/ova', href);
        const member = byName.get(href);
        files.set(href, !safe.ok ? { status: 'unsafe', reason: safe.reason } : member ? { status: 'present', size: member.size } : { status: 'missing' });
      }
      const manifest = byName.get(`${base}.mf`);
      pkg = { files, manifestName: `${base}.mf`, manifestExists: manifest !== undefined, siblings: members.filter((m) => m !== descriptor).map((m) => ({ name: m.name, size: m.size })) };
      if (manifest && manifest.size <= MAX_MANIFEST_BYTES) {
        const parsed = parseManifest((await readMember(handle, manifest, MAX_MANIFEST_BYTES)).toString('utf8'));
        pkg.manifestEntries = new Map(parsed.entries.map((e) => [e.name, e.algorithmText]));
      }
    }
    const settings = resolveSettings({ ...DEFAULT_SETTINGS, ...options?.settings });
    if (options?.targets) settings.targets = options.targets;
    const findings: Finding[] = runRules(doc, settings, pkg);
    if (pkg) {
      // The OVA's own findings honour ovfkit.severity like every rule's.
      for (const f of memberFindings(members, descriptor, base, doc.files.map((file) => file.href?.value))) {
        const override = settings.severity[f.code];
        if (override !== 'off') findings.push(override ? { ...f, severity: override } : f);
      }
    }
    return { file: ovaPath, entry: descriptor.name, findings: findings.map((f) => ({ ...f, range: doc.lines.rangeOf(f.span) })) };
  } finally {
    await handle.close();
  }
}

function memberFindings(members: OvaMember[], descriptor: OvaMember, base: string, hrefs: (string | undefined)[]): Finding[] {
  const findings: Finding[] = [];
  const at = { start: 0, end: 0 };
  if (members[0] !== descriptor) {
    findings.push({ code: 'ova/descriptor-not-first', severity: 'error', span: at,
      message: `The OVA's first member is '${members[0].name}', not the descriptor '${descriptor.name}': ovftool and vCenter refuse such an OVA (DSP0243 §5.3: the descriptor comes first). Pack it again with 'ovfkit pack'.` });
  }
  const known = new Set([descriptor.name, `${base}.mf`, `${base}.cert`, ...hrefs.filter((h): h is string => !!h)]);
  for (const m of members) {
    if (known.has(m.name)) continue;
    findings.push({ code: 'ova/unreferenced-member', severity: 'warning', span: at,
      message: `The OVA holds '${m.name}' (${m.size} bytes), which no File of the descriptor references: it is carried but never used.` });
  }
  return findings;
}
