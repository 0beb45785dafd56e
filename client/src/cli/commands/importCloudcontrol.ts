// `ovfkit import cloudcontrol ... PACKAGE.mf`: turn a package in the staging area into a Client
// Image through the CaaS API and wait for it to be NORMAL.
import * as path from 'node:path';
import { CliCommand, UsageError, parseOptions } from '../io';
import { API_OPTIONS, API_OPTIONS_HELP, WAIT_OPTIONS, WAIT_OPTIONS_HELP, apiTargetFromArgs, pollIntervalFromArgs, timeoutMsFromArgs } from '../cloudcontrol/endpointOptions';
import { runCloudControlImport } from '../cloudcontrol/runImport';
import { formatFromArgs } from '../cloudcontrol/outputFormat';

const HELP = `usage: ovfkit import cloudcontrol (--region R | --api-host HOST[:PORT]) --user U --password-env VAR [--ca FILE]
           --datacenter ID --name NAME [--description TEXT] [--no-guest-customization] [--timeout SECONDS]
           [--no-wait] [--clean-on-failure] [--format text|json] PACKAGE.mf

Imports the package whose manifest is PACKAGE.mf in the staging area (upload it first with
'ovfkit upload ftps'; only the base name is sent, so a local path is fine) as a Client Image in
data centre ID, then follows the import on stderr (the server's step and percent) until the image
is NORMAL, and prints the image id on stdout.

Exit 0 when the image is NORMAL (with --no-wait: once the server accepted the import), 1 when the
server refuses, the import fails (its reason is shown; the failed image stays until cleaned) or the
wait runs out, 2 on bad usage, 130 on Ctrl-C (waiting stops; the import goes on in the cloud).

options:
${API_OPTIONS_HELP}
  --datacenter ID      the data centre to import into, e.g. NA9
  --name NAME          the image's name (unique in the data centre)
  --description TEXT   the image's description
  --no-guest-customization   deploy servers from the image without guest OS customization
${WAIT_OPTIONS_HELP}
  --no-wait            print the image id once the import is accepted; do not wait
  --clean-on-failure   remove the image again when the import fails (its name is free again)
  --format text|json   text: the image id; json: one object (id, name, datacenterId, state, outcome, …)
  -h, --help           this help
`;

export const importCloudcontrol: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    allowPositionals: true,
    options: {
      ...API_OPTIONS,
      ...WAIT_OPTIONS,
      datacenter: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      'no-guest-customization': { type: 'boolean' },
      'no-wait': { type: 'boolean' },
      'clean-on-failure': { type: 'boolean' },
      format: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one PACKAGE.mf at a time (got ${positionals.length})` : 'no PACKAGE.mf given (the manifest of the staged package)');
  const ovfPackage = stagedManifestName(positionals[0]);
  const format = formatFromArgs(values.format);
  if (!values.datacenter) throw new UsageError('--datacenter ID is required');
  if (!values.name) throw new UsageError('--name NAME is required');
  const target = apiTargetFromArgs(values, io);
  return runCloudControlImport(
    target.endpoint,
    { ovfPackage, name: values.name, description: values.description, datacenterId: values.datacenter, guestOsCustomization: values['no-guest-customization'] !== true },
    { wait: values['no-wait'] !== true, timeoutMs: timeoutMsFromArgs(values.timeout), pollMs: pollIntervalFromArgs(values.poll), cleanOnFailure: values['clean-on-failure'] === true, format, command: 'ovfkit import cloudcontrol' },
    io,
  );
};

/** importImage takes the manifest's name in the staging folder: the base name of what was given. */
export function stagedManifestName(given: string): string {
  const name = path.basename(given);
  if (!/\.mf$/i.test(name) || name.length <= 3) throw new UsageError(`${given}: expected the package's manifest, NAME.mf (the import finds the package by it)`);
  return name;
}
