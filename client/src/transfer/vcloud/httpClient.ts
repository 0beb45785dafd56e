// HTTPS requests for the vCloud API and the transfer service, over Node's own https module with a
// keep-alive agent. TLS verification is always on; a private CA is added to Node's roots, never
// substituted for verification. Failures become the typed errors of errors.ts.
import * as https from 'node:https';
import { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { isCertificateProblem, isTransientProblem, networkProblemOf } from '../common/networkProblems';
import { VcloudConnectionError, VcloudTlsError, VcloudUsageError } from './errors';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string | number>;
  /** A small body, or a stream for file data (then give `Content-Length` in headers). */
  body?: string | Buffer | Readable;
  signal?: AbortSignal;
}

export function isTransientNetworkError(err: unknown): boolean {
  return err instanceof VcloudConnectionError && isTransientProblem(networkProblemOf(err.code));
}

export interface HttpClientOptions {
  /** PEM text of extra CA certificates to trust besides Node's roots. */
  caPem?: string;
  /** Idle socket timeout; a stalled request fails with ETIMEDOUT (transient). */
  socketTimeoutMs?: number;
}

export class HttpClient {
  private readonly agent: https.Agent;
  private readonly socketTimeoutMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      ca: options.caPem ? [...tls.rootCertificates, options.caPem] : undefined,
    });
    this.socketTimeoutMs = options.socketTimeoutMs ?? 120_000;
  }

  close(): void {
    this.agent.destroy();
  }

  /** Sends one request and reads the whole answer as text (API answers are small). */
  request(req: HttpRequest): Promise<HttpResponse> {
    const url = parseHttpsUrl(req.url);
    return new Promise<HttpResponse>((resolve, reject) => {
      let answered = false;
      const fail = (err: unknown) => {
        if (!answered) {
          answered = true;
          reject(translateError(err, url));
        }
      };
      const r = https.request(url, { method: req.method, headers: req.headers, agent: this.agent, signal: req.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          if (answered) return;
          answered = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      r.setTimeout(this.socketTimeoutMs, () => r.destroy(Object.assign(new Error(`no data for ${this.socketTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      r.on('error', fail);
      const body = req.body;
      if (body instanceof Readable) {
        // The server may answer (416, 401) before it has read the body: the answer wins over the
        // write error that follows, so only a failure without an answer rejects.
        body.on('error', (err) => r.destroy(err));
        // An aborted or broken request must not leave the file open behind it.
        r.on('close', () => body.destroy());
        body.pipe(r);
      } else {
        r.end(body);
      }
    });
  }
}

function parseHttpsUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VcloudUsageError(`not a URL: '${text}'`);
  }
  if (url.protocol !== 'https:') throw new VcloudUsageError(`vCloud URLs must use https (TLS is always verified): '${url.origin}'`);
  return url;
}

function translateError(err: unknown, url: URL): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return err;
  const code = e?.code;
  const problem = networkProblemOf(code);
  // What to do about it (a CA file, a setting) is the front end's to say.
  if (isCertificateProblem(problem)) return new VcloudTlsError(`the TLS certificate of ${url.host} is not trusted (${e.message}); TLS verification stays on`, problem);
  return new VcloudConnectionError(`connection to ${url.host} failed: ${e?.message ?? String(err)}`, code);
}
