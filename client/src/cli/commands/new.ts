// `ovfkit new --target T [--name N] DISK.vmdk...`: writes a minimal OVF 1.0 descriptor for the
// disks, beside the first one, that validates clean for the target.
import { defaultVmName, NEW_DESCRIPTOR_TARGETS, NewDescriptorTarget, writeNewDescriptor } from '../../../../server/src/ovf';
import { CliCommand, UsageError, parseOptions } from '../io';

const USAGE = `usage: ovfkit new --target vcloud|cloudcontrol|generic [options] DISK.vmdk...

Writes NAME.ovf beside the first disk: one File, Disk and disk Item per VMDK (size and capacity read
from the disk headers), a SCSI controller, a NIC and a hardware version the target accepts.

options:
  -t, --target T       vcloud, cloudcontrol or generic (required)
  -n, --name N         VM name (default: from the first disk's file name)
      --cpus N         virtual CPUs (default 2)
      --memory MB      memory in megabytes (default 4096)
      --network NAME   network the NIC connects to (default "VM Network")
  -f, --force          replace an existing NAME.ovf
`;

export const newCommand: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('missing DISK.vmdk');
  if (!values.target) throw new UsageError(`missing --target (${NEW_DESCRIPTOR_TARGETS.join(', ')})`);
  if (!(NEW_DESCRIPTOR_TARGETS as readonly string[]).includes(values.target)) {
    throw new UsageError(`unknown target '${values.target}' (expected ${NEW_DESCRIPTOR_TARGETS.join(', ')})`);
  }
  const written = await writeNewDescriptor({
    diskPaths: positionals,
    name: values.name ?? defaultVmName(positionals[0]),
    target: values.target as NewDescriptorTarget,
    cpus: count(values.cpus, '--cpus'),
    memoryMb: count(values.memory, '--memory'),
    network: values.network,
    overwrite: values.force,
  });
  for (const w of written.warnings) io.stderr.write(`warning: ${w}\n`);
  io.stdout.write(`wrote ${written.path}\n`);
  if (written.manifestPath) io.stdout.write(`wrote ${written.manifestPath} (CloudControl imports only packages with a manifest)\n`);
  return 0;
};

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new UsageError(`${flag} takes a positive whole number, not '${value}'`);
  return Number(value);
}

function parse(args: string[]) {
  return parseOptions({
    args,
    options: {
      target: { type: 'string', short: 't' },
      name: { type: 'string', short: 'n' },
      cpus: { type: 'string' },
      memory: { type: 'string' },
      network: { type: 'string' },
      force: { type: 'boolean', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
}
