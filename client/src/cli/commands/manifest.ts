// `ovfkit manifest [--algorithm sha1|sha256|sha512] FILE.ovf`: writes FILE.mf covering the
// descriptor and every file it references.
import { stat } from 'node:fs/promises';
import { describeProgress, formatBytes, generateManifest, HashProgress, isAbortError, MANIFEST_ALGORITHMS, parseAlgorithmChoice } from '../../../../server/src/ovf';
import { CliCommand, CliIO, UsageError, parseOptions } from '../io';
import { progressLine, ProgressLine } from '../progressLine';

const USAGE = `usage: ovfkit manifest [--algorithm sha1|sha256|sha512] FILE.ovf

Writes FILE.mf beside the descriptor: one 'SHA1(name)= digest' line for the descriptor and for every
file it references. Default algorithm: SHA1 for OVF 1.x (and descriptors targeting vCloud), SHA256
for OVF 2.x.
`;

export const manifest: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');
  await requireDescriptorFile(positionals[0]);
  let algorithm;
  if (values.algorithm !== undefined) {
    algorithm = parseAlgorithmChoice(values.algorithm);
    if (!algorithm) throw new UsageError(`unknown algorithm '${values.algorithm}' (expected ${MANIFEST_ALGORITHMS.map((a) => a.toLowerCase()).join('|')})`);
  }
  const progress = hashingProgressLine(io, 'hashing');
  try {
    const result = await generateManifest(positionals[0], { algorithm, signal: io.signal, onProgress: progress.update });
    progress.clear();
    const bytes = result.entries.reduce((n, e) => n + e.size, 0);
    io.stdout.write(`wrote ${result.manifestPath} (${result.algorithm}, ${result.entries.length} files, ${formatBytes(bytes)})\n`);
    return 0;
  } catch (err) {
    if (!isAbortError(err)) throw err;
    progress.clear();
    io.stderr.write('ovfkit manifest: cancelled; any previous manifest is unchanged\n');
    return INTERRUPTED;
  } finally {
    progress.clear();
  }
};

/** Exit code after Ctrl-C, as shells report a SIGINT death. */
export const INTERRUPTED = 130;

function parse(args: string[]) {
  return parseOptions({
    args,
    options: { algorithm: { type: 'string', short: 'a' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
}

/** A descriptor that is not there is a usage error (exit 2), as in `ovfkit validate`. */
export async function requireDescriptorFile(file: string): Promise<void> {
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) throw new UsageError(`${file} is not a file`);
}

/** The hashing line ("hashing 1.2 GiB / 4.0 GiB 30%, ..."): redrawn at most every 100 ms, and once at the end. */
export function hashingProgressLine(io: CliIO, verb: string): ProgressLine<HashProgress> {
  const started = Date.now();
  return progressLine(io, (p: HashProgress) => `${verb} ${describeProgress(p, Date.now() - started)}`, { throttleMs: 100, urgent: (p) => p.bytesDone >= p.bytesTotal });
}
