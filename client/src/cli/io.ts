// What a CLI command may touch of the outside world, passed in so tests can run commands in-process.
import { parseArgs, ParseArgsConfig } from 'node:util';
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Cancelled on SIGINT; long-running commands stop at the next safe point. */
  signal: AbortSignal;
}

/** A command returns its exit code: 0 success, 1 failure (findings, transfer error), 2 bad usage. */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/** Thrown for bad usage; main prints the message and the usage line and exits 2. */
export class UsageError extends Error {}

/** node:util parseArgs, with its complaints (unknown option, missing value) turned into bad usage. */
export function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
