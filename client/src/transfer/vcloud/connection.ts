// A logged-in vCloud API session: version negotiation, login (cloudapi bearer token, falling back
// to the legacy /api/sessions), authenticated requests, and the organisation's catalogs and VDCs.
// Credentials go only to the origin of the URL the user gave (or hosts the user allowed): a link
// from the server to anywhere else is refused before anything is sent.
import { Readable } from 'node:stream';
import { printable } from '../common/sanitise';
import { VcloudAuthError, VcloudHttpError, VcloudOriginError, VcloudUsageError } from './errors';
import { HttpClient, HttpResponse } from './httpClient';
import { NamedRef, readOrg, readOrgList, readServerError, readSessionOrgHref, readVersions, VersionInfo } from './responses';
import { readCaFile } from '../common/trust';

/** The newest API version this client knows it speaks; newer ones offered by the server are not picked. */
export const MAX_API_VERSION = '39.0';
/** From this version on, VCD logs in through cloudapi (VCD 10.0). */
const CLOUDAPI_MIN_VERSION = '33.0';
// Catalogs take template uploads from vCloud 5.5 on; before that a template goes to a VDC.
const CATALOG_UPLOAD_MIN_VERSION = '5.5';

export interface Credentials {
  url: string;
  org: string;
  user: string;
  /** The user's password, or: */
  password?: string;
  /** A vCloud API token (VCD 10.3.1 and later), exchanged for a bearer token at /oauth. */
  apiToken?: string;
}

export interface ConnectOptions extends Credentials {
  /** A PEM file of a CA to trust besides Node's roots (--ca, ovfkit.vcloud.caFile). */
  caFile?: string;
  signal?: AbortSignal;
  /** Called after every request with a line safe to log (method, URL, status; never headers). */
  onRequest?: (line: string) => void;
  socketTimeoutMs?: number;
  /** Host names (or host:port) besides the URL's own that may receive the credentials (a transfer service on another name). */
  allowedHosts?: string[];
  /** Cap of one API answer in bytes (default 8 MiB). */
  maxResponseBytes?: number;
  /** Overall deadline of one request in milliseconds (default 300 s). */
  requestTimeoutMs?: number;
}

/**
 * Throws VcloudOriginError unless `url` is on the origin of `baseUrl` or on an allowed host.
 * `what` says where the link came from, for the message.
 */
export function assertMaySendCredentials(url: string, baseUrl: string, allowedHosts: string[] | undefined, what: string): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new VcloudUsageError(`${what} is not a URL: '${printable(url)}'`);
  }
  const home = new URL(baseUrl);
  if (target.origin === home.origin) return;
  const allowed = (allowedHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean);
  const host = target.hostname.toLowerCase();
  if (target.protocol === 'https:' && (allowed.includes(host) || allowed.includes(target.host.toLowerCase()))) return;
  const origin = printable(target.origin);
  throw new VcloudOriginError(
    origin,
    `refusing to send the credentials for ${home.origin} to ${origin} (${what}): it is not the endpoint given. ` +
      `If this vCloud really serves it from that host, allow it: --allow-host ${printable(target.hostname)} (CLI) or the setting ovfkit.vcloud.allowedHosts (VS Code)`,
  );
}

/** `https://host/` or `https://host/api` both name the same endpoint. */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/api$/, '');
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest version both sides speak, preferring versions the server does not mark deprecated. */
export function pickApiVersion(offered: VersionInfo[]): VersionInfo | undefined {
  const usable = offered.filter((v) => /^\d+(\.\d+)*$/.test(v.version) && compareVersions(v.version, MAX_API_VERSION) <= 0);
  const newestFirst = (list: VersionInfo[]) => [...list].sort((x, y) => compareVersions(y.version, x.version));
  return newestFirst(usable.filter((v) => !v.deprecated))[0] ?? newestFirst(usable)[0];
}

export class VcloudConnection {
  private constructor(
    readonly baseUrl: string,
    readonly apiVersion: string,
    readonly loginMethod: 'cloudapi' | 'legacy',
    readonly orgHref: string,
    private readonly http: HttpClient,
    private authHeader: Record<string, string>,
    private readonly onRequest: ((line: string) => void) | undefined,
    /** Kept to log in again when the session expires during a long upload. */
    private readonly credentials: ConnectOptions,
  ) {}

  static async login(options: ConnectOptions): Promise<VcloudConnection> {
    const baseUrl = normaliseBaseUrl(options.url);
    const trustedCa = await readCaFile(options.caFile, (message) => new VcloudUsageError(message));
    const http = new HttpClient({ trustedCa, socketTimeoutMs: options.socketTimeoutMs, maxResponseBytes: options.maxResponseBytes, requestTimeoutMs: options.requestTimeoutMs });
    const log = (method: string, url: string, res: HttpResponse) => options.onRequest?.(`${method} ${printable(url)} -> ${res.status}`);
    try {
      const versionsUrl = `${baseUrl}/api/versions`;
      const versionsRes = await http.request({ method: 'GET', url: versionsUrl, headers: { Accept: 'application/*+xml' }, signal: options.signal });
      log('GET', versionsUrl, versionsRes);
      if (versionsRes.status !== 200) throw httpError('GET', versionsUrl, versionsRes);
      const picked = pickApiVersion(readVersions(versionsRes.text));
      if (!picked) throw new VcloudUsageError(`${baseUrl} offers no API version this client speaks (up to ${MAX_API_VERSION})`);
      const version = picked.version;
      const who = options.user ? `'${options.user}@${options.org}'` : `organisation '${options.org}'`;
      const cloudapi = compareVersions(version, CLOUDAPI_MIN_VERSION) >= 0;
      const system = options.org.toLowerCase() === 'system';

      if (options.apiToken) {
        if (!cloudapi) throw new VcloudUsageError(`${baseUrl} speaks API ${version} at most; API tokens need vCloud 10.3 or later: log in with a password`);
        const url = `${baseUrl}/oauth/${system ? 'provider' : `tenant/${encodeURIComponent(options.org)}`}/token`;
        const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: options.apiToken }).toString();
        const res = await http.request({ method: 'POST', url, headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, body, signal: options.signal });
        log('POST', url, res);
        if (res.status === 400 || res.status === 401 || res.status === 403) throw authError(`the API token of ${who}`, baseUrl, res);
        if (res.status !== 200) throw httpError('POST', url, res);
        const accessToken = readAccessToken(res.text);
        if (!accessToken) throw new VcloudAuthError(`${baseUrl} answered the API token exchange without an access_token`);
        const auth = { Authorization: `Bearer ${accessToken}` };
        const orgHref = await findOrgHref(http, baseUrl, version, auth, options, undefined);
        return new VcloudConnection(baseUrl, version, 'cloudapi', orgHref, http, auth, options.onRequest, options);
      }

      const basic = 'Basic ' + Buffer.from(`${options.user}@${options.org}:${options.password ?? ''}`).toString('base64');
      if (cloudapi) {
        const path = system ? 'sessions/provider' : 'sessions';
        const url = `${baseUrl}/cloudapi/1.0.0/${path}`;
        const res = await http.request({ method: 'POST', url, headers: { Accept: `application/json;version=${version}`, Authorization: basic }, signal: options.signal });
        log('POST', url, res);
        const token = header(res, 'x-vmware-vcloud-access-token');
        if (res.status === 200 && token) {
          const auth = { Authorization: `Bearer ${token}` };
          const orgHref = await findOrgHref(http, baseUrl, version, auth, options, undefined);
          return new VcloudConnection(baseUrl, version, 'cloudapi', orgHref, http, auth, options.onRequest, options);
        }
        if (res.status === 401 || res.status === 403) throw authError(`the login of ${who}`, baseUrl, res);
        // 404/405: a server without cloudapi (or behind a proxy that hides it) still has /api/sessions.
        if (res.status !== 404 && res.status !== 405) throw httpError('POST', url, res);
      }

      const url = picked.loginUrl ?? `${baseUrl}/api/sessions`;
      assertMaySendCredentials(url, baseUrl, options.allowedHosts, `the LoginUrl of API ${version} in /api/versions`);
      const res = await http.request({ method: 'POST', url, headers: { Accept: `application/*+xml;version=${version}`, Authorization: basic }, signal: options.signal });
      log('POST', url, res);
      if (res.status === 401 || res.status === 403) throw authError(`the login of ${who}`, baseUrl, res);
      const token = header(res, 'x-vcloud-authorization');
      if (res.status !== 200 || !token) throw httpError('POST', url, res);
      const auth = { 'x-vcloud-authorization': token };
      const orgHref = await findOrgHref(http, baseUrl, version, auth, options, readSessionOrgHref(res.text));
      return new VcloudConnection(baseUrl, version, 'legacy', orgHref, http, auth, options.onRequest, options);
    } catch (err) {
      http.close();
      throw err;
    }
  }

  /** Value headers for an authenticated request; exposed so a streamed PUT can carry them too. */
  headers(extra: Record<string, string | number> = {}): Record<string, string | number> {
    return { Accept: `application/*+xml;version=${this.apiVersion}`, ...this.authHeader, ...extra };
  }

  /**
   * An authenticated request; non-2xx answers become VcloudHttpError with the server's message.
   * A 401 (the session expired during a long upload) logs in again and repeats the request once,
   * unless the body is a stream that cannot be sent twice: then the caller gets the 401.
   */
  async request(method: string, url: string, options: { body?: string | Buffer | Readable; headers?: Record<string, string | number>; signal?: AbortSignal; okStatuses?: number[] } = {}): Promise<HttpResponse> {
    assertMaySendCredentials(url, this.baseUrl, this.credentials.allowedHosts, `${method} ${printable(url)}`);
    let res = await this.http.request({ method, url, headers: this.headers(options.headers), body: options.body, signal: options.signal });
    this.onRequest?.(`${method} ${printable(url)} -> ${res.status}`);
    if (res.status === 401 && !(options.body instanceof Readable)) {
      await this.relogin(options.signal);
      res = await this.http.request({ method, url, headers: this.headers(options.headers), body: options.body, signal: options.signal });
      this.onRequest?.(`${method} ${printable(url)} -> ${res.status}`);
    }
    const ok = options.okStatuses ? options.okStatuses.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!ok) throw httpError(method, url, res);
    return res;
  }

  /**
   * Logs in again with the same credentials and uses the new session from now on. Files sent in
   * parallel that meet the expiry together share one new login: one session token for the upload.
   */
  relogin(signal?: AbortSignal): Promise<void> {
    this.reloginInFlight ??= (async () => {
      try {
        this.onRequest?.('the session was refused (401); logging in again');
        const fresh = await VcloudConnection.login({ ...this.credentials, signal: signal ?? this.credentials.signal });
        this.authHeader = fresh.authHeader;
        fresh.http.close();
      } finally {
        this.reloginInFlight = undefined;
      }
    })();
    return this.reloginInFlight;
  }
  private reloginInFlight: Promise<void> | undefined;

  async get(url: string, signal?: AbortSignal): Promise<string> {
    return (await this.request('GET', url, { signal })).text;
  }

  /** Where this server takes a new template: its catalogs from vCloud 5.5 on (the catalog
   *  upload form), else, or when the user sees no catalog, its VDCs (the older uploadVAppTemplate). */
  async listUploadTargets(signal?: AbortSignal): Promise<{ catalogs: NamedRef[]; vdcs: NamedRef[] }> {
    const org = readOrg(await this.get(this.orgHref, signal));
    const catalogs = compareVersions(this.apiVersion, CATALOG_UPLOAD_MIN_VERSION) >= 0 ? org.catalogs : [];
    return { catalogs, vdcs: catalogs.length ? [] : org.vdcs };
  }

  /** Ends the session on the server (best effort) and closes the sockets. */
  async logout(): Promise<void> {
    try {
      const url = this.loginMethod === 'cloudapi' ? `${this.baseUrl}/cloudapi/1.0.0/sessions/current` : `${this.baseUrl}/api/session`;
      await this.http.request({ method: 'DELETE', url, headers: this.headers(), signal: AbortSignal.timeout(5000) });
    } catch {
      // The session expires by itself; failing to end it early is not worth an error.
    } finally {
      this.http.close();
    }
  }
}

async function findOrgHref(http: HttpClient, baseUrl: string, version: string, auth: Record<string, string>, options: ConnectOptions, fromSession: string | undefined): Promise<string> {
  if (fromSession) return fromSession;
  const url = `${baseUrl}/api/org/`;
  const res = await http.request({ method: 'GET', url, headers: { Accept: `application/*+xml;version=${version}`, ...auth }, signal: options.signal });
  options.onRequest?.(`GET ${url} -> ${res.status}`);
  if (res.status !== 200) throw httpError('GET', url, res);
  const orgs = readOrgList(res.text);
  const org = orgs.find((o) => o.name.toLowerCase() === options.org.toLowerCase());
  if (!org) throw new VcloudUsageError(`organisation '${options.org}' is not visible to this user (visible: ${orgs.map((o) => o.name).join(', ') || 'none'})`);
  return org.href;
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function httpError(method: string, url: string, res: HttpResponse): VcloudHttpError {
  const body = readServerError(res.text) ?? readJsonError(res.text);
  return new VcloudHttpError(method, url, res.status, body?.message, body?.majorErrorCode, body?.minorErrorCode);
}

function readJsonError(text: string): { message: string; majorErrorCode?: string; minorErrorCode?: string } | undefined {
  try {
    const j = JSON.parse(text) as { message?: unknown; majorErrorCode?: unknown; minorErrorCode?: unknown };
    return typeof j.message === 'string' ? { message: j.message, majorErrorCode: String(j.majorErrorCode ?? ''), minorErrorCode: String(j.minorErrorCode ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

function authError(what: string, baseUrl: string, res: HttpResponse): VcloudAuthError {
  const body = readServerError(res.text) ?? readJsonError(res.text) ?? readOauthError(res.text);
  const check = what.startsWith('the API token') ? 'organisation and API token' : 'organisation, user and password';
  return new VcloudAuthError(`${baseUrl} refused ${what} (${res.status})${body?.message ? `: ${body.message}` : ''}. Check the ${check}.`);
}

function readAccessToken(text: string): string | undefined {
  try {
    const j = JSON.parse(text) as { access_token?: unknown };
    return typeof j.access_token === 'string' && j.access_token ? j.access_token : undefined;
  } catch {
    return undefined;
  }
}

/** OAuth errors: `{"error": "invalid_grant", "error_description": "..."}`. */
function readOauthError(text: string): { message: string } | undefined {
  try {
    const j = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    return typeof j.error === 'string' ? { message: typeof j.error_description === 'string' ? `${j.error}: ${j.error_description}` : j.error } : undefined;
  } catch {
    return undefined;
  }
}
