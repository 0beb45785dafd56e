// `ovfkit export cloudcontrol ...`: export a Client Image to the staging area as PREFIX.ovf,
// PREFIX.mf and its disks, wait for it, list the package, and with --to download and verify it
// (the same login for the API and the staging area).
import { printable } from '../../transfer/common/sanitise';
import { CLOUDCONTROL_REGIONS, CloudControlClient, CloudControlError, CustomerImage } from '../../transfer/cloudcontrol';
import { formatBytes, FtpsCancelledError, FtpsEndpoint, listStagingFolder, StagingListing } from '../../transfer/ftps';
import { CliCommand, CliIO, UsageError, parseOptions } from '../io';
import { API_OPTIONS, API_OPTIONS_HELP, WAIT_OPTIONS, WAIT_OPTIONS_HELP, apiTargetFromArgs, pollIntervalFromArgs, timeoutMsFromArgs } from '../cloudcontrol/endpointOptions';
import { cloudControlFailure } from '../cloudcontrol/failureText';
import { formatFromArgs } from '../cloudcontrol/outputFormat';
import { describeStep, serverProgress } from '../cloudcontrol/serverProgress';
import { downloadStagedPackage, StagedPackageResult } from './downloadFtps';
import { parseRetries } from './uploadFtps';

const COMMAND = 'ovfkit export cloudcontrol';

const HELP = `usage: ovfkit export cloudcontrol (--region R | --api-host HOST[:PORT]) --user U --password-env VAR [--ca FILE]
           --image ID|NAME --prefix PREFIX [--timeout SECONDS]
           [--to DIR [--ftps-host H] [--ftps-port P] [--dir REMOTE_DIR] [--implicit] [--active]]
           [--format text|json]

Exports the Client Image ID (or the one image named NAME) to the region's staging area as
PREFIX.ovf, PREFIX.mf and its disks, follows the export on stderr until it is done, and lists the
package's files from the staging area. With --to DIR the package is downloaded into DIR and checked
against its manifest (as 'ovfkit download ftps' does). The staging host is the image's data
centre's ftpsHost unless --ftps-host is given; the API login is used for it too.

Exit 0 when the export succeeded (and with --to: every file arrived and matches the manifest), 1
when the server refuses, the export fails or the wait runs out, 2 on bad usage (also a NAME more
than one image has), 130 on Ctrl-C (waiting stops; the export goes on in the cloud).

options:
${API_OPTIONS_HELP}
  --image ID|NAME      the image to export, by id or by a name only one image has
  --prefix PREFIX      the exported package's file names (PREFIX.ovf, PREFIX.mf, ...)
${WAIT_OPTIONS_HELP}
  --to DIR             download the exported package into DIR (created if missing) and verify it
  --ftps-host H        the staging host (default: the data centre's ftpsHost)
  --ftps-port P        its port (default 21, or 990 with --implicit)
  --dir REMOTE_DIR     the staging folder (default: the login folder)
  --implicit           implicit TLS instead of explicit AUTH TLS
  --active             active data connections instead of passive
  --retries N          tries per file on transient failures (default 5)
  --format text|json   text: the package's files, one per line (and the download and check);
                       json: one object on stdout when the export is done (image, exportId,
                       prefix, stagingHost, files, and with --to: download)
  -h, --help           this help
`;

export const exportCloudcontrol: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    allowPositionals: true,
    options: {
      ...API_OPTIONS,
      ...WAIT_OPTIONS,
      image: { type: 'string' },
      prefix: { type: 'string' },
      to: { type: 'string' },
      'ftps-host': { type: 'string' },
      'ftps-port': { type: 'string' },
      dir: { type: 'string' },
      implicit: { type: 'boolean' },
      active: { type: 'boolean' },
      retries: { type: 'string' },
      format: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.image) throw new UsageError('--image ID|NAME is required');
  if (!values.prefix) throw new UsageError('--prefix PREFIX is required');
  if (/[/\\]/.test(values.prefix)) throw new UsageError(`--prefix ${values.prefix}: a file name prefix, not a path`);
  let ftpsPort: number | undefined;
  if (values['ftps-port'] !== undefined) {
    ftpsPort = Number(values['ftps-port']);
    if (!Number.isInteger(ftpsPort) || ftpsPort < 1 || ftpsPort > 65535) throw new UsageError(`--ftps-port ${values['ftps-port']}: not a port number`);
  }
  const retries = parseRetries(values.retries);
  const format = formatFromArgs(values.format);
  const timeoutMs = timeoutMsFromArgs(values.timeout);
  const pollMs = pollIntervalFromArgs(values.poll);
  const target = apiTargetFromArgs(values, io);
  const prefix = values.prefix;

  const fail = (err: unknown, what: string): number => {
    const f = cloudControlFailure(err, what);
    io.stderr.write(`${COMMAND}: ${f.text}\n`);
    return f.exitCode;
  };
  let client: CloudControlClient;
  try {
    client = await CloudControlClient.connect(target.endpoint);
  } catch (err) {
    return fail(err, 'the login');
  }
  let image: CustomerImage;
  let exportId = '';
  let ftpsHost = values['ftps-host'];
  /** --format json: one object once the export succeeded (none when a download stops part-way: its error is on stderr). */
  const report = (extra: { files?: StagingListing['packages'][number]['files']; download?: StagedPackageResult }) => {
    if (format !== 'json') return;
    const files = (extra.files ?? []).map((f) => ({ name: f.name, size: f.size }));
    io.stdout.write(`${JSON.stringify({ image: { id: image.id, name: image.name, datacenterId: image.datacenterId }, exportId, prefix, stagingHost: ftpsHost ?? null, files, ...(extra.download && { download: extra.download }) })}\n`);
  };
  try {
    const found = await resolveImage(client, values.image, io);
    if (typeof found === 'number') return found;
    image = found;
    try {
      ({ imageExportId: exportId } = await client.exportImage({ imageId: image.id, ovfPackagePrefix: prefix }));
    } catch (err) {
      return fail(err, `the export of ${image.name} (${image.id})`);
    }
    const progress = serverProgress(io);
    try {
      await client.waitForExport(exportId, { ovfPackagePrefix: prefix, timeoutMs, pollMs, signal: io.signal, onProgress: (e) => progress.show(`export ${prefix}: ${describeStep(e.progress, e.state)}`) });
      progress.clear();
    } catch (err) {
      progress.clear();
      if (err instanceof CloudControlError && err.kind === 'cancelled') {
        io.stderr.write(`${COMMAND}: stopped waiting; the export ${exportId} of ${image.name} (${image.id}) as ${prefix} continues on the server\n`);
        return 130;
      }
      return fail(err, `the status of export ${exportId}`);
    }
    io.stderr.write(`exported ${image.name} (${image.id}) as ${prefix} (export ${exportId})\n`);
    if (!ftpsHost) ftpsHost = await stagingHostOf(client, image, target.region?.ftpsHost, io);
  } finally {
    client.close();
  }

  if (!ftpsHost) {
    io.stderr.write(`${COMMAND}: the staging host of ${image.datacenterId} is not known; give --ftps-host to ${values.to ? 'download' : 'list'} ${prefix}\n`);
    if (!values.to) report({});
    return values.to ? 1 : 0;
  }
  const { user, password } = target.endpoint;
  const endpoint: FtpsEndpoint = { host: ftpsHost, port: ftpsPort, implicit: values.implicit === true, active: values.active === true, user, password, caFile: values.ca };
  let listing: StagingListing;
  try {
    listing = await listStagingFolder(endpoint, values.dir, io.signal);
  } catch (err) {
    if (err instanceof FtpsCancelledError) {
      io.stderr.write(`${COMMAND}: cancelled; the export ${prefix} is done and stays in the staging folder of ${ftpsHost}\n`);
      return 130;
    }
    io.stderr.write(`${COMMAND}: ${values.to ? 'cannot download' : 'cannot list'} ${prefix} from ${ftpsHost}: ${(err as Error).message}\n`);
    // Without --to the export itself is what was asked for, and it succeeded.
    if (!values.to) report({});
    return values.to ? 1 : 0;
  }
  const pkg = listing.packages.find((p) => p.name === prefix);
  if (pkg && format === 'text') for (const f of pkg.files) io.stdout.write(`${printable(f.name)}  ${formatBytes(f.size)}\n`);
  if (!values.to) {
    if (!pkg) io.stderr.write(`note: ${prefix} is not (yet) in the staging folder of ${ftpsHost}${values.dir ? ` (${values.dir})` : ''}\n`);
    report({ files: pkg?.files });
    return 0;
  }
  let download: StagedPackageResult | undefined;
  const code = await downloadStagedPackage(endpoint, listing, {
    remoteDir: values.dir, name: prefix, toDir: values.to, overwrite: false, retries, onLog: () => undefined, command: COMMAND,
    ...(format === 'json' && { onResult: (r: StagedPackageResult) => (download = r) }),
  }, io);
  // A download that stopped before its end has nothing to report but its error on stderr.
  if (download) report({ files: pkg?.files, download });
  return code;
};

/** By id, else by a name only one image has; an ambiguous name is bad usage (exit 2). */
async function resolveImage(client: CloudControlClient, wanted: string, io: CliIO): Promise<CustomerImage | number> {
  let images: CustomerImage[];
  try {
    images = await client.listCustomerImages();
  } catch (err) {
    const f = cloudControlFailure(err, 'the image listing');
    io.stderr.write(`${COMMAND}: ${f.text}\n`);
    return f.exitCode;
  }
  const byId = images.find((i) => i.id === wanted);
  if (byId) return byId;
  const named = images.filter((i) => i.name === wanted);
  if (named.length === 1) return named[0];
  if (named.length > 1) {
    io.stderr.write(`${COMMAND}: --image ${wanted}: ${named.length} images have this name; give one of their ids:\n${named.map((i) => `  ${i.id}  ${i.datacenterId}  ${i.state}\n`).join('')}`);
    return 2;
  }
  io.stderr.write(`${COMMAND}: --image ${wanted}: no client image has this id or name ('ovfkit images cloudcontrol' lists them)\n`);
  return 1;
}

/**
 * The data centre's ftpsHost, else the region's; undefined when neither is known. The login goes
 * there, so a host the API names is taken only when it is a known CloudControl staging host or the
 * API's own host: a server answer must not send the password somewhere the user did not point.
 */
async function stagingHostOf(client: CloudControlClient, image: CustomerImage, regionHost: string | undefined, io: CliIO): Promise<string | undefined> {
  try {
    const dc = await client.getDatacenter(image.datacenterId);
    const apiHostname = client.apiHost.replace(/:\d+$/, '').toLowerCase();
    const trusted = (host: string) => host.toLowerCase() === apiHostname || CLOUDCONTROL_REGIONS.some((r) => r.ftpsHost === host.toLowerCase());
    if (dc.ftpsHost && trusted(dc.ftpsHost)) return dc.ftpsHost;
    if (dc.ftpsHost) io.stderr.write(`note: the API names ${printable(dc.ftpsHost).slice(0, 120)} as the staging host of ${image.datacenterId}, which is neither a CloudControl staging host nor the API's host; the login is not sent there (give --ftps-host to choose it)\n`);
  } catch {
    // The region's host, if any, is as good; the caller says when none is known.
  }
  return regionHost;
}
