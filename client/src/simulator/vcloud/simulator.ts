// A vCloud Director transfer-service simulator: HTTPS on 127.0.0.1 with a certificate from the
// test CA. It implements what the upload workflow needs (versions, cloudapi and legacy sessions,
// org/catalog/VDC listing, the upload request, the template with its Files and upload links, ranged
// PUTs that must arrive in order, the import task and status 8) and the vCloud descriptor rules.
// Faults (a cut connection, a transient status) can be injected for tests.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { attr, child, parseXmlRoot } from '../../../../server/src/ovf';
import { createTestPki, TestPki } from '../testPki';
import { judgeDescriptor } from './descriptorRules';
import { paceForConnection } from './ratePacer';
import { checkManifest } from './manifestCheck';
import { fileComplete, newId, newTask, SimCatalog, SimFile, SimNamed, SimTemplate } from './model';
import * as views from './xmlViews';

export interface VcloudSimulatorOptions {
  host?: string;
  port?: number;
  org?: string;
  user?: string;
  /** Default: a random one, printed by main.ts. */
  password?: string;
  /** The user's API token (exchanged at /oauth/tenant/ORG/token); default a random one. */
  apiToken?: string;
  catalogs?: string[];
  vdcs?: string[];
  /** Where uploaded files are kept; default a new folder under the OS temp dir (removed on close). */
  storageDir?: string;
  /** Behave like a vCloud before 5.5: API 1.5/5.1 only, no cloudapi, catalogs without an upload link. */
  legacy?: boolean;
  /** How long the server "reads" a descriptor before the file links appear. */
  descriptorProcessingMs?: number;
  /** How long the import task runs after the last byte arrived. */
  importProcessingMs?: number;
  pki?: TestPki;
  /** Host name the upload links use instead of the API's (e.g. `localhost`), as installs with a separate transfer host do. */
  transferHost?: string;
  /** Most bytes per second received on one TCP connection (request bodies), like a long link; unset: no cap. */
  ratePerConnection?: number;
}

export type SimFault =
  /** Break the connection when a PUT to `file` reaches byte `atOffset` (bytes before it are kept). */
  | { kind: 'cut'; file: string; atOffset: number }
  /** Answer the next `count` PUTs to `file` with `status` before reading them. */
  | { kind: 'status'; file: string; status: number; count: number };

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  contentRange?: string;
}

const MODERN_VERSIONS = ['5.5', '29.0', '30.0', '31.0', '32.0', '33.0', '34.0', '35.0', '36.0', '37.0', '38.0'];
const LEGACY_VERSIONS = ['1.5', '5.1'];
const MAX_DESCRIPTOR_BYTES = 12 * 1024 * 1024;

interface Session {
  user: string;
  kind: 'cloudapi' | 'legacy';
}

class HttpFailure extends Error {
  constructor(readonly status: number, readonly minorErrorCode: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export class VcloudSimulator {
  readonly org: SimNamed;
  readonly user: string;
  readonly password: string;
  readonly apiToken: string;
  readonly catalogs: SimCatalog[];
  readonly vdcs: SimNamed[];
  readonly behaviour: { descriptorProcessingMs: number; importProcessingMs: number };
  readonly faults: SimFault[] = [];
  readonly requests: RequestRecord[] = [];
  /** Every token handed out, so tests can assert none leaks into logs. */
  readonly issuedTokens: string[] = [];
  url = '';
  caFile = '';
  private readonly sessions = new Map<string, Session>();
  private readonly templates = new Map<string, SimTemplate>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private server?: https.Server;

  constructor(
    private readonly options: VcloudSimulatorOptions,
    readonly storageDir: string,
    readonly pki: TestPki,
    private readonly ownsStorage: boolean,
  ) {
    this.org = { id: newId(), name: options.org ?? 'ovfkit-demo' };
    this.user = options.user ?? 'demo';
    this.password = options.password ?? randomBytes(9).toString('base64url');
    this.apiToken = options.apiToken ?? randomBytes(24).toString('base64url');
    this.catalogs = (options.catalogs ?? ['Templates']).map((name) => ({ id: newId(), name, items: [] }));
    this.vdcs = (options.vdcs ?? ['demo-vdc']).map((name) => ({ id: newId(), name }));
    this.behaviour = { descriptorProcessingMs: options.descriptorProcessingMs ?? 150, importProcessingMs: options.importProcessingMs ?? 400 };
  }

  get legacy(): boolean {
    return this.options.legacy === true;
  }

  private transferBase(): string {
    return this.options.transferHost ? this.url.replace(/^https:\/\/(\[[^\]]+\]|[^:/]+)/, `https://${this.options.transferHost}`) : this.url;
  }

  async listen(): Promise<void> {
    this.caFile = path.join(this.storageDir, 'ca.pem');
    await writeFile(this.caFile, this.pki.caCertPem);
    const server = https.createServer({ cert: this.pki.serverCertPem, key: this.pki.serverKeyPem, keepAliveTimeout: 60_000 }, (req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    // TLS handshakes refused by clients that do not trust the CA are expected, not errors.
    server.on('tlsClientError', () => undefined);
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.ownsStorage) await rm(this.storageDir, { recursive: true, force: true });
  }

  /** Ends every session, as an idle timeout would: the next request with an old token gets 401. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** Templates by name (the newest when several share one). */
  template(name: string): SimTemplate | undefined {
    return [...this.templates.values()].filter((t) => t.name === name).pop();
  }

  allTemplates(): SimTemplate[] {
    return [...this.templates.values()];
  }

  /** The stored path of one of a template's files. */
  storedFile(template: SimTemplate, name: string): string {
    const f = template.files.find((x) => x.name === name);
    if (!f) throw new Error(`template '${template.name}' has no file '${name}'`);
    return f.path;
  }

  // ---- HTTP plumbing ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const record: RequestRecord = { method: req.method ?? '', path: url.pathname, status: 0, contentRange: req.headers['content-range'] };
    res.on('finish', () => {
      record.status = res.statusCode;
      this.requests.push(record);
    });
    req.on('aborted', () => {
      if (!record.status) record.status = -1;
    });
    try {
      await this.route(req, res, url.pathname);
    } catch (err) {
      const f = err instanceof HttpFailure ? err : new HttpFailure(500, 'INTERNAL_SERVER_ERROR', (err as Error).message);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(f.status, { 'Content-Type': 'application/vnd.vmware.vcloud.error+xml;version=5.5', ...f.headers });
        res.end(views.errorXml(f.status, f.minorErrorCode, f.message));
      }
    }
  }

  private send(res: ServerResponse, status: number, body: string, type = 'application/*+xml', headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  private async route(req: IncomingMessage, res: ServerResponse, p: string): Promise<void> {
    const m = req.method ?? 'GET';
    const base = this.url;
    let match: RegExpExecArray | null;

    if (m === 'GET' && p === '/api/versions') return this.send(res, 200, views.versionsXml(base, this.legacy ? LEGACY_VERSIONS : MODERN_VERSIONS), 'application/*+xml');
    if (m === 'POST' && (p === '/cloudapi/1.0.0/sessions' || p === '/cloudapi/1.0.0/sessions/provider')) {
      await drain(req);
      if (this.legacy) throw new HttpFailure(404, 'RESOURCE_NOT_FOUND', 'No resource for ' + p);
      const user = this.checkBasic(req);
      const token = randomBytes(32).toString('base64url');
      this.sessions.set(token, { user, kind: 'cloudapi' });
      this.issuedTokens.push(token);
      const body = JSON.stringify({ id: `urn:vcloud:session:${newId()}`, user: { name: this.user, id: `urn:vcloud:user:${this.org.id}` }, org: { name: this.org.name, id: `urn:vcloud:org:${this.org.id}` }, roles: ['Catalog Author'] });
      return this.send(res, 200, body, 'application/json', { 'X-VMWARE-VCLOUD-ACCESS-TOKEN': token, 'X-VMWARE-VCLOUD-TOKEN-TYPE': 'Bearer' });
    }
    if (m === 'POST' && (match = /^\/oauth\/(?:tenant\/([^/]+)|provider)\/token$/.exec(p))) {
      const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
      if (this.legacy) throw new HttpFailure(404, 'RESOURCE_NOT_FOUND', 'No resource for ' + p);
      const org = match[1] ? decodeURIComponent(match[1]) : 'System';
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== this.apiToken || org.toLowerCase() !== this.org.name.toLowerCase()) {
        const body = JSON.stringify({ error: 'invalid_grant', error_description: 'The API token is not valid for this organisation' });
        return this.send(res, 400, body, 'application/json');
      }
      const token = randomBytes(32).toString('base64url');
      this.sessions.set(token, { user: this.user, kind: 'cloudapi' });
      this.issuedTokens.push(token);
      return this.send(res, 200, JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 2592000, refresh_token: null }), 'application/json');
    }
    if (m === 'POST' && p === '/api/sessions') {
      await drain(req);
      const user = this.checkBasic(req);
      const token = randomBytes(16).toString('hex');
      this.sessions.set(token, { user, kind: 'legacy' });
      this.issuedTokens.push(token);
      return this.send(res, 200, views.sessionXml(base, user, this.org), 'application/vnd.vmware.vcloud.session+xml', { 'x-vcloud-authorization': token });
    }

    // Everything below needs a session.
    const token = this.sessionToken(req);
    if (m === 'DELETE' && (p === '/api/session' || p === '/cloudapi/1.0.0/sessions/current')) {
      this.sessions.delete(token);
      res.writeHead(204).end();
      return;
    }
    if ((match = /^\/transfer\/([^/]+)\/(.+)$/.exec(p)) && m === 'PUT') return this.receiveFile(req, res, match[1], decodeURIComponent(match[2]));
    if (!/version=\d/.test(String(req.headers.accept ?? ''))) {
      throw new HttpFailure(406, 'NOT_ACCEPTABLE', `The request has an invalid accept header: an API version is required (Accept: application/*+xml;version=N), got '${req.headers.accept ?? ''}'`);
    }
    if (m === 'GET' && (p === '/api/org' || p === '/api/org/')) return this.send(res, 200, views.orgListXml(base, this.org), 'application/vnd.vmware.vcloud.orgList+xml');
    if (m === 'GET' && (match = /^\/api\/org\/([^/]+)$/.exec(p))) {
      if (match[1] !== this.org.id) throw new HttpFailure(403, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', 'Either you need some or all of the following rights [Organization View] to perform operations [OrgView] for org or the target entity is invalid.');
      return this.send(res, 200, views.orgXml(base, this.org, this.vdcs, this.catalogs), 'application/vnd.vmware.vcloud.org+xml');
    }
    if (m === 'GET' && (match = /^\/api\/catalog\/([^/]+)$/.exec(p))) {
      return this.send(res, 200, views.catalogXml(base, this.org, this.catalog(match[1]), !this.legacy), 'application/vnd.vmware.vcloud.catalog+xml');
    }
    if (m === 'GET' && (match = /^\/api\/vdc\/([^/]+)$/.exec(p))) return this.send(res, 200, views.vdcXml(base, this.org, this.vdc(match[1])), 'application/vnd.vmware.vcloud.vdc+xml');
    if (m === 'POST' && (match = /^\/api\/catalog\/([^/]+)\/action\/upload$/.exec(p)) && !this.legacy) {
      const catalog = this.catalog(match[1]);
      const t = await this.createTemplate(req, this.vdcs[0].id, catalog.id);
      const item = { id: newId(), name: t.name, templateId: t.id };
      catalog.items.push(item);
      return this.send(res, 201, views.catalogItemXml(base, catalog.id, item, t), 'application/vnd.vmware.vcloud.catalogItem+xml');
    }
    if (m === 'POST' && (match = /^\/api\/vdc\/([^/]+)\/action\/uploadVAppTemplate$/.exec(p))) {
      const t = await this.createTemplate(req, this.vdc(match[1]).id, undefined);
      return this.send(res, 201, views.templateXml(base, t, this.org, this.user, this.transferBase()), 'application/vnd.vmware.vcloud.vAppTemplate+xml');
    }
    if ((match = /^\/api\/vAppTemplate\/vappTemplate-([^/]+)$/.exec(p))) {
      const t = this.templates.get(match[1]);
      if (!t) throw new HttpFailure(403, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', `No access to entity "com.vmware.vcloud.entity.vapptemplate:${match[1]}".`);
      if (m === 'GET') return this.send(res, 200, views.templateXml(base, t, this.org, this.user, this.transferBase()), 'application/vnd.vmware.vcloud.vAppTemplate+xml');
      if (m === 'DELETE') {
        this.templates.delete(t.id);
        for (const c of this.catalogs) c.items = c.items.filter((i) => i.templateId !== t.id);
        await rm(t.dir, { recursive: true, force: true });
        const task = { ...newTask(t, 'Deleting Virtual Application Template'), status: 'success' as const, progress: 100 };
        return this.send(res, 202, views.XML_DECL + views.taskXml(base, task, t, this.org, this.user, true), 'application/vnd.vmware.vcloud.task+xml');
      }
    }
    if ((match = /^\/api\/task\/([^/]+)(\/action\/cancel)?$/.exec(p))) {
      const t = [...this.templates.values()].find((x) => x.task?.id === match![1]);
      if (!t?.task) throw new HttpFailure(404, 'RESOURCE_NOT_FOUND', `No task ${match[1]}`);
      if (m === 'GET' && !match[2]) return this.send(res, 200, views.XML_DECL + views.taskXml(base, t.task, t, this.org, this.user, true), 'application/vnd.vmware.vcloud.task+xml');
      if (m === 'POST' && match[2]) {
        await drain(req);
        if (t.task.status !== 'running' && t.task.status !== 'queued') throw new HttpFailure(400, 'BAD_REQUEST', `The task is ${t.task.status} and cannot be cancelled.`);
        t.task.status = 'canceled';
        t.task.errorMessage = 'The task was canceled by the user.';
        t.status = -1;
        res.writeHead(204).end();
        return;
      }
    }
    throw new HttpFailure(404, 'RESOURCE_NOT_FOUND', `No resource for ${m} ${p}`);
  }

  private checkBasic(req: IncomingMessage): string {
    const h = String(req.headers.authorization ?? '');
    const decoded = h.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const login = colon < 0 ? '' : decoded.slice(0, colon);
    const at = login.lastIndexOf('@');
    const user = at < 0 ? login : login.slice(0, at);
    const org = at < 0 ? '' : login.slice(at + 1);
    if (user !== this.user || org.toLowerCase() !== this.org.name.toLowerCase() || decoded.slice(colon + 1) !== this.password) {
      throw new HttpFailure(401, 'UNAUTHORIZED', 'Unauthorized: the user name, organisation or password is not correct');
    }
    return user;
  }

  private sessionToken(req: IncomingMessage): string {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = bearer ?? String(req.headers['x-vcloud-authorization'] ?? '');
    if (!token || !this.sessions.has(token)) throw new HttpFailure(401, 'UNAUTHORIZED', 'This operation is denied: no valid session (log in first)');
    return token;
  }

  private catalog(id: string): SimCatalog {
    const c = this.catalogs.find((x) => x.id === id);
    if (!c) throw new HttpFailure(403, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', `No access to entity "com.vmware.vcloud.entity.catalog:${id}".`);
    return c;
  }

  private vdc(id: string): SimNamed {
    const v = this.vdcs.find((x) => x.id === id);
    if (!v) throw new HttpFailure(403, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', `No access to entity "com.vmware.vcloud.entity.vdc:${id}".`);
    return v;
  }

  private later(ms: number, fn: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
  }

  // ---- the upload workflow ----

  private async createTemplate(req: IncomingMessage, vdcId: string, catalogId: string | undefined): Promise<SimTemplate> {
    const type = String(req.headers['content-type'] ?? '');
    const body = (await readBody(req, 64 * 1024)).toString('utf8');
    if (!type.startsWith('application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml')) {
      throw new HttpFailure(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml, got '${type}'`);
    }
    let params;
    try {
      params = parseXmlRoot(body);
    } catch (err) {
      throw new HttpFailure(400, 'BAD_REQUEST', `The request body is not well-formed XML: ${(err as Error).message}`);
    }
    const name = attr(params, 'name');
    if (params.local !== 'UploadVAppTemplateParams' || !name) throw new HttpFailure(400, 'BAD_REQUEST', 'Expected an UploadVAppTemplateParams element with a name attribute');
    if (catalogId && this.catalogs.find((c) => c.id === catalogId)!.items.some((i) => i.name === name)) {
      throw new HttpFailure(400, 'DUPLICATE_NAME', `The VCD entity ${name} already exists.`);
    }
    const id = newId();
    const dir = path.join(this.storageDir, 'templates', id);
    await mkdir(dir, { recursive: true });
    const t: SimTemplate = {
      id,
      name,
      description: child(params, 'Description')?.text ?? '',
      manifestRequired: attr(params, 'manifestRequired') === 'true',
      status: 0,
      descriptorUploaded: false,
      linksReady: false,
      transferId: newId(),
      dir,
      files: [{ name: 'descriptor.ovf', size: -1, received: 0, path: path.join(dir, 'descriptor.ovf'), queue: Promise.resolve() }],
      vmNames: [],
      vdcId,
      catalogId,
      created: new Date().toISOString(),
    };
    this.templates.set(id, t);
    return t;
  }

  private transferTarget(transferId: string, name: string): { t: SimTemplate; f: SimFile } {
    const t = [...this.templates.values()].find((x) => x.transferId === transferId);
    const f = t?.files.find((x) => x.name === name && (x.name === 'descriptor.ovf' || t.linksReady));
    if (!t || !f) throw new HttpFailure(404, 'RESOURCE_NOT_FOUND', `No upload in progress for /transfer/${transferId}/${name}`);
    if (t.status === -1) throw new HttpFailure(400, 'BAD_REQUEST', `The upload of template '${t.name}' has failed or was cancelled: ${t.task?.errorMessage ?? 'status -1'}`);
    if (t.status === 8) throw new HttpFailure(400, 'BAD_REQUEST', `Template '${t.name}' is already complete`);
    return { t, f };
  }

  private async receiveFile(req: IncomingMessage, res: ServerResponse, transferId: string, name: string): Promise<void> {
    const { t, f } = this.transferTarget(transferId, name);
    if (f.name === 'descriptor.ovf') return this.receiveDescriptor(req, res, t, f);
    const statusFault = this.faults.find((x): x is Extract<SimFault, { kind: 'status' }> => x.kind === 'status' && x.file === name && x.count > 0);
    if (statusFault) {
      statusFault.count--;
      throw new HttpFailure(statusFault.status, 'SERVICE_UNAVAILABLE', 'The transfer service is busy; try again later', { Connection: 'close' });
    }
    // One PUT per file at a time: a retry that overtakes a broken predecessor waits for its count.
    const previous = f.queue;
    let done!: () => void;
    f.queue = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      await this.receiveRange(req, res, t, f);
    } finally {
      done();
    }
  }

  private async receiveDescriptor(req: IncomingMessage, res: ServerResponse, t: SimTemplate, f: SimFile): Promise<void> {
    if (t.descriptorUploaded) throw new HttpFailure(400, 'BAD_REQUEST', 'The OVF descriptor has already been uploaded');
    const bytes = await readBody(req, MAX_DESCRIPTOR_BYTES);
    await writeFile(f.path, bytes);
    f.size = f.received = bytes.length;
    t.descriptorUploaded = true;
    t.task = newTask(t, 'Uploading Virtual Application Template');
    res.writeHead(200, { 'Content-Length': 0 }).end();
    this.later(this.behaviour.descriptorProcessingMs, () => this.processDescriptor(t, bytes.toString('utf8')));
  }

  private async processDescriptor(t: SimTemplate, text: string): Promise<void> {
    const verdict = judgeDescriptor(text);
    if (verdict.errors.length) return this.fail(t, `The OVF descriptor is invalid for vCloud Director: ${verdict.errors.join('; ')}`);
    for (const ref of verdict.references) {
      if (t.files.some((x) => x.name === ref.href)) continue;
      if (!ref.href || path.isAbsolute(ref.href) || ref.href.split(/[\\/]/).includes('..') || /^[a-z][a-z0-9+.-]*:/i.test(ref.href)) {
        return this.fail(t, `The OVF descriptor references a file by an unsupported href '${ref.href}'`);
      }
      t.files.push({ name: ref.href, size: ref.size, received: 0, path: path.join(t.dir, 'files', ref.href), chunkSize: ref.chunkSize, queue: Promise.resolve() });
    }
    if (t.manifestRequired) t.files.push({ name: 'descriptor.mf', size: -1, received: 0, path: path.join(t.dir, 'descriptor.mf'), queue: Promise.resolve() });
    for (const file of t.files.slice(1)) {
      await mkdir(path.dirname(file.path), { recursive: true });
      await writeFile(file.path, '');
    }
    t.vmNames = verdict.vmNames;
    t.linksReady = true;
    this.afterBytes(t);
  }

  private async receiveRange(req: IncomingMessage, res: ServerResponse, t: SimTemplate, f: SimFile): Promise<void> {
    const length = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
    const rangeHeader = req.headers['content-range'];
    let start: number;
    let end: number; // inclusive
    let total: number;
    if (rangeHeader) {
      const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(rangeHeader);
      if (!m) throw new HttpFailure(400, 'BAD_REQUEST', `Malformed Content-Range '${rangeHeader}'`, { Connection: 'close' });
      [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    } else {
      if (length === undefined) throw new HttpFailure(411, 'LENGTH_REQUIRED', 'A Content-Length or Content-Range is required');
      [start, end, total] = [0, length - 1, length];
    }
    if (f.size >= 0 && total !== f.size) throw new HttpFailure(400, 'BAD_REQUEST', `${f.name} has ${f.size} bytes, the request says ${total}`, { Connection: 'close' });
    if (end < start - 1 || end >= total) throw new HttpFailure(400, 'BAD_REQUEST', `Invalid range ${start}-${end}/${total}`, { Connection: 'close' });
    if (length !== undefined && length !== end - start + 1) throw new HttpFailure(400, 'BAD_REQUEST', `Content-Length ${length} does not match the range ${start}-${end}`, { Connection: 'close' });
    if (start !== f.received) {
      throw new HttpFailure(416, 'REQUESTED_RANGE_NOT_SATISFIABLE', `Ranges must arrive in order: ${f.name} holds ${f.received} bytes, the request starts at ${start}`, { Connection: 'close', 'Content-Range': `bytes */${f.received}` });
    }
    if (f.size < 0) f.size = total;

    // A large buffer lets incoming TLS records coalesce into few large writes.
    const out = createWriteStream(f.path, { flags: 'r+', start, highWaterMark: 4 * 1024 * 1024 });
    const cut = this.faults.find((x): x is Extract<SimFault, { kind: 'cut' }> => x.kind === 'cut' && x.file === f.name && x.atOffset > start && x.atOffset <= end);
    let failed = false;
    try {
      if (cut) {
        this.faults.splice(this.faults.indexOf(cut), 1);
        // Taken now: the request lets go of its socket once the loop below stops reading it.
        const socket = req.socket;
        let position = start;
        for await (const chunk of req as AsyncIterable<Buffer>) {
          const keep = Math.min(chunk.length, cut.atOffset - position);
          await new Promise<void>((resolve, reject) => out.write(chunk.subarray(0, keep), (err) => (err ? reject(err) : resolve())));
          position += keep;
          if (position >= cut.atOffset) break;
        }
        // The kept bytes are on disk; now the connection breaks as a network would.
        socket.destroy();
        await new Promise<void>((resolve) => out.end(resolve));
        failed = true;
      } else if (this.options.ratePerConnection) {
        await pipeline(req, paceForConnection(req.socket, this.options.ratePerConnection), out);
      } else {
        await pipeline(req, out);
      }
    } catch {
      failed = true;
    }
    // What reached the disk counts, whether or not the request completed.
    f.received = start + out.bytesWritten;
    if (!failed && !res.destroyed) res.writeHead(200, { 'Content-Length': 0 }).end();
    this.afterBytes(t);
  }

  /** Updates the task's progress; starts the import once every file is complete. */
  private afterBytes(t: SimTemplate): void {
    if (!t.task || t.task.status !== 'running' || !t.linksReady) return;
    const known = t.files.filter((f) => f.size >= 0);
    const total = known.reduce((n, f) => n + f.size, 0);
    const received = known.reduce((n, f) => n + Math.min(f.received, f.size), 0);
    t.task.progress = total > 0 ? Math.floor((received / total) * 90) : 0;
    if (t.files.every(fileComplete) && t.task.operation.startsWith('Uploading')) this.startImport(t);
  }

  private startImport(t: SimTemplate): void {
    const task = t.task!;
    task.operation = `Importing Virtual Application Template ${t.name}(${t.id})`;
    task.progress = 90;
    const steps = 4;
    const step = (i: number) => {
      this.later(this.behaviour.importProcessingMs / steps, async () => {
        if (task.status !== 'running') return;
        if (i < steps) {
          task.progress = 90 + ((i + 1) * 10) / (steps + 1);
          return step(i + 1);
        }
        const problem = await this.verifyManifest(t);
        if (problem) return this.fail(t, problem);
        task.status = 'success';
        task.progress = 100;
        t.status = 8;
      });
    };
    step(0);
  }

  private async verifyManifest(t: SimTemplate): Promise<string | undefined> {
    const manifest = t.files.find((f) => f.name === 'descriptor.mf');
    if (!manifest) return undefined;
    const others = new Map(t.files.filter((f) => f !== manifest).map((f) => [f.name, { path: f.path, chunkSize: f.chunkSize }]));
    return checkManifest(await readFile(manifest.path, 'utf8'), others);
  }

  private fail(t: SimTemplate, message: string): void {
    t.status = -1;
    t.task ??= newTask(t, 'Uploading Virtual Application Template');
    t.task.status = 'error';
    t.task.errorMessage = message;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        reject(new HttpFailure(400, 'BAD_REQUEST', `The request body exceeds ${limit} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function drain(req: IncomingMessage): Promise<void> {
  return readBody(req, 64 * 1024).then(() => undefined);
}

export async function startVcloudSimulator(options: VcloudSimulatorOptions = {}): Promise<VcloudSimulator> {
  const ownsStorage = options.storageDir === undefined;
  const storageDir = options.storageDir ?? (await mkdtemp(path.join(os.tmpdir(), 'ovfkit-vcloud-sim-')));
  await mkdir(storageDir, { recursive: true });
  const sim = new VcloudSimulator(options, storageDir, options.pki ?? createTestPki(), ownsStorage);
  await sim.listen();
  return sim;
}
