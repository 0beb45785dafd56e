// What the simulated import makes of a staged package, judged with the domain's own parsers
// (server/src/ovf: manifest parser, descriptor model, streamed digests), never the client's
// protocol code: the manifest's syntax and every digest, the descriptor, one VMDK per disk, and the
// hardware version against the data centre's.
import { open, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { digestFd, parseDescriptor, parseManifest } from '../../../../server/src/ovf';

const MAX_TEXT_BYTES = 8 * 1024 * 1024;

/** The problem that fails the import, or undefined when the package is fine. */
export async function judgeStagedPackage(dir: string, manifestName: string, maxHardwareVersion: number): Promise<{ reason?: string; files: string[] }> {
  const base = manifestName.replace(/\.mf$/i, '');
  let manifestText: string;
  try {
    manifestText = await readSmall(path.join(dir, manifestName));
  } catch {
    return { reason: `The manifest ${manifestName} is not in the staging area`, files: [] };
  }
  const manifest = parseManifest(manifestText);
  const syntax = manifest.findings.find((f) => f.severity === 'error');
  if (syntax || manifest.entries.length === 0) return { reason: `The manifest ${manifestName} is invalid: ${syntax?.message ?? 'no digest lines'}`, files: [] };
  const files: string[] = [];
  for (const entry of manifest.entries) {
    if (!entry.algorithm) return { reason: `The manifest uses ${entry.algorithmText}; SHA1, SHA256 or SHA512 are accepted`, files };
    if (entry.name.includes('/') || entry.name.includes('\\')) return { reason: `The manifest names ${entry.name} outside the staging folder`, files };
    let handle;
    try {
      handle = await open(path.join(dir, entry.name), 'r');
    } catch {
      return { reason: `${entry.name}, listed in the manifest, is not in the staging area`, files };
    }
    try {
      const { digest } = await digestFd(handle.fd, entry.algorithm);
      if (digest.toLowerCase() !== entry.digest.toLowerCase()) return { reason: `The ${entry.algorithm} digest of ${entry.name} does not match the manifest`, files };
    } finally {
      await handle.close();
    }
    files.push(entry.name);
  }
  const descriptorName = files.find((f) => /\.ovf$/i.test(f)) ?? `${base}.ovf`;
  if (!files.includes(descriptorName)) return { reason: `The manifest does not list the descriptor ${descriptorName}`, files };
  const doc = parseDescriptor(await readSmall(path.join(dir, descriptorName)));
  if (!doc.isOvf) return { reason: `${descriptorName} is not an OVF descriptor`, files };
  const hrefOf = new Map(doc.files.map((f) => [f.id?.value, f.href?.value]));
  for (const disk of doc.disks) {
    const href = hrefOf.get(disk.fileRef?.value);
    if (!href || !/\.vmdk$/i.test(href) || !files.includes(href)) return { reason: `Disk ${disk.diskId?.value ?? '?'} needs a VMDK listed in the manifest (${href ?? 'no file'})`, files };
  }
  if (doc.disks.length === 0) return { reason: `${descriptorName} has no disk`, files };
  for (const vs of doc.virtualSystems) {
    for (const hw of vs.hardware) {
      const versions = (hw.systemType?.value ?? '').split(/\s+/).map((t) => /^vmx-(\d+)$/.exec(t)?.[1]).filter((v): v is string => !!v).map(Number);
      if (versions.length > 0 && Math.min(...versions) > maxHardwareVersion) return { reason: `The image's virtual hardware vmx-${Math.min(...versions)} is newer than this data centre supports (vmx-${maxHardwareVersion})`, files };
    }
  }
  return { files };
}

async function readSmall(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_TEXT_BYTES) throw new Error(`${file} is too large`);
    return await readFile(handle, 'utf8');
  } finally {
    await handle.close();
  }
}
