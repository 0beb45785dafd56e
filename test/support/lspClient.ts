// An LSP client over stdio for protocol tests: starts the built server (dist/server.js) and speaks
// JSON-RPC to it through vscode-jsonrpc (the library the real client uses), so framing and the
// shutdown/exit sequence are the library's, not hand-written.
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { LANGUAGE_SERVER_NODE_FLAGS } from '../../server/src/serverFlags';

type Handler = (params: any) => void;

export class LspClient {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly listeners = new Map<string, Handler[]>();
  private closed = false;
  /** Requests the server sends us, answered by these handlers (default: null). */
  readonly requestHandlers = new Map<string, (params: any) => unknown>();
  stderr = '';

  constructor(serverPath = path.resolve('dist/server.js')) {
    this.child = spawn(process.execPath, [...LANGUAGE_SERVER_NODE_FLAGS, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    // A server that died must fail the test through its requests, not through an EPIPE on stdin.
    this.child.stdin!.on('error', () => {});
    this.child.on('exit', () => (this.closed = true));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification((method, params) => {
      for (const h of this.listeners.get(method) ?? []) h(params);
    });
    this.connection.onRequest((method, params) => {
      const handler = this.requestHandlers.get(method);
      return handler ? handler(params) : null;
    });
    this.connection.onError(() => {});
    this.connection.listen();
  }

  async initialize(capabilities: object = {}, initializationOptions?: object): Promise<any> {
    const result = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    this.notify('initialized', {});
    return result;
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): void {
    if (!this.closed) void this.connection.sendNotification(method, params).catch(() => {});
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

  /** shutdown, then exit, then wait for the process to end (killed if it does not within 5 s). */
  async shutdown(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    try {
      if (!this.closed) {
        await Promise.race([this.request('shutdown', null).catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
        this.notify('exit', null);
      }
      await exited;
    } finally {
      clearTimeout(killer);
      this.connection.dispose();
    }
  }
}
