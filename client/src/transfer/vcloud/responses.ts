// Readers for the vCloud API answers the upload needs. They take the response text, parse it with
// the domain's strict XML reader (looked up by local name) and return plain values; links are picked by rel and type, never
// by position, as the API guide asks. Numbers are checked (a server's `bytesTransferred="abc"`
// is refused, not read as NaN), and names and messages meant for people are made printable.
import { printable } from '../common/sanitise';
import { VcloudProtocolError } from './errors';
import { attr, child, childrenNamed, parseXmlRoot, XmlElement } from '../../../../server/src/ovf';

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

/** Strict XML, but whitespace before the declaration is forgiven (as before: some answers start with a newline). */
function parseAnswer(text: string): XmlElement {
  return parseXmlRoot(text.trimStart());
}

function parse(text: string, what: string): XmlElement {
  try {
    return parseAnswer(text);
  } catch (err) {
    throw new VcloudProtocolError(`the server's ${what} is not XML: ${printable((err as Error).message)}`);
  }
}

export function readLinks(e: XmlElement | undefined): Link[] {
  return childrenNamed(e, 'Link').flatMap((l) => {
    const href = attr(l, 'href');
    return href ? [{ rel: attr(l, 'rel') ?? '', href, type: attr(l, 'type'), name: attr(l, 'name') }] : [];
  });
}

/** The `<Error>` body of a failed request, or undefined when the body is something else. */
export function readServerError(text: string): ServerErrorBody | undefined {
  if (!text.includes('Error')) return undefined;
  try {
    const root = parseAnswer(text);
    if (root.local !== 'Error') return undefined;
    return { message: printable(attr(root, 'message') ?? ''), majorErrorCode: attr(root, 'majorErrorCode'), minorErrorCode: attr(root, 'minorErrorCode') };
  } catch {
    return undefined;
  }
}

export function readVersions(text: string): VersionInfo[] {
  const root = parse(text, 'version list');
  return childrenNamed(root, 'VersionInfo').map((v) => ({
    version: child(v, 'Version')?.text ?? '',
    loginUrl: child(v, 'LoginUrl')?.text || undefined,
    deprecated: attr(v, 'deprecated') === 'true',
  }));
}

export function readOrgList(text: string): NamedRef[] {
  const root = parse(text, 'organisation list');
  return childrenNamed(root, 'Org').map((o) => ({ name: printable(attr(o, 'name') ?? ''), href: attr(o, 'href') ?? '' }));
}

/** The org link of a legacy `Session` answer. */
export function readSessionOrgHref(text: string): string | undefined {
  return readLinks(parse(text, 'session')).find((l) => l.type === 'application/vnd.vmware.vcloud.org+xml')?.href;
}

export function readOrg(text: string): { name: string; catalogs: NamedRef[]; vdcs: NamedRef[] } {
  const root = parse(text, 'organisation');
  const links = readLinks(root).filter((l) => l.rel === 'down' && l.name !== undefined);
  const refs = (type: string) => links.filter((l) => l.type === type).map((l) => ({ name: printable(l.name!), href: l.href }));
  return { name: printable(attr(root, 'name') ?? ''), catalogs: refs(CATALOG_TYPE), vdcs: refs(VDC_TYPE) };
}

/** The `add` link that takes UploadVAppTemplateParams, on a catalog (VCD >= 5.5) or a VDC. */
export function readUploadLink(text: string): string | undefined {
  return readLinks(parse(text, 'catalog or VDC')).find((l) => l.rel === 'add' && l.type === UPLOAD_PARAMS_TYPE)?.href;
}

/** The catalog form answers a CatalogItem whose Entity is the new template. */
export function readCatalogItemEntity(text: string): string | undefined {
  const root = parse(text, 'catalog item');
  return attr(child(root, 'Entity'), 'href');
}

export function readTask(e: XmlElement): TaskView {
  const error = child(e, 'Error');
  const progress = child(e, 'Progress')?.text;
  const shown = (text: string | undefined) => (text === undefined ? undefined : printable(text));
  return {
    href: attr(e, 'href') ?? '',
    status: attr(e, 'status') ?? '',
    operation: shown(attr(e, 'operation')),
    operationName: shown(attr(e, 'operationName')),
    progress: progress !== undefined && progress !== '' ? wholeNumber(progress, 'the task\'s Progress', { min: 0, max: 100 }) : undefined,
    errorMessage: shown(attr(error, 'message') || child(e, 'Details')?.text || undefined),
    cancelHref: readLinks(e).find((l) => l.rel === 'task:cancel')?.href,
  };
}

export function readTaskText(text: string): TaskView {
  return readTask(parse(text, 'task'));
}

export function readTemplate(text: string): TemplateView {
  const root = parse(text, 'vApp template');
  if (root.local !== 'VAppTemplate') throw new VcloudProtocolError(`expected a VAppTemplate from the server, got <${printable(root.local)}>`);
  const files = childrenNamed(child(root, 'Files'), 'File').map((f) => {
    const name = attr(f, 'name') ?? '';
    const what = (attr: string) => `${attr} of File '${printable(name)}'`;
    const sizeText = attr(f, 'size');
    const transferredText = attr(f, 'bytesTransferred');
    const size = sizeText === undefined ? -1 : wholeNumber(sizeText, what('size'), { min: -1 });
    const bytesTransferred = transferredText === undefined ? 0 : wholeNumber(transferredText, what('bytesTransferred'), { min: 0 });
    if (size >= 0 && bytesTransferred > size) {
      throw new VcloudProtocolError(`the server's vApp template says File '${printable(name)}' has bytesTransferred="${bytesTransferred}", more than its size ${size}`);
    }
    return { name, size, bytesTransferred, uploadHref: readLinks(f).find((l) => l.rel === 'upload:default')?.href };
  });
  const statusText = attr(root, 'status');
  return {
    href: attr(root, 'href') ?? '',
    name: printable(attr(root, 'name') ?? ''),
    status: statusText === undefined ? 0 : wholeNumber(statusText, 'the template\'s status', { min: -1 }),
    ovfDescriptorUploaded: attr(root, 'ovfDescriptorUploaded') === 'true',
    files,
    tasks: childrenNamed(child(root, 'Tasks'), 'Task').map(readTask),
    vmNames: childrenNamed(child(root, 'Children'), 'Vm').map((v) => printable(attr(v, 'name') ?? '')),
    removeHref: readLinks(root).find((l) => l.rel === 'remove')?.href,
  };
}

/**
 * A whole number the server sent as text, within [min, max] and a safe integer; anything else
 * (`abc`, `-5`, `1.5`, `1e3`, `9007199254740993`) is refused with the value and what it was.
 */
export function wholeNumber(text: string, what: string, range: { min: number; max?: number }): number {
  const trimmed = text.trim();
  const n = /^-?\d{1,16}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || (range.max !== undefined && n > range.max)) {
    const bounds = range.max !== undefined ? `from ${range.min} to ${range.max}` : range.min === 0 ? '0 or more' : `${range.min} or more`;
    throw new VcloudProtocolError(`the server sent ${what} "${printable(text.slice(0, 40))}", which is not a whole number ${bounds}`);
  }
  return n;
}
