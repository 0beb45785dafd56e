// The FTPS sessions of one transfer: one per worker of a parallel run, each with its own login and
// TLS session (a data connection belongs to one control connection, so files in parallel need
// sessions in parallel). A server that refuses an extra session (421, 530 "too many
// connections") is not a failure: that worker retires and the others carry its files, the one it
// was sending too when the refusal comes on a reconnect mid-file.
import { HandBack, WorkerContext } from '../common/parallel';
import { RetryPolicy, withRetries } from '../common/backoff';
import { endpointPort, FtpsEndpoint, FtpsSession, openFtpsSession } from './connection';
import { classifyFtpsFailure, FtpsCancelledError, FtpsError, isSessionLimitRefusal } from './errors';
import { isTransientFtpsError } from './retry';

export interface FtpsSessionsOptions {
  endpoint: FtpsEndpoint;
  remoteDir?: string;
  log: (line: string) => void;
  /** Told once, when the server first accepted a login. */
  onLoggedIn?: () => void;
}

export class FtpsSessions {
  private readonly open = new Map<number, FtpsSession>();
  private loggedIn = false;
  private refusals = 0;
  private limitNoted = false;

  constructor(private readonly options: FtpsSessionsOptions) {}

  /** The worker's session, logged in and in the remote folder; a new one when it has none or it closed. */
  async connect(worker: number, signal?: AbortSignal): Promise<FtpsSession> {
    const current = this.open.get(worker);
    if (current && !current.client.closed) return current;
    const { endpoint } = this.options;
    const session = await openFtpsSession(endpoint, signal);
    this.open.set(worker, session);
    if (!this.loggedIn) this.options.onLoggedIn?.();
    this.loggedIn = true;
    this.options.log(`connected to ${endpoint.host}:${endpointPort(endpoint)} as ${endpoint.user} (TLS ${endpoint.implicit ? 'implicit' : 'explicit'}${worker ? `, session ${worker + 1}` : ''})`);
    if (this.options.remoteDir) await session.client.cd(this.options.remoteDir);
    return session;
  }

  /**
   * The worker's session for a try at a file. An extra worker whose reconnect the server refuses for
   * want of sessions hands the file back (another worker resumes it from what the server has)
   * instead of waiting for a slot the others may hold all along; the last worker keeps retrying.
   */
  async connectForFile(ctx: Pick<WorkerContext, 'worker' | 'othersWorking'>, signal?: AbortSignal): Promise<FtpsSession> {
    try {
      return await this.connect(ctx.worker, signal);
    } catch (err) {
      if (signal?.aborted || ctx.worker === 0) throw err;
      const typed = classifyFtpsFailure(err, { host: this.options.endpoint.host, port: endpointPort(this.options.endpoint), doing: 'reconnecting' });
      if (!isSessionLimitRefusal(typed) || !ctx.othersWorking()) throw err;
      this.drop(ctx.worker);
      this.refusals++;
      this.options.log(`session ${ctx.worker + 1} was refused on reconnecting (${typed.replyCode} "${typed.serverReply ?? ''}"); its file goes to another session`);
      throw new HandBack(typed);
    }
  }

  /** Closes the worker's session (a transient failure: the next try reconnects). */
  drop(worker: number): void {
    this.open.get(worker)?.close();
    this.open.delete(worker);
  }

  closeAll(): void {
    for (const worker of [...this.open.keys()]) this.drop(worker);
  }

  /**
   * For runInParallel: the worker's session before its first file, closed when the run stops.
   * Worker 0 logs in first (retried like a file; its failure is the transfer's), or has its
   * session already (the descriptor went on it); an extra worker the server refuses retires,
   * said once in the log, and the run goes on with the sessions it has.
   */
  async startWorker(ctx: WorkerContext, parallel: number, retry: Required<RetryPolicy>): Promise<boolean> {
    ctx.signal.addEventListener('abort', () => this.drop(ctx.worker), { once: true });
    if (ctx.worker === 0) {
      await withRetries(
        async () => {
          try {
            return await this.connect(0, ctx.signal);
          } catch (err) {
            if (ctx.signal.aborted) throw new FtpsCancelledError();
            this.drop(0);
            throw classifyFtpsFailure(err, { host: this.options.endpoint.host, port: endpointPort(this.options.endpoint), doing: 'connecting and logging in' });
          }
        },
        { policy: retry, signal: ctx.signal, isTransient: isTransientFtpsError, cancelled: () => new FtpsCancelledError() },
      );
      return true;
    }
    try {
      await this.connect(ctx.worker, ctx.signal);
      return true;
    } catch (err) {
      if (ctx.signal.aborted) return false;
      this.drop(ctx.worker);
      this.refusals++;
      if (isSessionLimitRefusal(err)) {
        if (!this.limitNoted) this.options.log(`the server refused another session (${(err as FtpsError).replyCode} "${(err as FtpsError).serverReply ?? ''}"); continuing with the sessions it accepted (fewer than ${parallel} files at once)`);
        this.limitNoted = true;
      } else {
        this.options.log(`session ${ctx.worker + 1} could not be opened (${(err as Error).message}); continuing without it`);
      }
      return false;
    }
  }

  /** Workers that retired because the server would not give them a session. */
  get retired(): number {
    return this.refusals;
  }
}
