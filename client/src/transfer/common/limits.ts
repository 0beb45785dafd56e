// Caps and deadlines for everything read from a server. A server is not trusted to say how much
// it will send or how fast: the cap counts bytes actually received and stops at once past it,
// and every wait has an overall deadline besides the sockets' idle timeouts (a server trickling
// one byte every few seconds never trips an idle timeout).
import { Transform, TransformCallback, Writable } from 'node:stream';

/** More bytes arrived than a cap allows; `what` says which read, `limit` the cap in bytes. */
export class ReadCapError extends Error {
  override name = 'ReadCapError';
  constructor(readonly what: string, readonly limit: number, detail?: string) {
    super(`${what}: ${detail ?? `the server sent more than ${describeLimit(limit)}`}; ovfkit stopped reading at that cap`);
  }
}

/** An overall deadline ran out; the message names the deadline and how to raise it. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(readonly what: string, readonly seconds: number, readonly howToRaise?: string) {
    super(`${what}: not finished within the overall deadline of ${formatSeconds(seconds)}${howToRaise ? ` (${howToRaise})` : ''}`);
  }
}

export function describeLimit(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function formatSeconds(s: number): string {
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

/** A sink that keeps at most `limit` bytes and fails with ReadCapError on the first byte past it. */
export class CappedCollector extends Writable {
  private readonly chunks: Buffer[] = [];
  bytes = 0;
  constructor(private readonly limit: number, private readonly what: string) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(new ReadCapError(this.what, this.limit));
    this.chunks.push(chunk);
    done();
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/**
 * Passes bytes through until more than `limit` have arrived, then fails with ReadCapError (the
 * bytes past the cap are not passed on). For files whose size the server announced.
 */
export class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number, private readonly what: string, private readonly detail?: (got: number) => string) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(new ReadCapError(this.what, this.limit, this.detail?.(this.bytes)));
    done(null, chunk);
  }
}

/**
 * Runs `work` with an overall deadline. When it runs out, `onExpire` is called (it closes the
 * connection, so the work fails at once) and the result is a DeadlineError, whatever the work
 * then throws. A deadline of 0 or less means none.
 */
export async function withDeadline<T>(
  seconds: number,
  what: string,
  howToRaise: string | undefined,
  onExpire: () => void,
  work: () => Promise<T>,
): Promise<T> {
  if (!(seconds > 0)) return work();
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      expired = true;
      onExpire();
      reject(new DeadlineError(what, seconds, howToRaise));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work().catch((err) => { if (expired) throw new DeadlineError(what, seconds, howToRaise); throw err; }), expiry]);
  } finally {
    clearTimeout(timer);
    expiry.catch(() => undefined);
  }
}
