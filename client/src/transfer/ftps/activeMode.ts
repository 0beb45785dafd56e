// Active-mode data connections (PORT/EPRT) for basic-ftp, which only does passive ones. The server
// connects to a port we open; TLS on that connection is still ours to start as the client
// (RFC 4217), resuming the control connection's session as servers require.
//
// Servers differ in when they connect: some at PORT, vsftpd only after STOR/RETR, just before
// their 150 reply. basic-ftp wants the data socket in place before the transfer command, so the TLS
// socket is created at once over a bridge that the server's connection plugs into when it arrives.
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { FTPContext, FTPResponse } from 'basic-ftp';

export async function enterActiveMode(ftp: FTPContext): Promise<FTPResponse> {
  const localAddress = ftp.socket.localAddress;
  const serverAddress = ftp.socket.remoteAddress;
  if (!localAddress || !serverAddress) throw new Error('active mode: the control connection is not open');
  const listener = net.createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, localAddress, () => resolve());
  });
  const { port } = listener.address() as net.AddressInfo;
  const command = net.isIPv6(localAddress) ? `EPRT |2|${localAddress}|${port}|` : `PORT ${localAddress.split('.').join(',')},${port >> 8},${port & 255}`;

  const bridge = new SocketBridge();
  const timer = setTimeout(() => {
    listener.close();
    bridge.destroy(new Error(`active mode: the server did not connect to ${localAddress}:${port} within ${ftp.timeout} ms`));
  }, ftp.timeout || 30_000);
  listener.on('connection', (socket) => {
    // Only the server we talk to may deliver the data.
    if (socket.remoteAddress !== serverAddress) {
      socket.destroy();
      return;
    }
    clearTimeout(timer);
    listener.close();
    bridge.attach(socket);
  });
  const tlsSocket = tlsConnect({ ...ftp.tlsOptions, socket: bridge, session: ftp.tlsSessionStore ?? (ftp.socket as import('node:tls').TLSSocket).getSession?.() });
  tlsSocket.on('session', (session) => {
    ftp.tlsSessionStore = session;
  });
  // Over a JS stream Node does not answer the server's close_notify by itself; vsftpd waits for
  // that answer before it confirms the transfer (226).
  tlsSocket.once('end', () => tlsSocket.end());
  tlsSocket.once('close', () => {
    clearTimeout(timer);
    listener.close();
  });
  ftp.dataSocket = tlsSocket;
  try {
    return await ftp.request(command);
  } catch (err) {
    clearTimeout(timer);
    listener.close();
    tlsSocket.destroy();
    throw err;
  }
}

/** A duplex stream that buffers writes until a real socket is attached, then relays both ways. */
class SocketBridge extends Duplex {
  private socket?: net.Socket;
  private queued: Array<{ chunk: Buffer; callback: (err?: Error | null) => void }> = [];
  private ending?: () => void;

  attach(socket: net.Socket): void {
    this.socket = socket;
    socket.on('data', (data) => {
      if (!this.push(data)) socket.pause();
    });
    // The end of the data is passed on, not a destroy: TLS must still read what was pushed.
    let ended = false;
    const end = () => {
      if (!ended) this.push(null);
      ended = true;
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', (err) => this.destroy(err));
    for (const { chunk, callback } of this.queued) socket.write(chunk, callback);
    this.queued = [];
    if (this.ending) this.ending();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.socket) this.socket.write(chunk, callback);
    else this.queued.push({ chunk, callback });
  }

  override _read(): void {
    this.socket?.resume();
  }

  override _final(callback: (err?: Error | null) => void): void {
    const end = () => this.socket!.end(() => callback());
    if (this.socket) end();
    else this.ending = end;
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.socket?.destroy();
    for (const { callback: cb } of this.queued) cb(err ?? new Error('closed'));
    this.queued = [];
    callback(err);
  }
}
