// HTTPS requests for the vCloud API and the transfer service, over Node's own https module with a
// keep-alive agent. TLS verification is always on; a private CA is added to Node's roots, never
// substituted for verification. Failures become the typed errors of errors.ts. A server decides
// neither how much ovfkit reads (answers are capped by bytes received) nor how long it waits
// (every request has an overall deadline besides the idle timeout).
import * as https from 'node:https';
import { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { describeLimit } from '../common/limits';
import { MAX_PARALLEL } from '../common/parallel';
import { isCertificateProblem, isTransientProblem, networkProblemOf } from '../common/networkProblems';
import { printable } from '../common/sanitise';
import { VcloudConnectionError, VcloudResponseTooLargeError, VcloudTimeoutError, VcloudTlsError, VcloudUsageError } from './errors';
import { PREFERRED_CIPHERS, trustedCas } from '../common/trust';

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
  trustedCa?: string;
  /** Idle socket timeout; a stalled request fails with ETIMEDOUT (transient). */
  socketTimeoutMs?: number;
  /** Most bytes read of one answer (default 8 MiB: vCloud's API answers are far smaller). */
  maxResponseBytes?: number;
  /** Overall deadline of one request, a chunk PUT included, from sending to the answer's last byte (default 300 s). */
  requestTimeoutMs?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 300;
/** How a user raises the request deadline, for the timeout's message. */
const RAISE_REQUEST_TIMEOUT = 'raise it with --request-timeout SECONDS or the setting ovfkit.vcloud.requestTimeoutSeconds; a smaller --chunk-size / ovfkit.vcloud.chunkSize also helps on a slow link';

export class HttpClient {
  private readonly agent: https.Agent;
  private readonly socketTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly requestTimeoutMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.agent = new https.Agent({
      keepAlive: true,
      // Up to 8 files in parallel (issue #15), plus the API's status requests beside them.
      maxSockets: MAX_PARALLEL + 2,
      ca: trustedCas(options.trustedCa),
      ciphers: PREFERRED_CIPHERS,
    });
    this.socketTimeoutMs = options.socketTimeoutMs ?? 120_000;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;
  }

  close(): void {
    this.agent.destroy();
  }

  /** Sends one request and reads the answer as text, up to the cap and within the deadline. */
  request(req: HttpRequest): Promise<HttpResponse> {
    const url = parseHttpsUrl(req.url);
    const shown = `${req.method} ${printable(url.href)}`;
    return new Promise<HttpResponse>((resolve, reject) => {
      let answered = false;
      const settle = (err: unknown, res?: HttpResponse) => {
        if (answered) return;
        answered = true;
        clearTimeout(deadline);
        if (res) resolve(res);
        else reject(err instanceof VcloudTimeoutError || err instanceof VcloudResponseTooLargeError ? err : translateError(err, url));
      };
      const r = https.request(url, { method: req.method, headers: req.headers, agent: this.agent, signal: req.signal }, (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > this.maxResponseBytes) {
            settle(new VcloudResponseTooLargeError(`${shown}: the answer is larger than ${describeLimit(this.maxResponseBytes)}; ovfkit stopped reading at that cap`));
            r.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', settle);
        res.on('end', () => settle(undefined, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      const deadline = setTimeout(() => {
        settle(new VcloudTimeoutError(`the answer to ${shown}`, this.requestTimeoutMs / 1000, RAISE_REQUEST_TIMEOUT));
        r.destroy();
      }, this.requestTimeoutMs);
      r.setTimeout(this.socketTimeoutMs, () => r.destroy(Object.assign(new Error(`no data for ${this.socketTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      r.on('error', settle);
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
    throw new VcloudUsageError(`not a URL: '${printable(text)}'`);
  }
  if (url.protocol !== 'https:') throw new VcloudUsageError(`vCloud URLs must use https (TLS is always verified): '${printable(url.origin)}'`);
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
