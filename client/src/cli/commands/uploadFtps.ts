// `ovfkit upload ftps ...`: validate a package for CloudControl, then upload descriptor, manifest
// and disks to the region's FTPS staging folder, resuming whatever an earlier run left there.
import * as path from 'node:path';
import { planUpload } from '../../../../server/src/ovf';
import {
  findStagingRegion,
  formatBytes,
  FtpsCancelledError,
  FtpsEndpoint,
  FtpsLimits,
  FtpsUploadError,
  KNOWN_STAGING_REGIONS,
  UploadItem,
  uploadToFtps,
} from '../../transfer/ftps';
import { memberSource } from '../../transfer/common/byteSource';
import { CliCommand, CliIO, UsageError, parseOptions } from '../io';
import { progressLine } from '../progressLine';
import { describeTransferProgress } from '../../transfer/common/progressText';
import { cliFailureText } from '../transferFailureText';
import { reportUploadReadiness } from '../uploadReadiness';
import { IMPORT_AFTER_UPLOAD_HELP, IMPORT_AFTER_UPLOAD_OPTIONS, importAfterUpload, importAfterUploadFromArgs } from '../cloudcontrol/importAfterUpload';
import { checkParallel, DEFAULT_PARALLEL } from '../../transfer/common/parallel';

const HELP = `usage: ovfkit upload ftps (--host HOST | --region NAME) [--port P] [--implicit] [--active]
                         --user USER --password-env VAR [--ca FILE] [--dir DIR]
                         [--only-descriptor] [--force] [-v]
                         [--import --datacenter ID --name NAME [--description TEXT] [--no-guest-customization]
                          [--clean-on-failure] [--api-host HOST]] FILE.ovf|FILE.ova

Validates FILE.ovf for CloudControl, then uploads the descriptor, the manifest, the certificate and
the referenced files (in that order) to an FTPS staging folder. An OVA's members are stored as
separate files (the import takes OVF, MF and VMDKs), read straight from the .ova, never unpacked. A file that an earlier run left incomplete is
resumed; each file is checked against the manifest while it is sent (one that differs stops
before its last bytes and is removed from the server) and afterwards by remote size and the
server's hash command where it has one. Exit 0 when every file arrived, 1 on failure, 2 on bad usage.

options:
  --host HOST          staging host, e.g. ftps-eu.cloud-vpn.net
  --region NAME        a known region instead of --host (${KNOWN_STAGING_REGIONS.map((r) => r.id).join(', ')})
  --port P             port (default 21, or 990 with --implicit)
  --implicit           implicit TLS instead of explicit AUTH TLS
  --active             active data connections (PORT: the server connects back) instead of passive
  --user USER          the cloud user name (case-sensitive)
  --password-env VAR   read the password from environment variable VAR
  --ca FILE            trust this CA certificate (PEM) besides the system's; TLS is always verified
  --dir DIR            remote folder (default: the login folder)
  --only-descriptor    upload just the descriptor and the manifest, for a quick check by the import
  --force              upload even when validation reports errors CloudControl may accept
                       (missing files, no manifest, non-VMDK disks still stop the upload)
  --retries N          tries per file on transient failures (default 5)
  --parallel N         disks sent at once, each on its own session (default 3, 1-8; the descriptor
                       and manifest go first and alone; a server that takes fewer sessions is fine)
  --timeout SECONDS    overall deadline for connecting and logging in, and for listing (default 120)
  --min-rate RATE      slowest average rate a file may take, bytes per second (64K default; each file
                       gets 60 s plus its size at this rate, overall; 0: no deadline)
  -v, --verbose        log connection, resume, retry and verification steps to stderr
${IMPORT_AFTER_UPLOAD_HELP}
  -h, --help           this help
`;

const OPTIONS = {
  host: { type: 'string' },
  region: { type: 'string' },
  port: { type: 'string' },
  implicit: { type: 'boolean' },
  active: { type: 'boolean' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  ca: { type: 'string' },
  dir: { type: 'string' },
  retries: { type: 'string' },
  parallel: { type: 'string' },
  timeout: { type: 'string' },
  'min-rate': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const uploadFtps: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { 'only-descriptor': { type: 'boolean' }, force: { type: 'boolean' }, ...IMPORT_AFTER_UPLOAD_OPTIONS });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one descriptor at a time (got ${positionals.length})` : 'no descriptor given');
  const descriptorPath = path.resolve(positionals[0]);
  const endpoint = endpointFromArgs(values, io);
  const retries = parseRetries(values.retries);
  const importJob = importAfterUploadFromArgs(values, endpoint, io);
  const parallel = parseParallel(values.parallel);

  const plan = await planUpload(descriptorPath, 'cloudcontrol', { scope: values['only-descriptor'] ? 'descriptorAndManifest' : 'package' });
  if (!reportUploadReadiness(io, 'upload ftps', descriptorPath, plan.readiness, values.force === true)) return 1;
  const { manifestPath } = plan;
  // An OVA's members go up as separate files (the import takes OVF + MF + VMDKs), each sent straight from its range of the .ova.
  const files: UploadItem[] = plan.files.map((m) => ({ name: m.name, path: m.path, packageDir: m.packageDir, source: memberSource(m) }));
  const manifestSource = files[plan.files.findIndex((m) => m.role === 'manifest')]?.source;

  const log = (line: string) => {
    if (values.verbose) io.stderr.write(`${line}\n`);
  };
  const progress = progressLine(io, describeTransferProgress);
  try {
    const result = await uploadToFtps({ endpoint, remoteDir: values.dir, files, manifestPath, manifestSource, signal: io.signal, onProgress: progress.update, onLog: log, retry: { attempts: retries }, parallel });
    progress.clear();
    for (const f of result.files) {
      io.stdout.write(`uploaded ${f.name} (${formatBytes(f.size)}${f.resumedFrom ? `, resumed at ${formatBytes(f.resumedFrom)}` : ''}; verified by ${f.verifiedBy})\n`);
    }
    const total = result.files.reduce((n, f) => n + f.size, 0);
    io.stdout.write(`done: ${result.files.length} file(s), ${formatBytes(total)} in ${endpoint.host}:${values.dir ?? '(login folder)'}\n`);
    return importJob ? await importAfterUpload(importJob, manifestPath, io) : 0;
  } catch (err) {
    progress.clear();
    if (!(err instanceof FtpsUploadError)) throw err;
    if (err.uploaded.length) io.stderr.write(`uploaded before the stop: ${err.uploaded.map((f) => f.name).join(', ')}\n`);
    if (err.reason instanceof FtpsCancelledError) {
      io.stderr.write(`ovfkit upload ftps: ${err.message}; run the same command again to resume\n`);
      return 130;
    }
    io.stderr.write(`ovfkit upload ftps: ${cliFailureText(err, { protocol: 'ftps', host: endpoint.host, port: endpoint.port, descriptor: positionals[0] })}\n`);
    if (err.reason.transient) io.stderr.write('(run the same command again to resume where it stopped)\n');
    return 1;
  }
};

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The connection settings shared by upload and download; bad or missing ones are usage errors. */
export function endpointFromArgs(values: Values, io: CliIO): FtpsEndpoint {
  if (values.host && values.region) throw new UsageError('give --host or --region, not both');
  let host = values.host;
  if (values.region) {
    const region = findStagingRegion(KNOWN_STAGING_REGIONS, values.region);
    if (!region) throw new UsageError(`unknown region '${values.region}' (known: ${KNOWN_STAGING_REGIONS.map((r) => r.id).join(', ')})`);
    host = region.host;
  }
  if (!host) throw new UsageError('--host (or --region) is required');
  if (!values.user) throw new UsageError('--user is required');
  if (!values['password-env']) throw new UsageError('--password-env VAR is required (the password is never given on the command line)');
  const password = io.env[values['password-env']];
  if (!password) throw new UsageError(`environment variable ${values['password-env']} is not set or empty (it must hold the password)`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port ${values.port}: not a port number`);
  }
  return { host, port, implicit: values.implicit === true, active: values.active === true, user: values.user, password, caFile: values.ca, limits: limitsFromArgs(values) };
}

function limitsFromArgs(values: Values): FtpsLimits {
  const limits: FtpsLimits = {};
  if (values.timeout !== undefined) {
    const n = Number(values.timeout);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout ${values.timeout}: expected a positive number of seconds`);
    limits.timeoutSeconds = n;
  }
  if (values['min-rate'] !== undefined) {
    const m = /^(\d+)([KMG])?$/i.exec(values['min-rate'].trim());
    if (!m) throw new UsageError(`--min-rate ${values['min-rate']}: expected bytes per second, e.g. 65536, 64K or 1M (0: no deadline)`);
    limits.minBytesPerSecond = Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] ?? ' ').toUpperCase());
  }
  return limits;
}

export function parseRetries(value: string | undefined): number {
  if (value === undefined) return 5;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--retries ${value}: expected a whole number from 1 to 100`);
  return n;
}

/** --parallel N: files at once, 1..8 (default 3). */
export function parseParallel(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PARALLEL;
  const n = checkParallel(value);
  if (typeof n === 'string') throw new UsageError(`--parallel ${value}: ${n}`);
  return n;
}

export function parse<E extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], extra: E) {
  return parseOptions({ args, allowPositionals: true, options: { ...OPTIONS, ...extra } }) as {
    values: Values & { [K in keyof E]?: E[K]['type'] extends 'boolean' ? boolean : string };
    positionals: string[];
  };
}
