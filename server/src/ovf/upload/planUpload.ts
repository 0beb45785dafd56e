// The upload plan, made once for every front end (editor commands, CLI) and both protocols (FTPS
// staging, the vCloud transfer service): the descriptor is read and parsed once, validated for the
// target, its files listed in the order they go up, and the decision taken (uploadReadiness.ts)
// of what blocks and what needs the user's go-ahead. Each front end only renders the plan.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { Descriptor, parseDescriptor } from '../model/descriptor';
import { chunkPartName, MAX_CHUNK_PARTS } from '../package/packageFacts';
import { listDescriptorFiles, PackageError, PackageFile } from '../package/packageFiles';
import { checkPackageFile } from '../package/openPackageFile';
import { ValidationSettings } from '../settings';
import { vcloudVmNames } from '../targets/vcloudNames';
import { readDescriptorText, ReportedFinding, validateParsedFile } from '../validate';
import { judgeUploadReadiness, UploadReadiness, UploadTarget } from './uploadReadiness';
import { isOvaPath, planOvaUpload } from './planOvaUpload';

export interface PlanOptions {
  /** The user's validation settings (severity overrides, cloud limits). */
  settings?: Partial<ValidationSettings>;
  /** 'descriptorAndManifest': just those two, for a quick check by the CloudControl import. */
  scope?: 'package' | 'descriptorAndManifest';
}

/** One file to send: a package member, or one part of a chunked File (DSP0243 1.1 §7.1). */
export interface PlannedFile {
  role: PackageFile['role'];
  /** Name relative to the package folder: the href, or HREF.000000000 … for a chunked File's parts. */
  name: string;
  /** Absolute local path. */
  path: string;
  /** The package folder: open the file with openPackageFile(packageDir, path). */
  packageDir: string;
  /** ovf:size of a whole file, when given (a part's size is not declared). */
  declaredSize?: number;
  /** For a chunked File's part: the File's href. */
  partOf?: string;
  /** A member of an OVA (`path` is the .ova): where its bytes lie in it. */
  range?: { offset: number; length: number };
}

/** A VirtualSystem vCloud will name otherwise (ids over 13 characters are shortened). */
export interface VmRename {
  id: string;
  name: string;
}

export interface UploadPlan {
  target: UploadTarget;
  descriptorPath: string;
  readiness: UploadReadiness;
  /** In upload order: descriptor, manifest, certificate, then References order (a chunked File as its parts). Empty when the descriptor cannot be read. */
  files: PlannedFile[];
  /** The manifest's path (for an OVA: the .ova; the manifest is its `manifest` file's range). */
  manifestPath?: string;
  /** vCloud only: the VMs it renames. */
  renames: VmRename[];
  /** What an interrupted upload keeps, for the front ends' words. */
  resume: 'each-file' | 'recorded-template';
}

/** Reads the descriptor once, validates it for the target, lists its files; never throws for a bad package (it blocks). An .ova is planned in place (planOvaUpload.ts). */
export async function planUpload(descriptorPath: string, target: UploadTarget, options: PlanOptions = {}): Promise<UploadPlan> {
  if (isOvaPath(descriptorPath)) return planOvaUpload(descriptorPath, target, options);
  const absolute = path.resolve(descriptorPath);
  const base = { target, descriptorPath: absolute, files: [], renames: [], resume: target === 'vcloud' ? 'recorded-template' : 'each-file' } satisfies Partial<UploadPlan>;
  let doc: Descriptor;
  let findings: ReportedFinding[];
  try {
    doc = parseDescriptor(await readDescriptorText(absolute));
    findings = (await validateParsedFile(absolute, doc, { targets: [target], settings: options.settings })).findings;
  } catch (err) {
    const reason = (err as Error).message.replace(`${absolute}: `, '');
    return { ...base, readiness: judgeUploadReadiness({ target, descriptorPath: absolute, findings: [], unreadable: [{ file: absolute, reason }] }) };
  }
  let files: PlannedFile[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  let unlisted: PackageError | undefined;
  try {
    files = await withChunkParts(await listDescriptorFiles(absolute, doc), doc);
    for (const f of files) {
      const reason = await whyUnreadable(f.path);
      if (reason) unreadable.push({ file: f.path, reason });
    }
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    // Bad XML or an unsafe href: the findings say so already, with their positions.
    unlisted = err;
  }
  const readiness = judgeUploadReadiness({ target, descriptorPath: absolute, findings, unreadable });
  if (unlisted && readiness.verdict !== 'blocked') {
    // No finding explains why the files cannot be listed (a FIFO for a manifest): nothing can be sent.
    readiness.blockers.push({ code: 'package/unlistable', message: unlisted.message, file: absolute });
    readiness.verdict = 'blocked';
  }
  const manifestPath = files.find((f) => f.role === 'manifest')?.path;
  if (options.scope === 'descriptorAndManifest') files = files.filter((f) => f.role === 'descriptor' || f.role === 'manifest');
  return { ...base, readiness, files, manifestPath, renames: target === 'vcloud' ? vmRenames(doc) : [] };
}

/** A chunked File whose first part is there goes up as its parts (HREF.000000000, … up to the first absent one). */
async function withChunkParts(listed: PackageFile[], doc: Descriptor): Promise<PlannedFile[]> {
  const chunked = new Set(doc.files.filter((f) => f.chunkSize && f.href).map((f) => f.href!.value));
  const planned: PlannedFile[] = [];
  for (const f of listed) {
    const member: PlannedFile = { role: f.role, name: f.name, path: f.path, packageDir: f.packageDir, declaredSize: f.declaredSize };
    const parts = f.role === 'file' && chunked.has(f.name) ? await partsOf(f) : [];
    planned.push(...(parts.length ? parts : [member]));
  }
  return planned;
}

async function partsOf(f: PackageFile): Promise<PlannedFile[]> {
  const parts: PlannedFile[] = [];
  for (let i = 0; i < MAX_CHUNK_PARTS; i++) {
    const name = chunkPartName(f.name, i);
    const partPath = chunkPartName(f.path, i);
    // Parts that lead outside the package or are not regular files end the list; the rules report them.
    if ((await checkPackageFile(f.packageDir, partPath)).status !== 'file') break;
    parts.push({ role: 'file', name, path: partPath, packageDir: f.packageDir, partOf: f.name });
  }
  return parts;
}

function vmRenames(doc: Descriptor): VmRename[] {
  const ids = doc.virtualSystems.map((vs) => vs.id?.value ?? '');
  const names = vcloudVmNames(ids);
  return ids.map((id, i) => ({ id, name: names[i] })).filter((r) => r.id !== r.name);
}

/** Opens the file as an upload will (non-blocking, so a FIFO cannot hang it) and reads a byte. */
async function whyUnreadable(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!(await handle.stat()).isFile()) return undefined; // package/missing-file reports folders and special files
    await handle.read(Buffer.alloc(1), 0, 1, 0);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A missing referenced file is a finding already (package/missing-file).
    if (code === 'ENOENT') return undefined;
    return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
  } finally {
    await handle?.close();
  }
}

/** The readiness alone (validation for the target, every file opened for reading). */
export async function assessUploadReadiness(descriptorPath: string, target: UploadTarget, settings?: Partial<ValidationSettings>): Promise<UploadReadiness> {
  return (await planUpload(descriptorPath, target, { settings })).readiness;
}

