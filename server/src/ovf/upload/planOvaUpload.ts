// The upload plan of an OVA, read in place: the members go up as the files of the package they
// hold (CloudControl imports OVF + MF + VMDKs, vCloud takes the descriptor and then each file), so
// each planned file is a byte range of the .ova and nothing is unpacked. Same order as a folder:
// descriptor, manifest, certificate, then References order (a chunked File as its parts).
import * as path from 'node:path';
import { parseDescriptor } from '../model/descriptor';
import { OvaError, OvaMember, openOva, readMembers } from '../ova/ovaIndex';
import { readOvaDescriptor, validateOva } from '../ova/validateOva';
import { resolveHref } from '../package/hrefs';
import { packageDirOf } from '../package/openPackageFile';
import { presentChunkParts } from '../package/packageFacts';
import { judgeUploadReadiness } from './uploadReadiness';
import type { PlanOptions, PlannedFile, UploadPlan, VmRename } from './planUpload';
import { vcloudVmNames } from '../targets/vcloudNames';
import { UploadTarget } from './uploadReadiness';

export function isOvaPath(file: string): boolean {
  return /\.ova$/i.test(file);
}

export interface OvaUploadFiles {
  /** The descriptor member's name (app.ovf). */
  descriptorName: string;
  /** In upload order; each has `range` (its bytes in the .ova) and `path` = the .ova. */
  files: PlannedFile[];
  /** The descriptor's text, read once. */
  descriptorText: string;
}

/**
 * The members to send, as ranges of the OVA. Throws an OvaError for an unsafe or malformed OVA (a
 * `../` name, a link, a size past the end): it is refused before anything is sent.
 */
export async function listOvaUploadFiles(ovaPath: string): Promise<OvaUploadFiles> {
  const absolute = path.resolve(ovaPath);
  const packageDir = await packageDirOf(absolute);
  const { handle, size } = await openOva(absolute);
  let members: OvaMember[];
  let descriptor: OvaMember;
  let descriptorText: string;
  try {
    members = await readMembers(handle, size);
    ({ member: descriptor, text: descriptorText } = await readOvaDescriptor(handle, members));
  } finally {
    await handle.close();
  }
  const byName = new Map(members.map((m) => [m.name, m]));
  const planned = (role: PlannedFile['role'], m: OvaMember, extra: Partial<PlannedFile> = {}): PlannedFile => ({
    role,
    name: m.name,
    path: absolute,
    packageDir,
    range: { offset: m.dataOffset, length: m.size },
    ...extra,
  });
  const files: PlannedFile[] = [planned('descriptor', descriptor)];
  const base = descriptor.name.replace(/\.ovf$/i, '');
  for (const [role, name] of [['manifest', `${base}.mf`], ['certificate', `${base}.cert`]] as const) {
    const m = byName.get(name);
    if (m) files.push(planned(role, m));
  }
  const doc = parseDescriptor(descriptorText);
  const seen = new Set<string>();
  for (const f of doc.files) {
    const href = f.href?.value;
    if (href === undefined || seen.has(href)) continue;
    seen.add(href);
    // The folder's href policy: a URL, absolute or '..' href names no member (validation says so).
    if (!resolveHref('/ova', href).ok) throw new OvaError(`File '${f.id?.value ?? ''}' href '${href}' names no member of an OVA; nothing was sent`);
    const declaredSize = f.size && /^\d+$/.test(f.size.value.trim()) ? Number(f.size.value) : undefined;
    const parts = f.chunkSize ? await presentChunkParts(href, (n) => byName.has(n)) : [];
    if (parts.length) {
      for (const p of parts) files.push(planned('file', byName.get(p)!, { partOf: href }));
      continue;
    }
    const m = byName.get(href);
    if (!m) throw new OvaError(`the OVA has no member '${href}', which the descriptor references`, href);
    files.push(planned('file', m, { declaredSize }));
  }
  return { descriptorName: descriptor.name, files, descriptorText };
}

/** planUpload for an .ova: validated in place for the target, its members listed as ranges. */
export async function planOvaUpload(ovaPath: string, target: UploadTarget, options: PlanOptions = {}): Promise<UploadPlan> {
  const absolute = path.resolve(ovaPath);
  const base = { target, descriptorPath: absolute, files: [] as PlannedFile[], renames: [] as VmRename[], resume: target === 'vcloud' ? 'recorded-template' : 'each-file' } as const;
  let findings;
  let listed: OvaUploadFiles | undefined;
  let unlistable: string | undefined;
  try {
    findings = (await validateOva(absolute, { targets: [target], settings: options.settings })).findings;
  } catch (err) {
    const reason = (err as Error).message;
    return { ...base, readiness: judgeUploadReadiness({ target, descriptorPath: absolute, findings: [], unreadable: [{ file: absolute, reason }] }) };
  }
  try {
    listed = await listOvaUploadFiles(absolute);
  } catch (err) {
    if (!(err instanceof OvaError)) throw err;
    unlistable = err.message;
  }
  const readiness = judgeUploadReadiness({ target, descriptorPath: absolute, findings, unreadable: [] });
  if (unlistable && readiness.verdict !== 'blocked') {
    readiness.blockers.push({ code: 'package/unlistable', message: unlistable, file: absolute });
    readiness.verdict = 'blocked';
  }
  let files = listed?.files ?? [];
  const manifestPath = files.some((f) => f.role === 'manifest') ? absolute : undefined;
  if (options.scope === 'descriptorAndManifest') files = files.filter((f) => f.role === 'descriptor' || f.role === 'manifest');
  let renames: VmRename[] = [];
  if (target === 'vcloud' && listed) {
    const ids = parseDescriptor(listed.descriptorText).virtualSystems.map((vs) => vs.id?.value ?? '');
    const names = vcloudVmNames(ids);
    renames = ids.map((id, i) => ({ id, name: names[i] })).filter((r) => r.id !== r.name);
  }
  return { ...base, readiness, files, manifestPath, renames };
}
