// JSON over HTTPS for the CaaS API. TLS is always verified (a custom CA is added to Node's roots,
// never replaces verification). Basic credentials go to the one host the user gave: redirects are
// never followed. Answers are capped by bytes received and every request has an overall deadline.
// Failures become CloudControlErrors carrying the response object's fields verbatim.
import * as https from 'node:https';
import { describeLimit } from '../common/limits';
import { isCertificateProblem, networkProblemOf } from '../common/networkProblems';
import { printable } from '../common/sanitise';
import { CloudControlError } from './errors';
import { trustedCas } from '../common/trust';

/** API answers are small (a page of 250 images is well under a megabyte). */
export const DEFAULT_MAX_ANSWER_BYTES = 4 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** Longest server message kept in an error: a hostile server cannot flood a terminal. */
const MAX_SERVER_TEXT = 2000;

export interface JsonHttpOptions {
  /** host or host:port */
  apiHost: string;
  user: string;
  password: string;
  /** PEM text of a CA trusted besides Node's roots (read from the endpoint's caFile). */
  trustedCa?: string;
  requestTimeoutMs?: number;
  maxAnswerBytes?: number;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** The fields of the API's response object (every answer that is not a resource). */
export interface ResponseObject {
  operation?: string;
  responseCode?: string;
  message?: string;
  info?: Array<{ name?: string; value?: string }>;
  requestId?: string;
}

export function serverText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = printable(value);
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT)}…` : text;
}

export class JsonHttp {
  private readonly agent: https.Agent;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: JsonHttpOptions) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: trustedCas(options.trustedCa) });
    this.authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Sends one request to `path` (below https://apiHost/) and returns the parsed JSON of a 2xx
   * answer; any other answer throws. `signal` cancels (kind 'cancelled').
   */
  async send(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const answer = await this.exchange(method, path, body, signal);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    throw failureOf(answer, `${method} ${path}`);
  }

  private exchange(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<JsonAnswer> {
    const url = new URL(`https://${this.options.apiHost}/${path.replace(/^\//, '')}`);
    const shown = `${method} ${printable(url.pathname)}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { Accept: 'application/json', Authorization: this.authorization };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    return new Promise<JsonAnswer>((resolve, reject) => {
      if (signal?.aborted) return reject(new CloudControlError('cancelled', `${shown}: cancelled`));
      let settled = false;
      const settle = (err: unknown, answer?: JsonAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onAbort);
        if (answer) resolve(answer);
        else reject(err instanceof CloudControlError ? err : translateNetworkError(err, url.host, shown));
      };
      const onAbort = () => {
        settle(new CloudControlError('cancelled', `${shown}: cancelled`));
        req.destroy();
      };
      const req = https.request(url, { method, headers, agent: this.agent }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          const where = typeof res.headers.location === 'string' ? ` to ${printable(res.headers.location)}` : '';
          res.resume();
          // Following would send the password wherever the server points.
          return settle(new CloudControlError('protocol', `${shown}: the server redirected${where}; ovfkit does not follow redirects (credentials go only to ${url.host})`, { status }));
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > this.maxBytes) {
            settle(new CloudControlError('protocol', `${shown}: the answer is larger than ${describeLimit(this.maxBytes)}; ovfkit stopped reading at that cap`, { status }));
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', settle);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text.trim() === '' ? undefined : JSON.parse(text);
          } catch {
            // A 401 or a proxy's error page need not be JSON; the status says enough then.
            if (status >= 200 && status < 300) return settle(new CloudControlError('protocol', `${shown}: the answer is not JSON (HTTP ${status}, ${printable(String(res.headers['content-type'] ?? 'no content type'))})`, { status }));
          }
          settle(undefined, { status, body: parsed });
        });
      });
      const deadline = setTimeout(() => {
        settle(new CloudControlError('timeout', `${shown}: no complete answer within ${this.timeoutMs / 1000} s`));
        req.destroy();
      }, this.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', settle);
      req.end(payload);
    });
  }
}

/** The error for a non-2xx answer: its status, and the response object's fields verbatim. */
export function failureOf(answer: JsonAnswer, what: string): CloudControlError {
  const r = (isObject(answer.body) ? answer.body : {}) as ResponseObject;
  const details = { status: answer.status, responseCode: serverText(r.responseCode), serverMessage: serverText(r.message), requestId: serverText(r.requestId) };
  const said = details.responseCode || details.serverMessage ? `: ${[details.responseCode, details.serverMessage].filter(Boolean).join(': ')}` : '';
  if (answer.status === 401) return new CloudControlError('auth', `the login was refused (HTTP 401): check the user name (case-sensitive) and password${said}`, details);
  if (answer.status === 404 || details.responseCode === 'RESOURCE_NOT_FOUND') return new CloudControlError('not-found', `${what}: not found (HTTP ${answer.status})${said}`, details);
  return new CloudControlError('refused', `${what}: the server refused (HTTP ${answer.status})${said}`, details);
}

function translateNetworkError(err: unknown, host: string, shown: string): CloudControlError {
  const e = err as NodeJS.ErrnoException;
  const problem = networkProblemOf(e?.code);
  if (isCertificateProblem(problem)) return new CloudControlError('tls', `the TLS certificate of ${host} is not trusted (${e.message}); TLS verification stays on: give the CA that signed it (--ca FILE)`, { problem });
  return new CloudControlError('network', `${shown}: connection to ${host} failed: ${e?.message ?? String(err)}`, { problem });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
