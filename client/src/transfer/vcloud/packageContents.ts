// Which bytes an upload sends, and under which names. Membership comes from the domain: a folder's
// listPackageFiles (descriptor, manifest, References/File in document order, chunked Files as their
// parts) or an OVA's listOvaUploadFiles (the same, as byte ranges of the .ova, never unpacked).
// Each file is a ByteSource; a chunked File's parts are one source under its href, because vCloud
// takes them, in order, as one upload to the file's single link (PROTOCOLS.md §1).
import { checkPackageFile, describeCheck, isOvaPath, listOvaUploadFiles, listPackageFiles, PlannedFile } from '../../../../server/src/ovf';
import { ByteSource, sourcesFromPlan } from '../common/byteSource';

/** vCloud names the manifest of an upload `descriptor.mf` whatever the package calls it. */
export const SERVER_MANIFEST_NAME = 'descriptor.mf';

export interface UploadFile {
  /** The name the server's template lists (the ovf:href, or descriptor.mf for the manifest). */
  serverName: string;
  /** Where its bytes are (a loose file, an OVA member, a chunked File's parts). */
  source: ByteSource;
  size: number;
  /** A chunked File's part names (as the manifest lists them), one per source segment. */
  parts?: string[];
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

/** `descriptorPath` is an .ovf beside its files, or an .ova. */
export async function readUploadContents(descriptorPath: string): Promise<UploadContents> {
  const planned: PlannedFile[] = isOvaPath(descriptorPath)
    ? (await listOvaUploadFiles(descriptorPath)).files
    : (await listPackageFiles(descriptorPath, { chunkParts: true })).map((f) => ({ role: f.role, name: f.name, path: f.path, packageDir: f.packageDir, declaredSize: f.declaredSize, partOf: f.chunkOf }));
  const sized = async (f: PlannedFile): Promise<number> => {
    const check = await checkPackageFile(f.packageDir, f.path);
    if (check.status !== 'file') throw new Error(`${f.name}: cannot send ${f.path}: it ${describeCheck(check)}`);
    return check.size;
  };
  const sources = await sourcesFromPlan(planned.filter((f) => f.role !== 'certificate'), sized, true);
  const asUpload = (serverName: string, s: { file: PlannedFile; source: ByteSource }): UploadFile => ({
    serverName,
    source: s.source,
    size: s.source.size,
    parts: s.file.partOf ? planned.filter((p) => p.partOf === s.file.partOf).map((p) => p.name) : undefined,
  });
  const descriptorEntry = sources.find((s) => s.file.role === 'descriptor');
  if (!descriptorEntry) throw new Error(`${descriptorPath}: no descriptor in the package listing`);
  const manifestEntry = sources.find((s) => s.file.role === 'manifest');
  const descriptor = asUpload('descriptor.ovf', descriptorEntry);
  const manifest = manifestEntry && asUpload(SERVER_MANIFEST_NAME, manifestEntry);
  const files = sources.filter((s) => s.file.role === 'file').map((s) => asUpload(s.source.name, s));
  const totalBytes = descriptor.size + (manifest?.size ?? 0) + files.reduce((n, f) => n + f.size, 0);
  return { descriptor, descriptorName: descriptorEntry.file.name, manifest, files, totalBytes };
}
