// A CloudControl CaaS API simulator (HTTPS, JSON, shapes of docs PROTOCOLS.md §3a) and an FTPS
// staging server on one staging folder. Import checks the staged package with the domain's
// parsers and moves the image PENDING_ADD → NORMAL over a few polls; export writes PREFIX.ovf,
// PREFIX.mf and the disks back into the staging folder. Faults can be injected for tests.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import { AddressInfo, Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FtpSrv } from 'ftp-srv';
import { createTestPki, TestPki } from '../testPki';
import { judgeStagedPackage } from './stagedPackage';

export interface SimDatacenter {
  id: string;
  displayName: string;
  city: string;
  country: string;
  /** Highest virtual hardware version the hypervisor runs. */
  maxHardwareVersion: number;
  limits: { MIN_DISK_SIZE_GB: number; MAX_DISK_SIZE_GB: number; MAX_CPU_COUNT: number; MIN_MEMORY_MB: number; MAX_MEMORY_MB: number };
}

export const DEFAULT_DATACENTERS: SimDatacenter[] = [
  { id: 'NA9', displayName: 'US - East 3 - MCP 2.0', city: 'Ashburn', country: 'US', maxHardwareVersion: 13, limits: { MIN_DISK_SIZE_GB: 10, MAX_DISK_SIZE_GB: 1000, MAX_CPU_COUNT: 32, MIN_MEMORY_MB: 1024, MAX_MEMORY_MB: 262144 } },
  { id: 'EU6', displayName: 'Europe (Frankfurt) - MCP 2.0', city: 'Frankfurt', country: 'DE', maxHardwareVersion: 11, limits: { MIN_DISK_SIZE_GB: 10, MAX_DISK_SIZE_GB: 2000, MAX_CPU_COUNT: 16, MIN_MEMORY_MB: 1024, MAX_MEMORY_MB: 131072 } },
];

export type CloudControlFault =
  /** Answer the next `count` API requests with 401. */
  | { kind: 'unauthorized'; count: number }
  /** Answer the next `count` API requests with `status` (5xx) and a response object. */
  | { kind: 'status'; status: number; count: number }
  /** Delay every answer by `ms`. */
  | { kind: 'slow'; ms: number }
  /** The next import fails with `reason` after its polls. */
  | { kind: 'fail-import'; reason: string }
  /** Answer the next GET with `bytes` of padding (an oversize answer). */
  | { kind: 'oversize'; bytes: number }
  /** Redirect the next request to `location`. */
  | { kind: 'redirect'; location: string }
  /** Name `host` as the staging host in the next data-centre answer (a host the client must not trust). */
  | { kind: 'ftps-host'; host: string };

export interface CloudControlSimulatorOptions {
  port?: number;
  user?: string;
  password?: string;
  orgId?: string;
  datacenters?: SimDatacenter[];
  /** Polls an import or export takes before it finishes (default 3). */
  pollsToFinish?: number;
  /** Data centres per page of infrastructure/datacenter (default 250; small values test paging). */
  datacenterPageSize?: number;
  stagingDir?: string;
  pki?: TestPki;
  /** Serve FTPS too (default true). */
  ftps?: boolean;
}

interface SimImage {
  id: string;
  name: string;
  description: string;
  datacenterId: string;
  state: string;
  createTime: string;
  files: string[];
  pollsLeft: number;
  failureReason?: string;
  progress?: { action: string; step: { name: string; number: number; percentComplete: number }; failureReason?: string };
}

interface SimExport {
  imageExportId: string;
  ovfPackagePrefix: string;
  image: SimImage;
  pollsLeft: number;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  startTime: string;
  endTime?: string;
}

class ApiFailure extends Error {
  constructor(readonly status: number, readonly responseCode: string, message: string) {
    super(message);
  }
}

const VERSION = /^\/caas\/2\.(\d+)\/(.*)$/;
const IMPORT_STEPS = ['WAITING_FOR_STAGING', 'VALIDATING_PACKAGE', 'CREATING_IMAGE'];

export async function startCloudControlSimulator(opts: CloudControlSimulatorOptions = {}) {
  const pki = opts.pki ?? createTestPki();
  const work = await mkdtemp(path.join(os.tmpdir(), 'ovfkit-ccsim-'));
  const stagingDir = opts.stagingDir ?? path.join(work, 'staging');
  await mkdir(stagingDir, { recursive: true });
  const caFile = path.join(work, 'ca.pem');
  await writeFile(caFile, pki.caCertPem);
  const user = opts.user ?? 'ccuser';
  const password = opts.password ?? `cc-${randomBytes(9).toString('base64url')}`;
  const orgId = opts.orgId ?? randomUUID();
  const datacenters = opts.datacenters ?? DEFAULT_DATACENTERS;
  const pollsToFinish = opts.pollsToFinish ?? 3;
  const pageSize = opts.datacenterPageSize ?? 250;
  const images: SimImage[] = [];
  const exportsList: SimExport[] = [];
  const faults: CloudControlFault[] = [];
  const requests: Array<{ method: string; path: string; status: number; authorization?: string }> = [];
  const expectedAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let ftpsHost = '127.0.0.1';
  let ftpsPort = 0;

  const takeFault = <K extends CloudControlFault['kind']>(kind: K): Extract<CloudControlFault, { kind: K }> | undefined => {
    const i = faults.findIndex((f) => f.kind === kind);
    if (i < 0) return undefined;
    const f = faults[i] as Extract<CloudControlFault, { kind: K }>;
    if ('count' in f && --f.count > 0) return f;
    if (f.kind !== 'slow') faults.splice(i, 1);
    return f;
  };

  const imageView = (img: SimImage) => ({
    id: img.id,
    name: img.name,
    description: img.description,
    datacenterId: img.datacenterId,
    createTime: img.createTime,
    state: img.state,
    guest: { operatingSystem: { id: 'UBUNTU1864', displayName: 'UBUNTU18/64', family: 'UNIX' }, osCustomization: true },
    source: { type: 'IMPORT', artifact: img.files.map((f) => ({ type: path.extname(f).slice(1).toUpperCase(), value: f })) },
    ...(img.progress ? { progress: img.progress } : {}),
    ...(img.failureReason ? { failureReason: img.failureReason } : {}),
  });

  const advanceImage = async (img: SimImage) => {
    if (img.state !== 'PENDING_ADD') return;
    img.pollsLeft--;
    const step = Math.min(IMPORT_STEPS.length, pollsToFinish - img.pollsLeft);
    img.progress = { action: 'IMPORT_IMAGE', step: { name: IMPORT_STEPS[Math.max(0, step - 1)], number: Math.max(1, step), percentComplete: Math.round((100 * (pollsToFinish - img.pollsLeft)) / (pollsToFinish + 1)) } };
    if (img.pollsLeft > 0) return;
    const failure = takeFault('fail-import');
    const dc = datacenters.find((d) => d.id === img.datacenterId)!;
    const verdict = failure ? { reason: failure.reason, files: [] } : await judgeStagedPackage(stagingDir, pendingManifest.get(img.id) ?? `${img.name}.mf`, dc.maxHardwareVersion);
    if (verdict.reason) {
      img.state = 'FAILED_ADD';
      img.failureReason = verdict.reason;
      img.progress = { ...img.progress, failureReason: verdict.reason };
    } else {
      img.state = 'NORMAL';
      img.files = verdict.files;
      img.progress = undefined;
      await mkdir(path.join(work, 'images', img.id), { recursive: true });
      for (const f of verdict.files) await copyFile(path.join(stagingDir, f), path.join(work, 'images', img.id, f));
    }
  };

  const advanceExport = async (e: SimExport) => {
    if (e.state !== 'IN_PROGRESS' || --e.pollsLeft > 0) return;
    // The exported package keeps the imported files, renamed to the prefix.
    const src = path.join(work, 'images', e.image.id);
    const disks = e.image.files.filter((f) => /\.vmdk$/i.test(f));
    const ovfName = e.image.files.find((f) => /\.ovf$/i.test(f))!;
    let ovf = await readFile(path.join(src, ovfName), 'utf8');
    const lines: string[] = [];
    for (const [i, d] of disks.entries()) {
      const out = `${e.ovfPackagePrefix}-disk${i + 1}.vmdk`;
      ovf = ovf.split(`"${d}"`).join(`"${out}"`);
      await copyFile(path.join(src, d), path.join(stagingDir, out));
      lines.push(`SHA256(${out})= ${await sha256OfFile(path.join(stagingDir, out))}`);
    }
    await writeFile(path.join(stagingDir, `${e.ovfPackagePrefix}.ovf`), ovf);
    lines.unshift(`SHA256(${e.ovfPackagePrefix}.ovf)= ${createHash('sha256').update(ovf).digest('hex')}`);
    await writeFile(path.join(stagingDir, `${e.ovfPackagePrefix}.mf`), lines.join('\n') + '\n');
    e.state = 'SUCCEEDED';
    e.endTime = new Date().toISOString();
    e.image.state = 'NORMAL';
  };

  const exportView = (e: SimExport, history: boolean) => ({
    imageExportId: e.imageExportId,
    ovfPackagePrefix: e.ovfPackagePrefix,
    imageSummary: { id: e.image.id, name: e.image.name, datacenterId: e.image.datacenterId },
    startTime: e.startTime,
    ...(history ? { state: e.state, endTime: e.endTime } : { progress: { action: 'EXPORT_IMAGE', step: { name: 'EXPORTING', number: 1, percentComplete: Math.round(100 * (1 - e.pollsLeft / (pollsToFinish + 1))) } } }),
  });

  const accepted = (operation: string, message: string, info: Record<string, string>) => ({
    operation,
    responseCode: 'IN_PROGRESS',
    message,
    info: Object.entries(info).map(([name, value]) => ({ name, value })),
    warning: [],
    error: [],
    requestId: `na/${new Date().toISOString()}/${randomUUID()}`,
  });

  const field = (body: Record<string, unknown>, name: string, type: 'string' | 'boolean'): unknown => {
    const v = body[name];
    if (v === undefined || v === null || v === '') throw new ApiFailure(400, 'INVALID_INPUT_DATA', `Missing required field: ${name}.`);
    if (typeof v !== type) throw new ApiFailure(400, 'INVALID_INPUT_DATA', `Field ${name} must be a ${type}.`);
    return v;
  };

  const pendingManifest = new Map<string, string>();

  const route = async (method: string, rest: string, query: URLSearchParams, body: Record<string, unknown>): Promise<unknown> => {
    if (method === 'GET' && rest === 'user/myUser') return { userName: user, organization: { id: orgId, name: 'Simulated Org', homeGeoApiHost: 'api-na.mcp-services.net' } };
    const [org, ...parts] = rest.split('/');
    if (org !== orgId) throw new ApiFailure(403, 'UNAUTHORIZED', `Organization ${org} is not yours.`);
    const p = parts.join('/');
    if (method === 'GET' && p === 'infrastructure/datacenter') {
      const list = datacenters.filter((d) => !query.get('id') || d.id === query.get('id'));
      const size = Math.min(pageSize, Number(query.get('pageSize') ?? 250) || 250);
      const n = Math.max(1, Number(query.get('pageNumber') ?? 1) || 1);
      const page = list.slice((n - 1) * size, n * size);
      const namedHost = takeFault('ftps-host')?.host ?? ftpsHost;
      return {
        datacenter: page.map((d) => ({ id: d.id, displayName: d.displayName, city: d.city, country: d.country, ftpsHost: namedHost, hypervisor: { type: 'VMWARE', property: Object.entries(d.limits).map(([name, value]) => ({ name, value: String(value) })) } })),
        pageNumber: n, pageCount: Math.max(1, Math.ceil(list.length / size)), totalCount: list.length, pageSize: size,
      };
    }
    if (method === 'GET' && p === 'image/customerImage') {
      const list = images.filter((i) => (!query.get('datacenterId') || i.datacenterId === query.get('datacenterId')) && (!query.get('name') || i.name === query.get('name')));
      return { customerImage: list.map(imageView), pageNumber: 1, pageCount: 1, totalCount: list.length, pageSize: 250 };
    }
    const imageMatch = /^image\/customerImage\/([^/]+)$/.exec(p);
    if (method === 'GET' && imageMatch) {
      const img = images.find((i) => i.id === imageMatch[1]);
      if (!img) throw new ApiFailure(400, 'RESOURCE_NOT_FOUND', `Customer Image ${imageMatch[1]} not found.`);
      await advanceImage(img);
      return imageView(img);
    }
    if (method === 'GET' && p === 'image/ovfPackage') {
      const { readdir } = await import('node:fs/promises');
      const names = (await readdir(stagingDir)).filter((f) => f.endsWith('.mf'));
      return { ovfPackage: names.map((name) => ({ name })), pageNumber: 1, pageCount: 1, totalCount: names.length, pageSize: 250 };
    }
    if (method === 'POST' && p === 'image/importImage') {
      const ovfPackage = field(body, 'ovfPackage', 'string') as string;
      const name = field(body, 'name', 'string') as string;
      const datacenterId = field(body, 'datacenterId', 'string') as string;
      field(body, 'guestOsCustomization', 'boolean');
      if (body.description !== undefined && typeof body.description !== 'string') throw new ApiFailure(400, 'INVALID_INPUT_DATA', 'Field description must be a string.');
      if (!datacenters.some((d) => d.id === datacenterId)) throw new ApiFailure(400, 'RESOURCE_NOT_FOUND', `Data Center ${datacenterId} not found.`);
      if (!/^[^/\\]+\.mf$/.test(ovfPackage)) throw new ApiFailure(400, 'INVALID_INPUT_DATA', `ovfPackage ${ovfPackage} must name a manifest (.mf) in the staging area.`);
      if (images.some((i) => i.name === name && i.datacenterId === datacenterId)) throw new ApiFailure(400, 'NAME_NOT_UNIQUE', `Image name ${name} is already in use in ${datacenterId}.`);
      const img: SimImage = { id: randomUUID(), name, description: (body.description as string) ?? '', datacenterId, state: 'PENDING_ADD', createTime: new Date().toISOString(), files: [], pollsLeft: pollsToFinish };
      // The package is found by its manifest name; the image is named by the request.
      images.push(img);
      pendingManifest.set(img.id, ovfPackage);
      return accepted('IMPORT_IMAGE', 'Request to import image has been accepted and is being processed.', { imageId: img.id });
    }
    if (method === 'POST' && p === 'image/cleanCustomerImage') {
      const id = field(body, 'id', 'string') as string;
      const i = images.findIndex((x) => x.id === id);
      if (i < 0) throw new ApiFailure(400, 'RESOURCE_NOT_FOUND', `Customer Image ${id} not found.`);
      if (!images[i].state.startsWith('FAILED')) throw new ApiFailure(400, 'INVALID_INPUT_DATA', `Customer Image ${id} is not in a failed state.`);
      images.splice(i, 1);
      return { operation: 'CLEAN_CUSTOMER_IMAGE', responseCode: 'OK', message: 'Customer Image has been cleaned.', requestId: randomUUID() };
    }
    if (method === 'POST' && p === 'image/exportImage') {
      const imageId = field(body, 'imageId', 'string') as string;
      const prefix = field(body, 'ovfPackagePrefix', 'string') as string;
      const img = images.find((i) => i.id === imageId);
      if (!img) throw new ApiFailure(400, 'RESOURCE_NOT_FOUND', `Image ${imageId} not found.`);
      if (img.state !== 'NORMAL') throw new ApiFailure(400, 'RESOURCE_BUSY', `Image ${imageId} is ${img.state}.`);
      if (!/^[A-Za-z0-9_.-]{1,100}$/.test(prefix)) throw new ApiFailure(400, 'INVALID_INPUT_DATA', 'ovfPackagePrefix may hold letters, digits, dot, dash and underscore.');
      const e: SimExport = { imageExportId: randomUUID(), ovfPackagePrefix: prefix, image: img, pollsLeft: pollsToFinish, state: 'IN_PROGRESS', startTime: new Date().toISOString() };
      img.state = 'PENDING_CHANGE';
      exportsList.push(e);
      return accepted('EXPORT_IMAGE', 'Request to export image has been accepted and is being processed.', { imageExportId: e.imageExportId });
    }
    if (method === 'GET' && p === 'image/exportInProgress') {
      for (const e of exportsList) await advanceExport(e);
      const list = exportsList.filter((e) => e.state === 'IN_PROGRESS' && (!query.get('imageExportId') || e.imageExportId === query.get('imageExportId')) && (!query.get('imageId') || e.image.id === query.get('imageId')) && (!query.get('ovfPackagePrefix') || e.ovfPackagePrefix === query.get('ovfPackagePrefix')));
      return { imageExportInProgress: list.map((e) => exportView(e, false)) };
    }
    if (method === 'GET' && p === 'image/exportHistory') {
      const prefix = query.get('ovfPackagePrefix');
      const list = exportsList.filter((e) => e.state !== 'IN_PROGRESS' && (!prefix || e.ovfPackagePrefix === prefix));
      return { imageExport: list.map((e) => exportView(e, true)), pageNumber: 1, pageCount: 1, totalCount: list.length, pageSize: 250 };
    }
    throw new ApiFailure(404, 'RESOURCE_NOT_FOUND', `No such call: ${method} ${p}`);
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://sim');
    const record = { method: req.method ?? '', path: url.pathname + url.search, status: 0, authorization: req.headers.authorization };
    requests.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      send(res, status, body);
    };
    // One-shot faults belong to the request that arrives next, so they are taken before any wait:
    // a slow request a client gave up on must not wake later and take a fault meant for another.
    const redirect = takeFault('redirect');
    const unauthorized = takeFault('unauthorized');
    const status = takeFault('status');
    const oversize = takeFault('oversize');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const slow = faults.find((f): f is Extract<CloudControlFault, { kind: 'slow' }> => f.kind === 'slow');
    if (slow) await new Promise((r) => setTimeout(r, slow.ms));
    // A client that hung up meanwhile gets no answer.
    if (res.destroyed || req.socket.destroyed) return;
    if (redirect) {
      record.status = 302;
      res.writeHead(302, { Location: redirect.location });
      return res.end();
    }
    if (unauthorized || req.headers.authorization !== expectedAuth) {
      record.status = 401;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="CaaS"' });
      return res.end();
    }
    if (status) return reply(status.status, { operation: 'UNKNOWN', responseCode: 'UNEXPECTED_ERROR', message: 'An unexpected error occurred.', requestId: randomUUID() });
    if (oversize) return reply(200, { padding: 'x'.repeat(oversize.bytes) });
    const accept = req.headers.accept ?? '';
    if (!/application\/json|application\/\*|\*\/\*/.test(accept)) return reply(406, { operation: 'UNKNOWN', responseCode: 'INVALID_INPUT_DATA', message: `Accept ${accept || '(none)'} is not supported; use application/json.`, requestId: randomUUID() });
    const m = VERSION.exec(url.pathname);
    if (!m || Number(m[1]) < 4 || Number(m[1]) > 11) return reply(404, { responseCode: 'RESOURCE_NOT_FOUND', message: `No API at ${url.pathname}.` });
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) return reply(400, { responseCode: 'INVALID_INPUT_DATA', message: 'Content-Type must be application/json.' });
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed;
      } catch {
        return reply(400, { responseCode: 'INVALID_INPUT_DATA', message: 'The request body is not a JSON object.' });
      }
    }
    try {
      reply(200, await route(req.method ?? 'GET', m[2], url.searchParams, body));
    } catch (err) {
      if (err instanceof ApiFailure) return reply(err.status, { operation: 'UNKNOWN', responseCode: err.responseCode, message: err.message, requestId: randomUUID() });
      reply(500, { responseCode: 'UNEXPECTED_ERROR', message: (err as Error).message });
    }
  };

  const server = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const apiHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  let ftpServer: FtpSrv | undefined;
  if (opts.ftps !== false) {
    const signalsBefore = new Set([...process.listeners('SIGINT'), ...process.listeners('SIGTERM'), ...process.listeners('SIGQUIT')]);
    const pasvMin = 20000 + Math.floor(Math.random() * 30000);
    // Loaded only when served: the API alone needs no FTP package.
    const { FtpSrv: Server } = await import('ftp-srv');
    ftpServer = new Server({ url: 'ftp://127.0.0.1:0', pasv_url: '127.0.0.1', pasv_min: pasvMin, pasv_max: pasvMin + 300, tls: { key: pki.serverKeyPem, cert: pki.serverCertPem }, anonymous: false, log: silentLogger() });
    // ftp-srv makes SIGINT/SIGTERM exit the process; the process owner keeps those signals.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGQUIT'] as const) for (const l of process.listeners(sig)) if (!signalsBefore.has(l)) process.removeListener(sig, l as () => void);
    ftpServer.on('login', ({ connection, username, password: given }, resolve, reject) => {
      // The staging area takes TLS logins only, with the cloud user and password.
      if (!connection.secure) return reject(new Error('TLS required on the control connection (use AUTH TLS)'));
      if (username !== user || given !== password) return reject(new Error('Login incorrect.'));
      resolve({ root: stagingDir, cwd: '/' });
    });
    ftpServer.on('client-error', () => undefined);
    await ftpServer.listen();
    ftpsPort = ((ftpServer as unknown as { server: Server }).server.address() as AddressInfo).port;
    ftpsHost = '127.0.0.1';
  }

  return {
    apiUrl: `https://${apiHost}/caas/2.10`,
    apiHost,
    user,
    password,
    orgId,
    caFile,
    ftps: { host: ftpsHost, port: ftpsPort },
    stagingDir,
    datacenters,
    images,
    requests,
    inject(fault: CloudControlFault) {
      faults.push({ ...fault });
    },
    clearFaults() {
      faults.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ftpServer?.close().catch(() => undefined);
      await rm(work, { recursive: true, force: true });
    },
  };
}

export type CloudControlSimulator = Awaited<ReturnType<typeof startCloudControlSimulator>>;

/** Disks are streamed through the hash, never read whole. */
async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function silentLogger() {
  const logger: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) logger[level] = () => undefined;
  logger.child = () => logger;
  return logger as never;
}
