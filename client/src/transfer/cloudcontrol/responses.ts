// Reads the CaaS API's JSON answers (field names from go-dd-cloud-compute and the vendor's Ansible
// collection, docs PROTOCOLS.md §3a) into the client's types. Nothing from the server is trusted:
// a missing required field is a protocol error naming it, every string is made printable.
import { CloudControlError } from './errors';
import { isObject, ResponseObject, serverText } from './http';

export interface DatacenterLimits {
  minDiskGb?: number;
  maxDiskGb?: number;
  maxCpuCount?: number;
  minMemoryMb?: number;
  maxMemoryMb?: number;
}

export interface Datacenter {
  id: string;
  displayName: string;
  city: string;
  country: string;
  ftpsHost: string;
  limits: DatacenterLimits;
}

export interface ImageProgress {
  action?: string;
  stepName?: string;
  stepNumber?: number;
  percentComplete?: number;
  /** Why the operation failed, when the server says (not documented; read when present). */
  failureReason?: string;
}

export interface CustomerImage {
  id: string;
  name: string;
  datacenterId: string;
  state: string;
  description?: string;
  createTime?: string;
  progress?: ImageProgress;
  osDisplayName?: string;
  /** Why the image is in a failed state, when the answer says. */
  failureReason?: string;
}

export interface ImageExport {
  imageExportId: string;
  ovfPackagePrefix: string;
  imageId?: string;
  imageName?: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | string;
  progress?: ImageProgress;
  failureReason?: string;
  startTime?: string;
  endTime?: string;
}

export interface StagedPackage {
  /** NAME.mf, the manifest's name in the staging folder. */
  name: string;
  /** The other files of the package as the server lists them. */
  files?: string[];
}

export interface Page<T> {
  items: T[];
  pageNumber: number;
  pageCount: number;
}

function protocol(what: string, detail: string): CloudControlError {
  return new CloudControlError('protocol', `${what}: ${detail}`);
}

function text(o: Record<string, unknown>, key: string): string | undefined {
  return serverText(o[key]);
}

function required(o: Record<string, unknown>, key: string, what: string): string {
  const v = text(o, key);
  if (v === undefined || v === '') throw protocol(what, `the answer has no '${key}'`);
  return v;
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function listOf(body: unknown, key: string, what: string): unknown[] {
  if (!isObject(body)) throw protocol(what, 'the answer is not a JSON object');
  const v = body[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw protocol(what, `'${key}' is not a list`);
  return v;
}

export function pageOf<T>(body: unknown, key: string, what: string, read: (o: unknown) => T): Page<T> {
  const items = listOf(body, key, what).map(read);
  const o = body as Record<string, unknown>;
  return { items, pageNumber: numberOf(o.pageNumber) ?? 1, pageCount: numberOf(o.pageCount) ?? 1 };
}

export function readDatacenter(value: unknown): Datacenter {
  const what = 'data centre';
  if (!isObject(value)) throw protocol(what, 'an entry is not a JSON object');
  const props = new Map<string, number | undefined>();
  const hypervisor = value.hypervisor;
  const properties = isObject(hypervisor) && Array.isArray(hypervisor.property) ? hypervisor.property : [];
  for (const p of properties) if (isObject(p) && typeof p.name === 'string') props.set(p.name, numberOf(p.value));
  return {
    id: required(value, 'id', what),
    displayName: text(value, 'displayName') ?? '',
    city: text(value, 'city') ?? '',
    country: text(value, 'country') ?? '',
    ftpsHost: text(value, 'ftpsHost') ?? '',
    limits: {
      minDiskGb: props.get('MIN_DISK_SIZE_GB'),
      maxDiskGb: props.get('MAX_DISK_SIZE_GB'),
      maxCpuCount: props.get('MAX_CPU_COUNT'),
      minMemoryMb: props.get('MIN_MEMORY_MB'),
      maxMemoryMb: props.get('MAX_MEMORY_MB'),
    },
  };
}

export function readProgress(value: unknown): ImageProgress | undefined {
  if (!isObject(value)) return undefined;
  const step = isObject(value.step) ? value.step : {};
  return {
    action: text(value, 'action'),
    stepName: text(step, 'name'),
    stepNumber: numberOf(step.number),
    percentComplete: numberOf(step.percentComplete),
    failureReason: text(value, 'failureReason'),
  };
}

export function readCustomerImage(value: unknown): CustomerImage {
  const what = 'client image';
  if (!isObject(value)) throw protocol(what, 'the answer is not a JSON object');
  const guest = isObject(value.guest) ? value.guest : {};
  const os = isObject(guest.operatingSystem) ? guest.operatingSystem : {};
  return {
    id: required(value, 'id', what),
    name: text(value, 'name') ?? '',
    datacenterId: text(value, 'datacenterId') ?? '',
    state: required(value, 'state', what),
    description: text(value, 'description'),
    createTime: text(value, 'createTime'),
    progress: readProgress(value.progress),
    osDisplayName: text(os, 'displayName'),
    failureReason: text(value, 'failureReason'),
  };
}

function readExport(value: unknown, state: string | undefined, what: string): ImageExport {
  if (!isObject(value)) throw protocol(what, 'an entry is not a JSON object');
  const summary = isObject(value.imageSummary) ? value.imageSummary : isObject(value.image) ? value.image : {};
  return {
    imageExportId: required(value, 'imageExportId', what),
    ovfPackagePrefix: text(value, 'ovfPackagePrefix') ?? '',
    imageId: text(summary, 'id') ?? text(value, 'imageId'),
    imageName: text(summary, 'name') ?? text(value, 'imageName'),
    state: state ?? required(value, 'state', what),
    progress: readProgress(value.progress),
    failureReason: text(value, 'failureReason'),
    startTime: text(value, 'startTime'),
    endTime: text(value, 'endTime'),
  };
}

export function readExportInProgress(value: unknown): ImageExport {
  return readExport(value, 'IN_PROGRESS', 'export in progress');
}

export function readExportRecord(value: unknown): ImageExport {
  return readExport(value, undefined, 'export history');
}

export function readStagedPackage(value: unknown): StagedPackage {
  if (!isObject(value)) throw protocol('staged package', 'an entry is not a JSON object');
  const files = Array.isArray(value.file) ? value.file.map((f) => (isObject(f) ? text(f, 'name') : serverText(f))).filter((f): f is string => !!f) : undefined;
  return { name: required(value, 'name', 'staged package'), files };
}

/** The value of `info[name=key]` in a response object (how async calls return new ids). */
export function infoValue(body: unknown, key: string, what: string): string {
  const r = (isObject(body) ? body : {}) as ResponseObject;
  const found = Array.isArray(r.info) ? r.info.find((i) => isObject(i) && i.name === key) : undefined;
  const value = found ? serverText(found.value) : undefined;
  if (!value) throw protocol(what, `the answer (${serverText(r.responseCode) ?? 'no responseCode'}) has no info '${key}'`);
  return value;
}

/** The org id of a `user/myUser` answer. */
export function readOrgId(body: unknown): string {
  const org = isObject(body) && isObject(body.organization) ? body.organization : undefined;
  const id = org ? text(org, 'id') : undefined;
  if (!id) throw protocol('user/myUser', "the answer has no 'organization.id'");
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw protocol('user/myUser', `the organization id '${id}' is not an id`);
  return id;
}
