// Readers for the vCloud API answers the upload needs. They take the response text, parse it with
// fast-xml-parser (via xmlTree) and return plain values; links are picked by rel and type, never
// by position, as the API guide asks.
import { child, childrenNamed, parseXml, XmlElement } from './xmlTree';

export const UPLOAD_PARAMS_TYPE = 'application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml';
const CATALOG_TYPE = 'application/vnd.vmware.vcloud.catalog+xml';
const VDC_TYPE = 'application/vnd.vmware.vcloud.vdc+xml';

export interface Link {
  rel: string;
  href: string;
  type?: string;
  name?: string;
}

export interface ServerErrorBody {
  message: string;
  majorErrorCode?: string;
  minorErrorCode?: string;
}

export interface VersionInfo {
  version: string;
  loginUrl?: string;
  deprecated: boolean;
}

export interface NamedRef {
  name: string;
  href: string;
}

export interface TemplateFile {
  name: string;
  /** -1 while the server does not know it yet. */
  size: number;
  bytesTransferred: number;
  uploadHref?: string;
}

export interface TaskView {
  href: string;
  status: string;
  operation?: string;
  operationName?: string;
  progress?: number;
  errorMessage?: string;
  cancelHref?: string;
}

export interface TemplateView {
  href: string;
  name: string;
  status: number;
  ovfDescriptorUploaded: boolean;
  files: TemplateFile[];
  tasks: TaskView[];
  vmNames: string[];
  /** The template's `remove` link (used to discard an upload that has no task to cancel yet). */
  removeHref?: string;
}

function parse(text: string, what: string): XmlElement {
  try {
    return parseXml(text);
  } catch (err) {
    throw new Error(`the server's ${what} is not XML: ${(err as Error).message}`);
  }
}

export function readLinks(e: XmlElement | undefined): Link[] {
  return childrenNamed(e, 'Link')
    .filter((l) => l.attrs.href)
    .map((l) => ({ rel: l.attrs.rel ?? '', href: l.attrs.href, type: l.attrs.type, name: l.attrs.name }));
}

/** The `<Error>` body of a failed request, or undefined when the body is something else. */
export function readServerError(text: string): ServerErrorBody | undefined {
  if (!text.includes('Error')) return undefined;
  try {
    const root = parseXml(text);
    if (root.name !== 'Error') return undefined;
    return { message: root.attrs.message ?? '', majorErrorCode: root.attrs.majorErrorCode, minorErrorCode: root.attrs.minorErrorCode };
  } catch {
    return undefined;
  }
}

export function readVersions(text: string): VersionInfo[] {
  const root = parse(text, 'version list');
  return childrenNamed(root, 'VersionInfo').map((v) => ({
    version: child(v, 'Version')?.text ?? '',
    loginUrl: child(v, 'LoginUrl')?.text || undefined,
    deprecated: v.attrs.deprecated === 'true',
  }));
}

export function readOrgList(text: string): NamedRef[] {
  const root = parse(text, 'organisation list');
  return childrenNamed(root, 'Org').map((o) => ({ name: o.attrs.name ?? '', href: o.attrs.href ?? '' }));
}

/** The org link of a legacy `Session` answer. */
export function readSessionOrgHref(text: string): string | undefined {
  return readLinks(parse(text, 'session')).find((l) => l.type === 'application/vnd.vmware.vcloud.org+xml')?.href;
}

export function readOrg(text: string): { name: string; catalogs: NamedRef[]; vdcs: NamedRef[] } {
  const root = parse(text, 'organisation');
  const links = readLinks(root).filter((l) => l.rel === 'down' && l.name !== undefined);
  const refs = (type: string) => links.filter((l) => l.type === type).map((l) => ({ name: l.name!, href: l.href }));
  return { name: root.attrs.name ?? '', catalogs: refs(CATALOG_TYPE), vdcs: refs(VDC_TYPE) };
}

/** The `add` link that takes UploadVAppTemplateParams, on a catalog (VCD >= 5.5) or a VDC. */
export function readUploadLink(text: string): string | undefined {
  return readLinks(parse(text, 'catalog or VDC')).find((l) => l.rel === 'add' && l.type === UPLOAD_PARAMS_TYPE)?.href;
}

/** The catalog form answers a CatalogItem whose Entity is the new template. */
export function readCatalogItemEntity(text: string): string | undefined {
  const root = parse(text, 'catalog item');
  return child(root, 'Entity')?.attrs.href;
}

export function readTask(e: XmlElement): TaskView {
  const error = child(e, 'Error');
  const progress = child(e, 'Progress')?.text;
  return {
    href: e.attrs.href ?? '',
    status: e.attrs.status ?? '',
    operation: e.attrs.operation,
    operationName: e.attrs.operationName,
    progress: progress !== undefined && progress !== '' ? Number(progress) : undefined,
    errorMessage: error?.attrs.message || child(e, 'Details')?.text || undefined,
    cancelHref: readLinks(e).find((l) => l.rel === 'task:cancel')?.href,
  };
}

export function readTaskText(text: string): TaskView {
  return readTask(parse(text, 'task'));
}

export function readTemplate(text: string): TemplateView {
  const root = parse(text, 'vApp template');
  if (root.name !== 'VAppTemplate') throw new Error(`expected a VAppTemplate from the server, got <${root.name}>`);
  const files = childrenNamed(child(root, 'Files'), 'File').map((f) => ({
    name: f.attrs.name ?? '',
    size: Number(f.attrs.size ?? -1),
    bytesTransferred: Number(f.attrs.bytesTransferred ?? 0),
    uploadHref: readLinks(f).find((l) => l.rel === 'upload:default')?.href,
  }));
  return {
    href: root.attrs.href ?? '',
    name: root.attrs.name ?? '',
    status: Number(root.attrs.status ?? 0),
    ovfDescriptorUploaded: root.attrs.ovfDescriptorUploaded === 'true',
    files,
    tasks: childrenNamed(child(root, 'Tasks'), 'Task').map(readTask),
    vmNames: childrenNamed(child(root, 'Children'), 'Vm').map((v) => v.attrs.name ?? ''),
    removeHref: readLinks(root).find((l) => l.rel === 'remove')?.href,
  };
}
