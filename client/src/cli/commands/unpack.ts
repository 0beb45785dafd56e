// `ovfkit unpack [--to DIR] [--force] FILE.ova`: writes the OVA's members into DIR (default: a
// folder named after the OVA, beside it). Unsafe OVAs (links, devices, '..' or absolute names,
// duplicates, sizes past the end) are refused before anything is written.
import * as path from 'node:path';
import { OvaError, unpackOva } from '../../../../server/src/ovf';
import { CliCommand, UsageError, parseOptions } from '../io';
import { INTERRUPTED } from './manifest';

const USAGE = `usage: ovfkit unpack [--to DIR] [--force] FILE.ova

Writes the members of FILE.ova into DIR (default: FILE/ beside the OVA). Existing files are kept
unless --force. Each file is written as NAME.partial and renamed when complete.
`;

export const unpack: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    options: { to: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one OVA' : 'missing FILE.ova');
  const ova = positionals[0];
  const to = values.to ?? path.join(path.dirname(ova), path.basename(ova).replace(/\.ova$/i, '') || 'unpacked');
  try {
    const { written } = await unpackOva(ova, to, { overwrite: values.force, signal: io.signal });
    io.stdout.write(`unpacked ${written.length} files into ${to}\n`);
    return 0;
  } catch (err) {
    if ((err as Error).name === 'AbortError') {
      io.stderr.write('ovfkit unpack: cancelled; no partial file is left\n');
      return INTERRUPTED;
    }
    if (err instanceof OvaError) {
      io.stderr.write(`ovfkit unpack: ${ova}: ${err.message}\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${ova} does not exist`);
    throw err;
  }
};
