// A per-connection rate cap on what the simulator receives, so one TCP stream is link-limited the
// way a long real path limits it (window × round-trip) and the benefit of parallel files can be
// measured on loopback (issue #15). The cap holds per TCP connection: keep-alive requests on one
// socket share its budget, requests on other sockets have their own.
import { Socket } from 'node:net';
import { Transform, TransformCallback } from 'node:stream';

const budgets = new WeakMap<Socket, { nextMs: number }>();

/** Passes bytes through no faster than `bytesPerSecond` for the connection `socket`. */
export function paceForConnection(socket: Socket, bytesPerSecond: number): Transform {
  let budget = budgets.get(socket);
  if (!budget) budgets.set(socket, (budget = { nextMs: 0 }));
  const state = budget;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      // A chunk may go once the bytes before it have had their time at the rate.
      const now = Date.now();
      const start = Math.max(now, state.nextMs);
      state.nextMs = start + (chunk.length / bytesPerSecond) * 1000;
      const wait = state.nextMs - now;
      if (wait < 1) return callback(null, chunk);
      setTimeout(() => callback(null, chunk), wait);
    },
  });
}
