// Verifies an OVA in place, never unpacked: the descriptor, manifest and certificate members are
// read from the tar, and every member the manifest lists is hashed straight from its byte range
// in the OVA on the hashing pool, as `verify` hashes the files of a folder. Reports name members
// `app.ova(app.vmdk)`.
import * as path from 'node:path';
import { Finding } from '../findings';
import { MAX_MANIFEST_BYTES } from '../manifest/limits';
import type { PackageMember } from '../manifest/packageMembers';
import { VerifyOptions, VerifyResult, verifyMembers } from '../manifest/verifyPackage';
import { parseDescriptor } from '../model/descriptor';
import { resolveHref } from '../package/hrefs';
import { packageDirOf, PackagePathError } from '../package/openPackageFile';
import { presentChunkParts } from '../package/packageFacts';
import { CertOptions, CertReport, checkCertBytes } from '../signature/checkCertFile';
import { openOva, OvaMember, readMember, readMembers } from './ovaIndex';
import { readOvaDescriptor } from './validateOva';

export interface OvaVerifyResult {
  result: VerifyResult;
  /** The `.cert` member's check, when the OVA is signed. */
  cert?: CertReport;
}

/** How reports name a member: `app.ova(app.vmdk)`. */
export function ovaMemberLabel(ovaPath: string, member: string): string {
  return `${ovaPath}(${member})`;
}

export async function verifyOva(ovaPath: string, options: VerifyOptions & CertOptions = {}): Promise<OvaVerifyResult> {
  const ovaFile = path.resolve(ovaPath);
  const packageDir = await packageDirOf(ovaFile);
  const { handle, size } = await openOva(ovaFile);
  let descriptor: OvaMember, descriptorText: string, members: PackageMember[];
  let manifest: Buffer | PackagePathError, cert: Buffer | undefined;
  const descriptorFindings: Finding[] = [];
  let base: string;
  try {
    const tar = await readMembers(handle, size);
    ({ member: descriptor, text: descriptorText } = await readOvaDescriptor(handle, tar));
    base = descriptor.name.replace(/\.ovf$/i, '');
    const byName = new Map(tar.map((m) => [m.name, m]));
    const member = (role: PackageMember['role'], name: string): PackageMember => {
      const m = byName.get(name);
      return m ? { role, name, path: ovaFile, packageDir, range: { offset: m.dataOffset, length: m.size } } : { role, name, path: ovaFile, packageDir, absent: true };
    };
    members = [member('descriptor', descriptor.name)];
    const seen = new Set<string>([descriptor.name]);
    for (const f of parseDescriptor(descriptorText).files) {
      const href = f.href?.value;
      if (href === undefined || seen.has(href)) continue;
      seen.add(href);
      // The folder's href policy: a URL, absolute or '..' href names no member.
      const parts = f.chunkSize && resolveHref('/ova', href).ok ? await presentChunkParts(href, (n) => byName.has(n)) : [];
      for (const name of parts.length ? parts : [href]) members.push(resolveHref('/ova', name).ok ? member('file', name) : { role: 'file', name, path: ovaFile, packageDir, absent: true });
    }
    if (tar[0] !== descriptor) {
      descriptorFindings.push({
        code: 'ova/descriptor-not-first',
        severity: 'error',
        message: `The OVA's first member is '${tar[0].name}', not the descriptor '${descriptor.name}': ovftool and vCenter refuse such an OVA (DSP0243 1.1 §5.3). Pack it again with ovfkit pack.`,
        span: { start: 0, end: 0 },
      });
    }
    const mf = byName.get(`${base}.mf`);
    manifest = !mf
      ? new PackagePathError(`${base}.mf`, ovaFile, 'missing', `no ${base}.mf member`)
      : mf.size > MAX_MANIFEST_BYTES
        ? new PackagePathError(`${base}.mf`, ovaFile, 'too-large', `the member ${base}.mf is ${mf.size} bytes, more than a manifest (${MAX_MANIFEST_BYTES})`)
        : await readMember(handle, mf, MAX_MANIFEST_BYTES);
    const certMember = byName.get(`${base}.cert`);
    cert = certMember && (await readMember(handle, certMember, MAX_MANIFEST_BYTES));
  } finally {
    await handle.close();
  }
  const manifestName = `${base}.mf`;
  const result = await verifyMembers(
    {
      descriptorPath: ovaMemberLabel(ovaPath, descriptor.name),
      manifestPath: ovaMemberLabel(ovaPath, manifestName),
      descriptorText,
      members,
      readManifest: async () => {
        if (manifest instanceof Error) throw manifest;
        return manifest;
      },
      descriptorFindings,
    },
    options,
  );
  const certReport = cert && (await checkCertBytes(ovaMemberLabel(ovaPath, `${base}.cert`), cert, manifestName, async () => (manifest instanceof Error ? undefined : manifest), options));
  return { result, cert: certReport };
}
