// A minimal LSP client over stdio for protocol tests: starts the built server (dist/server.js),
// sends requests and notifications, and collects what the server publishes.
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../server/src/serverFlags';

type Handler = (params: any) => void;

export class LspClient {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Handler[]>();
  /** Requests the server sends us, answered by these handlers (default: null). */
  readonly requestHandlers = new Map<string, (params: any) => unknown>();
  stderr = '';

  constructor(serverPath = path.resolve('dist/server.js')) {
    this.child = spawn(process.execPath, [...LANGUAGE_SERVER_NODE_FLAGS, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    // An answer to a request the server sent just before it exited (a configuration or watcher
    // registration racing the shutdown) has nowhere to go: drop it instead of failing on EPIPE.
    this.child.stdin!.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }

  async initialize(capabilities: object = {}, initializationOptions?: object): Promise<any> {
    const result = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    this.notify('initialized', {});
    return result;
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  on(method: string, handler: Handler): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), handler]);
  }

  /** Resolves with the first notification of `method` whose params satisfy `match`. */
  waitFor<T = any>(method: string, match: (params: T) => boolean = () => true, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms; server stderr: ${this.stderr}`)), timeoutMs);
      const handler: Handler = (params) => {
        if (!match(params)) return;
        clearTimeout(timer);
        this.listeners.set(method, (this.listeners.get(method) ?? []).filter((h) => h !== handler));
        resolve(params);
      };
      this.on(method, handler);
    });
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.child.kill('SIGKILL'), 500).unref();
    }
  }

  private send(message: object): void {
    if (this.child.exitCode !== null || this.child.stdin!.destroyed) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin!.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: any): void {
    if (message.id !== undefined && message.method === undefined) {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) p?.reject(new Error(message.error.message));
      else p?.resolve(message.result);
    } else if (message.id !== undefined) {
      const handler = this.requestHandlers.get(message.method);
      this.send({ jsonrpc: '2.0', id: message.id, result: handler ? handler(message.params) : null });
    } else {
      for (const h of this.listeners.get(message.method) ?? []) h(message.params);
    }
  }
}
