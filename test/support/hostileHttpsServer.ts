// A hostile HTTPS peer on 127.0.0.1 for the vCloud client's tests: a real TLS server (certificate
// from the test CA, valid for 127.0.0.1 and localhost) whose answers a test scripts, with helpers
// for the attacks: bodies without end or of hundreds of megabytes (generated as they are sent,
// never held in memory), bodies trickled a byte at a time, links to another origin. It records
// every request with its headers, so a test can check where credentials went.
import { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTestPki } from '../../client/src/simulator/testPki';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export type HostileHandler = (req: IncomingMessage, res: ServerResponse, peer: HostilePeer) => void | Promise<void>;

export interface HostilePeer {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  port: number;
  caFile: string;
  caPem: string;
  requests: SeenRequest[];
  /** Bytes the peer managed to write in answers (to show a client stopped reading early). */
  bytesSent: number;
  handler: HostileHandler;
  close(): Promise<void>;
}

export async function startHostilePeer(handler: HostileHandler): Promise<HostilePeer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ovfkit-hostile-https-'));
  const pki = await writeTestPki(dir);
  const sockets = new Set<Socket>();
  const peer: HostilePeer = {
    url: '',
    port: 0,
    caFile: pki.caFile,
    caPem: pki.caCertPem,
    requests: [],
    bytesSent: 0,
    handler,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  const server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    peer.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    // Request bodies are read and dropped, so a PUT does not stall on back pressure.
    req.resume();
    Promise.resolve(peer.handler(req, res, peer)).catch(() => res.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  peer.port = (server.address() as AddressInfo).port;
  peer.url = `https://127.0.0.1:${peer.port}`;
  return peer;
}

/**
 * Streams `total` bytes (Infinity: without end) of `fill`, generated as the client reads them,
 * counting what was written into `peer.bytesSent`. Stops when the client goes away.
 */
export function streamBody(res: ServerResponse, peer: HostilePeer, total: number, fill = 'x'): void {
  const block = Buffer.alloc(64 * 1024, fill);
  let left = total;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const chunk = left >= block.length ? block : block.subarray(0, left);
      left -= chunk.length;
      peer.bytesSent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (left <= 0) res.end();
  };
  res.on('close', () => (left = 0));
  pump();
}

/** Sends `text` one byte every `intervalMs` (then ends), as a server defeating idle timeouts would. */
export function trickle(res: ServerResponse, text: string, intervalMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    if (i >= text.length) {
      clearInterval(timer);
      return void res.end();
    }
    res.write(text[i++]);
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

/** A vCloud `/api/versions` answer offering one version, with its LoginUrl. */
export function versionsXml(version: string, loginUrl: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<SupportedVersions xmlns="http://www.vmware.com/vcloud/versions">
  <VersionInfo deprecated="false"><Version>${version}</Version><LoginUrl>${loginUrl}</LoginUrl></VersionInfo>
</SupportedVersions>`;
}

/**
 * Answers like a vCloud 5.1 just far enough for a resumed upload to read `template` (the body of
 * GET /api/vAppTemplate/t): versions, a legacy login, the template, logout.
 */
export function legacyVcloudWithTemplate(template: string): HostileHandler {
  return (req, res, peer) => {
    if (req.url === '/api/versions') return void res.end(versionsXml('5.1', `${peer.url}/api/sessions`));
    if (req.method === 'POST' && req.url === '/api/sessions') {
      res.writeHead(200, { 'x-vcloud-authorization': 'token-1', 'Content-Type': 'application/vnd.vmware.vcloud.session+xml' });
      return void res.end(`<Session xmlns="http://www.vmware.com/vcloud/v1.5"><Link rel="down" type="application/vnd.vmware.vcloud.org+xml" name="o" href="${peer.url}/api/org/1"/></Session>`);
    }
    if (req.url === '/api/vAppTemplate/t') return void res.end(template);
    res.writeHead(req.method === 'DELETE' ? 204 : 404);
    res.end();
  };
}
