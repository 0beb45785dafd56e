// The CloudControl (CaaS 2.x) API client for Client Images: data centres and their hypervisor
// limits, import of a staged package, export to the staging area, and bounded waits for both.
// Calls and shapes: docs PROTOCOLS.md §3a.
import { CloudControlError } from './errors';
import { DEFAULT_REQUEST_TIMEOUT_MS, JsonHttp } from './http';
import { readCaFile } from '../common/trust';
import { PollInterval, pollUntilDone } from './poll';
import {
  CustomerImage,
  Datacenter,
  ImageExport,
  infoValue,
  Page,
  pageOf,
  readCustomerImage,
  readDatacenter,
  readExportInProgress,
  readExportRecord,
  readOrgId,
  readStagedPackage,
  StagedPackage,
} from './responses';

export interface CloudControlEndpoint {
  /** host or host:port */
  apiHost: string;
  /** 2.4 to 2.11; default 2.10. */
  apiVersion?: string;
  user: string;
  password: string;
  /** A PEM file of a CA to trust besides Node's roots. */
  caFile?: string;
  signal?: AbortSignal;
  requestTimeoutMs?: number;
  /** Largest answer read (default 4 MiB). */
  maxAnswerBytes?: number;
}

export const DEFAULT_API_VERSION = '2.10';
/** Like the vendor's Ansible modules (image_import.py): poll every 15 s, give up after an hour. */
export const DEFAULT_POLL_MS = 15_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 3_600_000;
/** A hostile server announcing endless pages cannot keep the client listing. */
const MAX_PAGES = 200;
const PAGE_SIZE = 250;

export interface WaitOptions<T> {
  timeoutMs: number;
  /** Default DEFAULT_POLL_MS. */
  pollMs?: PollInterval;
  signal?: AbortSignal;
  onProgress?: (value: T) => void;
}

export function checkApiVersion(version: string): string {
  const m = /^2\.(\d{1,2})$/.exec(version.trim());
  if (!m || Number(m[1]) < 4 || Number(m[1]) > 11) throw new CloudControlError('usage', `API version '${version}' is not supported: give 2.4 to 2.11 (default ${DEFAULT_API_VERSION})`);
  return `2.${Number(m[1])}`;
}

export function checkApiHost(host: string): string {
  const h = host.trim().replace(/^https:\/\//i, '').replace(/\/$/, '');
  let url: URL | undefined;
  try {
    url = new URL(`https://${h}`);
  } catch {
    url = undefined;
  }
  if (!url || h === '' || url.pathname !== '/' || url.username || url.password || url.search || /^[a-z]+:\/\//i.test(h)) {
    throw new CloudControlError('usage', `the API host must be a host name or host:port (TLS is always used), not '${host}'`);
  }
  return url.host;
}

/** Failed states have no common name in the sources; anything neither NORMAL nor pending is one. */
function isPending(state: string): boolean {
  return state.startsWith('PENDING_');
}

export class CloudControlClient {
  private constructor(
    private readonly http: JsonHttp,
    private readonly base: string,
    readonly orgId: string,
    readonly apiHost: string,
    readonly apiVersion: string,
    private readonly signal?: AbortSignal,
  ) {}

  /** Checks the endpoint, logs in and resolves the org id (`GET user/myUser`). */
  static async connect(endpoint: CloudControlEndpoint): Promise<CloudControlClient> {
    const apiVersion = checkApiVersion(endpoint.apiVersion ?? DEFAULT_API_VERSION);
    const apiHost = checkApiHost(endpoint.apiHost);
    if (!endpoint.user) throw new CloudControlError('usage', 'no user name given');
    const trustedCa = await readCaFile(endpoint.caFile, (message) => new CloudControlError('usage', message));
    const http = new JsonHttp({ apiHost, user: endpoint.user, password: endpoint.password, trustedCa, requestTimeoutMs: endpoint.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, maxAnswerBytes: endpoint.maxAnswerBytes });
    try {
      const orgId = readOrgId(await http.send('GET', `caas/${apiVersion}/user/myUser`, undefined, endpoint.signal));
      return new CloudControlClient(http, `caas/${apiVersion}/${orgId}`, orgId, apiHost, apiVersion, endpoint.signal);
    } catch (err) {
      http.close();
      throw err;
    }
  }

  close(): void {
    this.http.close();
  }

  private get(path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<unknown> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
    const qs = q.toString();
    return this.http.send('GET', `${this.base}/${path}${qs ? `?${qs}` : ''}`, undefined, signal ?? this.signal);
  }

  private post(path: string, body: unknown): Promise<unknown> {
    return this.http.send('POST', `${this.base}/${path}`, body, this.signal);
  }

  private async allPages<T>(path: string, key: string, query: Record<string, string | undefined>, read: (o: unknown) => T): Promise<T[]> {
    const all: T[] = [];
    for (let n = 1; n <= MAX_PAGES; n++) {
      const page: Page<T> = pageOf(await this.get(path, { ...query, pageNumber: String(n), pageSize: String(PAGE_SIZE) }), key, path, read);
      all.push(...page.items);
      if (page.pageNumber >= page.pageCount || page.items.length === 0) return all;
    }
    throw new CloudControlError('protocol', `${path}: more than ${MAX_PAGES} pages; ovfkit stopped listing`);
  }

  listDatacenters(): Promise<Datacenter[]> {
    return this.allPages('infrastructure/datacenter', 'datacenter', {}, readDatacenter);
  }

  async getDatacenter(id: string): Promise<Datacenter> {
    const found = pageOf(await this.get('infrastructure/datacenter', { id }), 'datacenter', 'infrastructure/datacenter', readDatacenter).items.find((d) => d.id === id);
    if (!found) throw new CloudControlError('not-found', `data centre ${id} not found (it is not one of this organization's)`);
    return found;
  }

  listCustomerImages(filter: { datacenterId?: string; name?: string } = {}): Promise<CustomerImage[]> {
    return this.allPages('image/customerImage', 'customerImage', filter, readCustomerImage);
  }

  async getCustomerImage(id: string, signal?: AbortSignal): Promise<CustomerImage> {
    return readCustomerImage(await this.get(`image/customerImage/${encodeURIComponent(id)}`, {}, signal));
  }

  listStagedPackages(): Promise<StagedPackage[]> {
    return this.allPages('image/ovfPackage', 'ovfPackage', {}, readStagedPackage);
  }

  async importImage(req: { ovfPackage: string; name: string; description?: string; datacenterId: string; guestOsCustomization: boolean }): Promise<{ imageId: string }> {
    const body: Record<string, unknown> = { ovfPackage: req.ovfPackage, name: req.name, datacenterId: req.datacenterId, guestOsCustomization: req.guestOsCustomization };
    if (req.description) body.description = req.description;
    return { imageId: infoValue(await this.post('image/importImage', body), 'imageId', 'image/importImage') };
  }

  /** Resolves when the image is NORMAL; a failed state throws 'import-failed' with the server's reason. */
  waitForImage(id: string, opts: WaitOptions<CustomerImage>): Promise<CustomerImage> {
    return pollUntilDone(
      async (signal) => {
        const image = await this.getCustomerImage(id, signal);
        opts.onProgress?.(image);
        if (image.state === 'NORMAL') return image;
        if (isPending(image.state)) return undefined;
        const reason = image.progress?.failureReason ?? image.failureReason;
        throw new CloudControlError('import-failed', `the import of ${image.name || id} failed: state ${image.state}${reason ? `: ${reason}` : ''}`, { responseCode: image.state, serverMessage: reason });
      },
      { awaited: `the import of image ${id}`, timeoutMs: opts.timeoutMs, pollMs: opts.pollMs ?? DEFAULT_POLL_MS, signal: opts.signal ?? this.signal },
    );
  }

  async cleanCustomerImage(id: string): Promise<void> {
    await this.post('image/cleanCustomerImage', { id });
  }

  async exportImage(req: { imageId: string; ovfPackagePrefix: string }): Promise<{ imageExportId: string }> {
    return { imageExportId: infoValue(await this.post('image/exportImage', { imageId: req.imageId, ovfPackagePrefix: req.ovfPackagePrefix }), 'imageExportId', 'image/exportImage') };
  }

  async listExportsInProgress(filter: { imageId?: string; ovfPackagePrefix?: string; imageExportId?: string } = {}, signal?: AbortSignal): Promise<ImageExport[]> {
    return pageOf(await this.get('image/exportInProgress', filter, signal), 'imageExportInProgress', 'image/exportInProgress', readExportInProgress).items;
  }

  async exportHistory(ovfPackagePrefix: string, signal?: AbortSignal): Promise<ImageExport[]> {
    const body = await this.get('image/exportHistory', { ovfPackagePrefix }, signal);
    // The list's key is not in the sources we have; both plausible spellings are read.
    const key = body && typeof body === 'object' && 'imageExportHistory' in body ? 'imageExportHistory' : 'imageExport';
    return pageOf(body, key, 'image/exportHistory', readExportRecord).items;
  }

  /** Resolves when the export is in the history as SUCCEEDED; FAILED throws 'export-failed'. */
  waitForExport(exportId: string, opts: WaitOptions<ImageExport> & { ovfPackagePrefix?: string }): Promise<ImageExport> {
    let prefix = opts.ovfPackagePrefix;
    return pollUntilDone(
      async (signal) => {
        const running = (await this.listExportsInProgress({ imageExportId: exportId }, signal)).find((e) => e.imageExportId === exportId);
        if (running) {
          prefix = running.ovfPackagePrefix || prefix;
          opts.onProgress?.(running);
          return undefined;
        }
        if (!prefix) throw new CloudControlError('not-found', `export ${exportId} is neither in progress nor known by its prefix`);
        const done = (await this.exportHistory(prefix, signal)).find((e) => e.imageExportId === exportId);
        if (!done) return undefined; // between the two lists: look again
        opts.onProgress?.(done);
        if (done.state === 'SUCCEEDED') return done;
        throw new CloudControlError('export-failed', `the export ${exportId} (${done.ovfPackagePrefix}) failed: state ${done.state}${done.failureReason ? `: ${done.failureReason}` : ''}`, { responseCode: done.state, serverMessage: done.failureReason });
      },
      { awaited: `the export ${exportId}`, timeoutMs: opts.timeoutMs, pollMs: opts.pollMs ?? DEFAULT_POLL_MS, signal: opts.signal ?? this.signal },
    );
  }
}
