// Which local files an upload sends, and under which names. Membership comes from the domain's
// listPackageFiles (descriptor, manifest, certificate, References/File in document order).
import { checkPackageFile, describeCheck, listPackageFiles } from '../../../../server/src/ovf';

/** vCloud names the manifest of an upload `descriptor.mf` whatever the package calls it. */
export const SERVER_MANIFEST_NAME = 'descriptor.mf';

export interface UploadFile {
  /** The name the server's template lists (the ovf:href, or descriptor.mf for the manifest). */
  serverName: string;
  localPath: string;
  /** The package folder it must lie in (it is opened with openPackageFile). */
  packageDir: string;
  size: number;
}

export interface UploadContents {
  descriptor: UploadFile;
  /** The descriptor's own file name (the server calls it descriptor.ovf; the manifest does not). */
  descriptorName: string;
  manifest?: UploadFile;
  /** Referenced files in descriptor order. */
  files: UploadFile[];
  totalBytes: number;
}

export async function readUploadContents(descriptorPath: string): Promise<UploadContents> {
  const listed = await listPackageFiles(descriptorPath);
  const sized = async (serverName: string, localPath: string, packageDir: string): Promise<UploadFile> => {
    const check = await checkPackageFile(packageDir, localPath);
    if (check.status !== 'file') throw new Error(`${serverName}: cannot send ${localPath}: it ${describeCheck(check)}`);
    return { serverName, localPath, packageDir, size: check.size };
  };
  const descriptorEntry = listed.find((f) => f.role === 'descriptor');
  if (!descriptorEntry) throw new Error(`${descriptorPath}: no descriptor in the package listing`);
  const descriptor = await sized('descriptor.ovf', descriptorEntry.path, descriptorEntry.packageDir);
  const manifestEntry = listed.find((f) => f.role === 'manifest');
  const manifest = manifestEntry ? await sized(SERVER_MANIFEST_NAME, manifestEntry.path, manifestEntry.packageDir) : undefined;
  const files: UploadFile[] = [];
  const seen = new Set<string>();
  for (const f of listed.filter((e) => e.role === 'file')) {
    // Two References may name the same file; it is sent once.
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    files.push(await sized(f.name, f.path, f.packageDir));
  }
  const totalBytes = descriptor.size + (manifest?.size ?? 0) + files.reduce((n, f) => n + f.size, 0);
  return { descriptor, descriptorName: descriptorEntry.name, manifest, files, totalBytes };
}
