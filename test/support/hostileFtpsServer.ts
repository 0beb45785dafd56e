// A hostile FTPS server on 127.0.0.1 for the transfer tests: a small scripted FTP peer with
// explicit TLS on the control connection (AUTH TLS) and TLS on every passive data connection,
// certificate from the test CA. It speaks just enough FTP for basic-ftp's listing and download
// (USER/PASS, PBSZ/PROT, FEAT, TYPE, PWD/CWD, EPSV, LIST, SIZE, MDTM, REST, RETR, STOR) and lets a test
// script what it lies about: listings that announce one size, RETRs that send more or never end,
// bytes trickled one every few hundred milliseconds, names with `/`, `..` or control characters,
// listings without end, uploads it never reads.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { writeTestPki } from '../../client/src/simulator/testPki';

/** What the server sends for a data transfer (a LIST or a RETR). */
export type HostileBody =
  | { kind: 'bytes'; data: Buffer | string }
  /** `fill` repeated without end, as fast as the client reads. */
  | { kind: 'endless'; fill?: string }
  /** `data` one byte every `intervalMs`. */
  | { kind: 'trickle'; data: Buffer | string; intervalMs: number };

export interface HostileFile {
  /** The size LIST and SIZE announce. */
  size: number;
  /** What RETR sends (default: `size` random bytes, honestly). */
  body?: HostileBody;
  /** What SIZE answers after "213 " instead of `size`. */
  sizeReply?: string;
}

export interface HostileFtpsScript {
  files: Record<string, HostileFile>;
  /** What LIST sends instead of the honest listing of `files`. */
  listing?: HostileBody;
  /** STOR: 'stall' never reads the data (the client's writes back up); default: store it in `files`. */
  uploads?: 'stall';
}

export interface HostileFtpsServer {
  host: string;
  port: number;
  user: string;
  password: string;
  caFile: string;
  script: HostileFtpsScript;
  /** Bytes the server wrote on data connections (to show the client stopped early). */
  bytesSent: number;
  /** Commands received, in order (PASS shown without its argument). */
  commands: string[];
  close(): Promise<void>;
}

export async function startHostileFtpsServer(script: HostileFtpsScript): Promise<HostileFtpsServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ovfkit-hostile-ftps-'));
  const pki = await writeTestPki(dir);
  const secureContext = tls.createSecureContext({ key: pki.serverKeyPem, cert: pki.serverCertPem });
  const sockets = new Set<net.Socket>();
  const servers = new Set<net.Server>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const handle: HostileFtpsServer = {
    host: '127.0.0.1',
    port: 0,
    user: 'hostile',
    password: `pw-${randomBytes(6).toString('hex')}`,
    caFile: pki.caFile,
    script,
    bytesSent: 0,
    commands: [],
    async close() {
      for (const s of sockets) s.destroy();
      for (const s of servers) s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };

  const control = net.createServer((raw) => {
    track(raw);
    let socket: net.Socket = raw;
    let buffered = '';
    let restAt = 0;
    let pendingData: Promise<tls.TLSSocket> | undefined;
    const reply = (line: string) => socket.write(`${line}\r\n`);

    const openPassive = (): Promise<number> =>
      new Promise((resolve) => {
        const listener = tls.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (dataSocket) => {
          track(dataSocket);
          listener.close();
          servers.delete(listener);
          accept(dataSocket);
        });
        let accept: (s: tls.TLSSocket) => void = () => undefined;
        pendingData = new Promise((r) => (accept = r));
        listener.on('tlsClientError', () => undefined);
        servers.add(listener);
        listener.listen(0, '127.0.0.1', () => resolve((listener.address() as net.AddressInfo).port));
      });

    const transfer = async (body: HostileBody) => {
      const data = pendingData;
      pendingData = undefined;
      if (!data) return reply('425 Use EPSV first');
      reply('150 Opening data connection');
      const dataSocket = await data;
      await send(dataSocket, body, handle);
      if (!socket.destroyed) reply('226 Transfer complete');
    };

    const onCommand = async (line: string) => {
      const space = line.indexOf(' ');
      const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
      const arg = space < 0 ? '' : line.slice(space + 1);
      handle.commands.push(verb === 'PASS' ? 'PASS ***' : line);
      const script = handle.script;
      const file = script.files[arg];
      switch (verb) {
        case 'AUTH': {
          reply('234 Using TLS');
          const secure = new tls.TLSSocket(raw, { isServer: true, secureContext });
          track(secure);
          socket = secure;
          secure.on('data', onData);
          return;
        }
        case 'USER':
          return reply('331 Password required');
        case 'PASS':
          return reply(arg === handle.password ? '230 Logged in' : '530 Login incorrect');
        case 'PBSZ':
        case 'PROT':
        case 'TYPE':
        case 'OPTS':
          return reply('200 OK');
        case 'FEAT':
          return reply('211 No features');
        case 'PWD':
          return reply('257 "/"');
        case 'CWD':
          return reply('250 OK');
        case 'EPSV':
          return reply(`229 Entering Extended Passive Mode (|||${await openPassive()}|)`);
        case 'LIST':
          return transfer(script.listing ?? { kind: 'bytes', data: honestListing(script.files) });
        case 'SIZE':
          return file ? reply(`213 ${file.sizeReply ?? file.size}`) : reply('550 No such file');
        case 'MDTM':
          return file ? reply('213 20261201120000') : reply('550 No such file');
        case 'REST':
          restAt = Number(arg);
          return reply(`350 Restarting at ${restAt}`);
        case 'RETR': {
          if (!file) return reply('550 No such file');
          const body = file.body ?? { kind: 'bytes', data: randomBytes(file.size) };
          const from = restAt;
          restAt = 0;
          return transfer(from && body.kind !== 'endless' ? { ...body, data: Buffer.from(body.data).subarray(from) } : body);
        }
        case 'STOR': {
          const data = pendingData;
          pendingData = undefined;
          if (!data) return reply('425 Use EPSV first');
          reply('150 Ready to receive');
          const dataSocket = await data;
          if (script.uploads === 'stall') return void dataSocket.pause();
          let size = 0;
          dataSocket.on('data', (c: Buffer) => (size += c.length));
          await new Promise((resolve) => dataSocket.once('close', resolve));
          script.files[arg] = { size };
          return reply('226 Stored');
        }
        case 'QUIT':
          reply('221 Bye');
          return void socket.end();
        default:
          return reply('502 Not implemented');
      }
    };
    // One command at a time, in order, as FTP requires.
    let queue = Promise.resolve();
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let nl: number;
      while ((nl = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 2);
        queue = queue.then(async () => void (await onCommand(line))).catch(() => void socket.destroy());
      }
    };
    raw.on('data', (chunk) => {
      // After AUTH TLS the raw socket carries TLS records: only the TLS socket reads them.
      if (socket === raw) onData(chunk);
    });
    reply('220 hostile FTPS test server');
  });
  servers.add(control);
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', () => resolve()));
  handle.port = (control.address() as net.AddressInfo).port;
  return handle;
}

/** `ls -l` lines for the files, as a Unix FTP server lists them. */
export function honestListing(files: Record<string, HostileFile>): string {
  return Object.entries(files)
    .map(([name, f]) => `-rw-r--r--    1 ftp      ftp      ${String(f.size).padStart(10)} Dec 01 12:00 ${name}\r\n`)
    .join('');
}

function send(socket: tls.TLSSocket, body: HostileBody, counter: { bytesSent: number }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearInterval(timer);
      resolve();
    };
    let timer: NodeJS.Timeout | undefined;
    socket.once('close', done);
    socket.once('error', done);
    if (body.kind === 'bytes') {
      const data = Buffer.from(body.data);
      counter.bytesSent += data.length;
      socket.end(data);
      return;
    }
    if (body.kind === 'trickle') {
      const data = Buffer.from(body.data);
      let i = 0;
      timer = setInterval(() => {
        if (socket.destroyed) return done();
        if (i >= data.length) {
          clearInterval(timer);
          return void socket.end();
        }
        counter.bytesSent++;
        socket.write(data.subarray(i, ++i));
      }, body.intervalMs);
      return;
    }
    const block = Buffer.alloc(64 * 1024, body.fill ?? 'x');
    const pump = () => {
      while (!socket.destroyed) {
        counter.bytesSent += block.length;
        if (!socket.write(block)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}
