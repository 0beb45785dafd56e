// A real FTPS server on 127.0.0.1 for the transfer tests, with TLS required on the control and
// data connections and a certificate from the test CA. By default it is the npm `ftp-srv` server
// running in this process (so `npm test` needs nothing else); with OVFKIT_FTPS_SERVER=vsftpd it is
// Debian's vsftpd, started here from a generated config (see scripts/ci/vsftpd.sh for the user).
import { spawn, ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, chownSync, mkdirSync, mkdtempSync, openSync, readdirSync, readlinkSync, readFileSync, closeSync, readSync, statSync, writeSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { FileSystem, FtpConnection, FtpSrv } from 'ftp-srv';
import { writeTestPki } from '../../client/src/simulator/testPki';

export interface FtpsTestServer {
  kind: 'ftp-srv' | 'vsftpd';
  host: string;
  port: number;
  implicit: boolean;
  user: string;
  password: string;
  /** The test CA that signed the server's certificate (clients trust it explicitly). */
  caFile: string;
  /** Local folder behind the user's login folder: what arrived can be read back from here. */
  root: string;
  /** Whether the server lists a hash command in FEAT. */
  offersHash: boolean;
  /** A remote folder (relative to the login folder) where every write is refused. */
  readOnlyDir: string;
  /** A remote folder with (almost) no space left; undefined when this server has none. */
  fullDir?: string;
  /** A fresh empty remote folder for one test; returns its remote name. */
  freshDir(name: string): string;
  /** Drops every open session (control and data connections) at once, as a broken link would. */
  cutConnections(): void;
  /** Calls `action` once, while the upload is running, when the remote file has received `bytes`. */
  onFileReaches(remoteName: string, bytes: number, action: () => void): void;
  /** Drops only the session (control and data connection) that is writing `remoteName` now. */
  cutSessionWriting(remoteName: string): void;
  /**
   * Ends every session as vsftpd's does when the process serving it dies (a crash, the OOM killer):
   * the session's other process writes "500 OOPS: ..." in plain text onto the TLS control
   * connection and closes it.
   */
  crashSessions(): void;
  close(): Promise<void>;
}

export interface FtpsTestServerOptions {
  implicit?: boolean;
  /** Bytes per second a download is served at (vsftpd: local_max_rate, both ways), so a test can act mid-transfer. */
  maxRate?: number;
  /** ftp-srv only: damage a stored file (same size, one byte changed) to test hash verification. */
  corruptOnStore?: (remoteName: string) => boolean;
  /** Bytes per second each upload is taken at as well (ftp-srv paces its writes; vsftpd's local_max_rate does when maxRate is not set). */
  maxUploadRate?: number;
  /** Logged-in sessions the server accepts at once; more are refused (ftp-srv: 530 "Too many users", vsftpd: max_per_ip, 421). */
  maxSessions?: number;
}

export function ftpsServerKind(): 'ftp-srv' | 'vsftpd' {
  return process.env.OVFKIT_FTPS_SERVER === 'vsftpd' ? 'vsftpd' : 'ftp-srv';
}

export async function startFtpsTestServer(options: FtpsTestServerOptions = {}): Promise<FtpsTestServer> {
  return ftpsServerKind() === 'vsftpd' ? startVsftpd(options) : startFtpSrv(options);
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

// ---- ftp-srv (npm) -------------------------------------------------------------------------

const READ_ONLY = 'readonly';
const FULL = 'full';

async function startFtpSrv(options: FtpsTestServerOptions): Promise<FtpsTestServer> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-ftpsrv-'));
  const pki = await writeTestPki(path.join(work, 'pki'));
  const root = path.join(work, 'root');
  mkdirSync(path.join(root, READ_ONLY), { recursive: true });
  mkdirSync(path.join(root, FULL), { recursive: true });
  const user = 'stager';
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  installHashCommand();
  answerSizeOfEmptyFiles();
  boundPassiveWait();
  const triggers: Trigger[] = [];
  const writers = new Map<string, FtpConnection>();

  const signalsBefore = new Set([...process.listeners('SIGINT'), ...process.listeners('SIGTERM'), ...process.listeners('SIGQUIT')]);
  const pasvMin = 20000 + Math.floor(Math.random() * 30000);
  const server = new FtpSrv({
    url: `${options.implicit ? 'ftps' : 'ftp'}://127.0.0.1:0`,
    pasv_url: '127.0.0.1',
    pasv_min: pasvMin,
    pasv_max: pasvMin + 500,
    tls: { key: pki.serverKeyPem, cert: pki.serverCertPem },
    anonymous: false,
    log: silentLogger(),
  });
  // ftp-srv makes SIGINT/SIGTERM exit the process; the test runner owns those signals.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGQUIT'] as const) {
    for (const l of process.listeners(sig)) if (!signalsBefore.has(l)) process.removeListener(sig, l as () => void);
  }
  server.on('login', ({ connection, username, password: given }, resolve, reject) => {
    // TLS is required before login: a plain control connection is refused like vsftpd's force_local_logins_ssl.
    if (!connection.secure) return reject(new Error('TLS required on the control connection (use AUTH TLS)'));
    if (username !== user || given !== password) return reject(new Error('Login incorrect.'));
    if (options.maxSessions && Object.keys(connections).length > options.maxSessions) return reject(new Error('Sorry, too many users logged in.'));
    if (options.corruptOnStore) {
      connection.on('STOR', (err: unknown, serverPath: string) => {
        if (!err && options.corruptOnStore!(path.relative(root, serverPath).split(path.sep).join('/'))) flipFirstByte(serverPath);
      });
    }
    resolve({ fs: new StagingFileSystem(connection, { root, cwd: '/' }, triggers, options.maxRate, writers, options.maxUploadRate) });
  });
  server.on('client-error', () => undefined);
  const connections = (server as unknown as { connections: Record<string, InternalConnection> }).connections;
  await server.listen();
  const port = ((server as unknown as { server: net.Server }).server.address() as net.AddressInfo).port;

  const handle: FtpsTestServer = {
    kind: 'ftp-srv',
    host: '127.0.0.1',
    port,
    implicit: !!options.implicit,
    user,
    password,
    caFile: pki.caFile,
    root,
    offersHash: true,
    readOnlyDir: READ_ONLY,
    fullDir: FULL,
    freshDir(name) {
      mkdirSync(path.join(root, name), { recursive: true });
      return name;
    },
    cutConnections() {
      for (const c of Object.values(connections)) {
        c.connector?.dataSocket?.destroy();
        c.commandSocket?.destroy();
      }
    },
    onFileReaches(name, bytes, action) {
      triggers.push({ name, bytes, action });
    },
    crashSessions() {
      for (const c of Object.values(connections)) {
        c.connector?.dataSocket?.destroy();
        // Beneath the TLS socket (after AUTH TLS): bytes written to the TCP socket reach the client
        // in clear. A session still before AUTH TLS has only the TCP socket.
        const socket = c.commandSocket as (net.Socket & { _parent?: net.Socket }) | undefined;
        (socket?._parent ?? socket)?.end('500 OOPS: child died\r\n');
      }
    },
    cutSessionWriting(name) {
      const c = writers.get(name) as unknown as InternalConnection | undefined;
      c?.connector?.dataSocket?.destroy();
      c?.commandSocket?.destroy();
    },
    async close() {
      this.cutConnections();
      await server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return handle;
}

interface InternalConnection {
  commandSocket?: net.Socket;
  connector?: { dataSocket?: net.Socket | null };
}

/**
 * ftp-srv's own file system, with what a staging area does that it does not: partial files are
 * kept when a transfer breaks (ftp-srv deletes them), `readonly/` refuses writes, `full/` has no space.
 */
type Trigger = { name: string; bytes: number; action: () => void };

/**
 * Takes writes at `rate` bytes per second: each write completes only when it is due, so the
 * stream's buffer fills and backpressure reaches the data connection (ftp-srv's pipe ignores a
 * plain `false` from write, but a full buffer holds it).
 */
function paceWrites(stream: Writable, rate: number): void {
  const started = Date.now();
  let taken = 0;
  const whenDue = (bytes: number, done: (err?: Error | null) => void) => (err?: Error | null) => {
    if (err) return done(err);
    taken += bytes;
    const ahead = started + (taken / rate) * 1000 - Date.now();
    if (ahead > 0) setTimeout(done, ahead);
    else done();
  };
  const inner = stream as Writable & { _write: Writable['_write']; _writev?: Writable['_writev'] };
  const write = inner._write.bind(inner);
  inner._write = (chunk: Buffer, encoding, done) => write(chunk, encoding, whenDue(chunk.length, done));
  if (inner._writev) {
    const writev = inner._writev.bind(inner);
    inner._writev = (chunks, done) => writev(chunks, whenDue(chunks.reduce((n, c) => n + (c.chunk as Buffer).length, 0), done));
  }
}

class StagingFileSystem extends FileSystem {
  constructor(private readonly session: FtpConnection, options: { root: string; cwd: string }, private readonly triggers: Trigger[], private readonly maxRate?: number, private readonly writers?: Map<string, FtpConnection>, private readonly maxUploadRate?: number) {
    super(session, options);
  }

  override read(fileName: string, opts: { start?: number } = {}): Promise<unknown> {
    const { fsPath, clientPath } = (this as unknown as { _resolvePath(p: string): { fsPath: string; clientPath: string } })._resolvePath(fileName);
    if (!this.maxRate) return super.read(fileName, opts);
    const rate = this.maxRate;
    // Paced in 64 KiB steps, like a server with a per-session rate limit.
    async function* paced() {
      const started = Date.now();
      let sent = 0;
      for await (const chunk of createReadStream(fsPath, { start: opts.start, highWaterMark: 64 * 1024 })) {
        sent += (chunk as Buffer).length;
        const due = started + (sent / rate) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        yield chunk as Buffer;
      }
    }
    // Paused until ftp-srv has sent 150 and resumes it (it attaches 'data' first).
    const stream = Readable.from(paced()).pause();
    return Promise.resolve({ stream, clientPath });
  }

  override write(fileName: string, opts: { append?: boolean; start?: number } = {}): unknown {
    const { fsPath, clientPath } = (this as unknown as { _resolvePath(p: string): { fsPath: string; clientPath: string } })._resolvePath(fileName);
    const top = clientPath.split('/').filter(Boolean)[0];
    if (top === READ_ONLY) throw new Error(`${clientPath}: Permission denied`);
    if (top === FULL) throw new Error(`${clientPath}: No space left on device`);
    const stream = createWriteStream(fsPath, { flags: opts.append ? 'a' : opts.start ? 'r+' : 'w', start: opts.append ? undefined : opts.start });
    const name = clientPath.replace(/^\//, '');
    this.writers?.set(name, this.session);
    const trigger = this.triggers.find((t) => t.name === name);
    if (trigger) {
      // Counts what arrives and fires the test's action once the file holds enough.
      let written = opts.append ? statSync(fsPath).size : opts.start ?? 0;
      const write = stream.write.bind(stream) as (chunk: Buffer, ...rest: unknown[]) => boolean;
      stream.write = ((chunk: Buffer, ...rest: unknown[]) => {
        written += chunk.length;
        if (written >= trigger.bytes && this.triggers.includes(trigger)) {
          this.triggers.splice(this.triggers.indexOf(trigger), 1);
          setImmediate(trigger.action);
        }
        return write(chunk, ...rest);
      }) as typeof stream.write;
    }
    if (this.maxUploadRate) paceWrites(stream, this.maxUploadRate);
    return { stream, clientPath };
  }
  override mkdir(dir: string): Promise<unknown> {
    const { clientPath } = (this as unknown as { _resolvePath(p: string): { clientPath: string } })._resolvePath(dir);
    if (clientPath.split('/').filter(Boolean)[0] === READ_ONLY) return Promise.reject(new Error(`${clientPath}: Permission denied`));
    return super.mkdir(dir);
  }
}

function flipFirstByte(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, 0);
    b[0] ^= 0xff;
    writeSync(fd, b, 0, 1, 0);
  } finally {
    closeSync(fd);
  }
}

/** HASH (draft-bryan-ftpext-hash) with SHA-256, so the suite covers server-side verification. */
function installHashCommand(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const registry = require('ftp-srv/src/commands/registry') as Record<string, unknown>;
  if (registry.HASH) return;
  registry.HASH = {
    directive: 'HASH',
    handler: async function (this: FtpConnection & { fs: { _resolvePath(p: string): { fsPath: string } } }, { command }: { command: { arg: string } }) {
      try {
        const { fsPath } = this.fs._resolvePath(command.arg);
        const size = statSync(fsPath).size;
        const hex = createHash('sha256').update(readFileSync(fsPath)).digest('hex');
        return this.reply(213, `SHA-256 0-${Math.max(0, size - 1)} ${hex} ${command.arg}`);
      } catch (err) {
        return this.reply(550, (err as Error).message);
      }
    },
    syntax: '{{cmd}} <path>',
    description: 'Hash of a file',
    flags: { feat: 'HASH SHA-256*' },
  };
}

/**
 * ftp-srv answers SIZE of an empty file "213 File status" (its size, 0, is falsy, so the code's
 * default words go out), which no client can read as a number. Real servers (vsftpd) say "213 0".
 * A cancelled run can leave an empty file that the next run's resume asks about (npm test failed on it).
 */
function answerSizeOfEmptyFiles(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const registry = require('ftp-srv/src/commands/registry') as Record<string, { handler: unknown; ovfkitSized?: boolean }>;
  if (registry.SIZE.ovfkitSized) return;
  registry.SIZE.ovfkitSized = true;
  registry.SIZE.handler = async function (this: FtpConnection & { fs: { get(p: string): Promise<{ size: number }> } }, { command }: { command: { arg: string } }) {
    try {
      const stat = await this.fs.get(command.arg);
      return this.reply(213, String(stat.size));
    } catch (err) {
      return this.reply(550, (err as Error).message);
    }
  };
}

/**
 * ftp-srv's passive connector polls for the data connection every 50 ms and, when the client
 * went away between PASV and connecting (a cancel, one of several parallel sessions), never
 * stops polling: the timer keeps the test process alive. Same wait, bounded.
 */
function boundPassiveWait(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Passive = require('ftp-srv/src/connector/passive') as { prototype: Record<string, unknown> };
  if (Passive.prototype.ovfkitBounded) return;
  Passive.prototype.ovfkitBounded = true;
  // ftp-srv's commands chain bluebird methods on the answer and catch its TimeoutError.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Bluebird = require('bluebird') as { resolve<T>(p: Promise<T>): Promise<T>; TimeoutError: new (message: string) => Error };
  Passive.prototype.waitForConnection = function (this: { dataServer?: net.Server; dataSocket?: net.Socket & { connected?: boolean } }, { timeout = 5000, delay = 50 } = {}) {
    const wait = async () => {
      if (!this.dataServer) throw new Error('Passive server not setup');
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        if (this.dataServer?.listening && this.dataSocket?.connected) return this.dataSocket;
        await new Promise((r) => setTimeout(r, delay));
      }
      throw new Bluebird.TimeoutError('operation timed out');
    };
    return Bluebird.resolve(wait());
  };
}

function silentLogger(): unknown {
  const log: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) log[level] = () => undefined;
  log.child = () => log;
  return log;
}

// ---- vsftpd (Debian) -----------------------------------------------------------------------

/** Set by scripts/ci/vsftpd.sh: a local user whose home is the staging folder. */
function vsftpdEnv(): { user: string; password: string; home: string; fullDir?: string; binary: string; ratePerConnection?: number } {
  const user = process.env.OVFKIT_FTPS_USER;
  const password = process.env.OVFKIT_FTPS_PASSWORD;
  const home = process.env.OVFKIT_FTPS_HOME;
  if (!user || !password || !home) {
    throw new Error('OVFKIT_FTPS_SERVER=vsftpd needs OVFKIT_FTPS_USER, OVFKIT_FTPS_PASSWORD and OVFKIT_FTPS_HOME (see scripts/ci/vsftpd.sh)');
  }
  return { user, password, home, fullDir: process.env.OVFKIT_FTPS_FULL_DIR || undefined, binary: process.env.OVFKIT_VSFTPD || '/usr/sbin/vsftpd', ratePerConnection: Number(process.env.OVFKIT_FTPS_RATE_PER_CONNECTION) || undefined };
}

async function startVsftpd(options: FtpsTestServerOptions): Promise<FtpsTestServer> {
  const env = vsftpdEnv();
  const work = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-vsftpd-'));
  chmodSync(work, 0o755);
  const pki = await writeTestPki(path.join(work, 'pki'));
  const port = await freePort();
  const pasvMin = 20000 + Math.floor(Math.random() * 30000);
  const owner = statSync(env.home);
  const readOnly = path.join(env.home, READ_ONLY);
  mkdirSync(readOnly, { recursive: true });
  chownSync(readOnly, 0, 0);
  chmodSync(readOnly, 0o555);
  const emptyDir = path.join(work, 'empty');
  mkdirSync(emptyDir, { mode: 0o755 });
  const conf = path.join(work, 'vsftpd.conf');
  writeFileSync(
    conf,
    [
      'listen=YES',
      'listen_ipv6=NO',
      'listen_address=127.0.0.1',
      `listen_port=${port}`,
      'background=NO',
      'anonymous_enable=NO',
      'local_enable=YES',
      'write_enable=YES',
      'local_umask=022',
      'chroot_local_user=NO',
      'pam_service_name=vsftpd',
      `secure_chroot_dir=${emptyDir}`,
      'seccomp_sandbox=NO',
      'isolate=NO',
      'isolate_network=NO',
      'pasv_enable=YES',
      'pasv_address=127.0.0.1',
      `pasv_min_port=${pasvMin}`,
      `pasv_max_port=${pasvMin + 200}`,
      'ssl_enable=YES',
      `implicit_ssl=${options.implicit ? 'YES' : 'NO'}`,
      'force_local_logins_ssl=YES',
      'force_local_data_ssl=YES',
      'require_ssl_reuse=YES',
      'ssl_ciphers=HIGH',
      `rsa_cert_file=${pki.certFile}`,
      `rsa_private_key_file=${pki.keyFile}`,
      'xferlog_enable=NO',
      // A bench caps every session through the environment (scripts/ci/vsftpd.sh --rate-per-connection).
      ...(options.maxRate || options.maxUploadRate || env.ratePerConnection ? [`local_max_rate=${options.maxRate ?? options.maxUploadRate ?? env.ratePerConnection}`] : []),
      ...(options.maxSessions ? [`max_per_ip=${options.maxSessions}`] : []),
      `vsftpd_log_file=${path.join(work, 'vsftpd.log')}`,
      '',
    ].join('\n'),
  );
  const child = spawn(env.binary, [conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  await waitForListening(port, child, () => stderr);

  const handle: FtpsTestServer = {
    kind: 'vsftpd',
    host: '127.0.0.1',
    port,
    implicit: !!options.implicit,
    user: env.user,
    password: env.password,
    caFile: pki.caFile,
    root: env.home,
    offersHash: false,
    readOnlyDir: READ_ONLY,
    fullDir: env.fullDir,
    freshDir(name) {
      const dir = path.join(env.home, name);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      chownSync(dir, owner.uid, owner.gid);
      return name;
    },
    cutConnections() {
      // vsftpd runs one process (tree) per session under the listener: ending them drops the session.
      killFrozen(() => descendantsOf(child.pid!));
    },
    cutSessionWriting(name) {
      // The whole session (vsftpd's privileged and unprivileged processes) whose tree has the file open.
      const file = path.join(env.home, name);
      for (const session of childrenOf(child.pid!)) {
        const tree = [session, ...descendantsOf(session)];
        const writing = tree.some((pid) => {
          try {
            return readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`) === file);
          } catch {
            return false;
          }
        });
        if (!writing) continue;
        killFrozen(() => [session, ...descendantsOf(session)]);
      }
    },
    crashSessions() {
      // A session is a process under the listener with two children: killing them leaves the
      // session process, which writes its 500 OOPS in clear (seen every time here).
      for (const session of childrenOf(child.pid!)) {
        for (const serving of childrenOf(session)) signal(serving, 'SIGKILL');
      }
    },
    onFileReaches(name, bytes, action) {
      // vsftpd has no hook: watch the file grow (the session is rate-limited by maxRate).
      const file = path.join(env.home, name);
      const deadline = Date.now() + 60_000;
      const timer = setInterval(() => {
        let size = 0;
        try {
          size = statSync(file).size;
        } catch {
          // not created yet
        }
        if (size >= bytes || Date.now() > deadline) {
          clearInterval(timer);
          if (size >= bytes) action();
        }
      }, 2);
    },
    async close() {
      this.cutConnections();
      await stop(child);
      rmSync(work, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * Kills the processes `list` names, all of them stopped first. A vsftpd session is a session
 * process with two children; when a child dies before it, the session process writes "500 OOPS"
 * as plain text onto the TLS control socket (crashSessions does this on purpose), which the
 * client reads as a TLS failure ("wrong version number"), not as the dropped connection a cut
 * means (seen in CI). Stopped processes write nothing; listing again until no new process appears
 * catches one forked meanwhile.
 */
function killFrozen(list: () => number[]): void {
  const frozen = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const fresh = list().filter((pid) => !frozen.has(pid));
    if (!fresh.length) break;
    for (const pid of fresh) {
      frozen.add(pid);
      signal(pid, 'SIGSTOP');
    }
  }
  for (const pid of frozen) signal(pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function readlinkSafe(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}

function childrenOf(parent: number): number[] {
  const all = descendantsOf(parent);
  return all.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
    } catch {
      return false;
    }
  });
}

function descendantsOf(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces or parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // process ended meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForListening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vsftpd exited with ${child.exitCode}: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vsftpd did not listen on 127.0.0.1:${port} within 10 s: ${stderr()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
