// `ovfkit pack [-o FILE.ova] [--force] FILE.ovf`: writes the package as one OVA (descriptor,
// manifest, certificate, then the referenced files in References order). The manifest is
// generated first when it is missing or no longer matches the files; a signed package whose
// manifest is stale is refused (a new manifest would break the signature).
import { formatBytes, isAbortError, PackageError, PackError, packPackage } from '../../../../server/src/ovf';
import { CliCommand, UsageError, parseOptions } from '../io';
import { INTERRUPTED, requireDescriptorFile } from './manifest';

const USAGE = `usage: ovfkit pack [-o FILE.ova] [--force] [--fsync] FILE.ovf

Writes FILE.ova beside the descriptor (or at -o): the descriptor first, then the manifest, the
certificate and the referenced files, as ustar (what ovftool reads). A missing or stale manifest
is generated first; a signed package with a stale manifest is refused (sign it again after
'ovfkit manifest'). An existing OVA is replaced only with --force. --fsync writes the OVA through
to the disk before it gets its name (slower; tar does not either).
`;

export const pack: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, fsync: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');
  const descriptor = positionals[0];
  await requireDescriptorFile(descriptor);
  const out = values.output ?? descriptor.replace(/\.ovf$/i, '') + '.ova';
  try {
    const packed = await packPackage(descriptor, out, { overwrite: values.force, sync: values.fsync === true, signal: io.signal });
    if (packed.manifestWritten) io.stdout.write(`wrote ${packed.manifestWritten.path} (${packed.manifestWritten.algorithm}; the manifest ${packed.manifestWritten.why})\n`);
    io.stdout.write(`wrote ${out} (${packed.members} members, ${formatBytes(packed.bytes)})\n`);
    return 0;
  } catch (err) {
    if (isAbortError(err) || (err as Error).name === 'AbortError') {
      io.stderr.write('ovfkit pack: cancelled; no partial OVA is left\n');
      return INTERRUPTED;
    }
    if (err instanceof PackError || err instanceof PackageError) {
      io.stderr.write(`ovfkit pack: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
