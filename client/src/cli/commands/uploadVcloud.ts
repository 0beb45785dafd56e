// `ovfkit upload vcloud ...`: upload a package to vCloud Director and wait until the template is
// ready (status 8). Exit 0 only then. An interrupted upload is recorded beside the descriptor
// (`.NAME.ovf.vcloud-upload.json`, no secrets in it) so `--resume` can continue it and `--abandon`
// can cancel it on the server.
import { readCaFile } from '../../transfer/common/trust';
import * as path from 'node:path';
import {
  cancelVcloudUpload,
  describeProgress,
  newUploadRecord,
  readUploadRecord,
  recordPathBeside,
  removeUploadRecord,
  uploadToVcloud,
  VcloudCancelledError,
  VcloudManifestMismatchError,
  VcloudTaskError,
  whyNotResumable,
  writeUploadRecord,
} from '../../transfer/vcloud';
import { printable } from '../../transfer/common/sanitise';
import { planUpload } from '../../../../server/src/ovf';
import { CliCommand, UsageError, parseOptions } from '../io';
import { progressLine } from '../progressLine';
import { hostOfUrl } from '../../transfer/common/transferFailure';
import { cliFailureText } from '../transferFailureText';
import { reportUploadReadiness } from '../uploadReadiness';
import { parseParallel } from './uploadFtps';

const HELP = `usage: ovfkit upload vcloud --url URL --org ORG --user USER --password-env VAR
                           (--catalog NAME | --vdc NAME) [options] FILE.ovf|FILE.ova
       ovfkit upload vcloud --url URL --org ORG --api-token-env VAR ... FILE.ovf|FILE.ova

Uploads an OVF package (descriptor, manifest, referenced files) to vCloud Director through its
transfer service and waits until the vApp template is ready (status 8). Exit 0 only then. An OVA
is sent member by member straight from the tar, never unpacked; a chunked file (ovf:chunkSize)
goes as its parts in order, one continuous upload to the file's link.

options:
  --url URL              the vCloud endpoint, e.g. https://vcloud.example.com
  --org ORG              organisation
  --user USER            user name (without @org; not needed with an API token)
  --password-env VAR     read the user's password from environment variable VAR
  --api-token-env VAR    log in with a vCloud API token (VCD 10.3+) read from VAR instead
  --catalog NAME         catalog to add the template to (vCloud 5.5 and later)
  --vdc NAME             VDC to upload into (the older uploadVAppTemplate form)
  --name NAME            template name (default: the descriptor's file name)
  --description TEXT     template description
  --ca FILE              trust this CA certificate (PEM) besides the system's; TLS is always verified
  --chunk-size BYTES     size of each ranged PUT (default 64M; suffixes K, M, G)
  --parallel N           files sent at once after the manifest, each file's ranges in order (default 3, 1-8)
  --link-timeout SECS    how long to wait for the server to process the descriptor (default 300)
  --task-timeout SECS    how long to wait for the import after the last byte (default 3600)
  --request-timeout SECS overall deadline of each request, each chunk PUT included (default 300)
  --allow-host HOST      also send the credentials to HOST when the server links there (a transfer
                         service on another host name); repeatable. Otherwise only --url's origin
  --resume               continue the interrupted upload recorded beside the descriptor
  --abandon              cancel the recorded interrupted upload on the server, then forget it
  --state-file FILE      where the interrupted upload is recorded (default .FILE.ovf.vcloud-upload.json beside it)
  --force                upload even when the descriptor has errors vCloud may accept (missing
                         files and what vCloud refuses for certain still stop the upload)
  -v, --verbose          log each request (method, URL, status) and each retry to stderr
  -h, --help             this help
`;

export const uploadVcloud: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one descriptor at a time (got ${positionals.length})` : 'no descriptor given');
  const descriptorPath = path.resolve(positionals[0]);
  for (const required of ['url', 'org'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`);
  }
  // Secrets come from the environment only: a command line is visible to every user of the machine.
  const secretFlag = values['api-token-env'] !== undefined ? 'api-token-env' : 'password-env';
  if (values['api-token-env'] !== undefined && values['password-env'] !== undefined) throw new UsageError('give --password-env or --api-token-env, not both');
  if (!values[secretFlag]) throw new UsageError('--password-env is required (or --api-token-env for an API token)');
  if (secretFlag === 'password-env' && !values.user) throw new UsageError('--user is required');
  if (values.resume && values.abandon) throw new UsageError('--resume and --abandon exclude each other');
  if (!values.resume && !values.abandon && !values.catalog === !values.vdc) throw new UsageError('give exactly one of --catalog NAME or --vdc NAME');
  const secret = io.env[values[secretFlag]!];
  if (!secret) throw new UsageError(`environment variable ${values[secretFlag]} is not set or empty (it must hold the ${secretFlag === 'password-env' ? 'password' : 'API token'})`);
  const chunkSize = values['chunk-size'] !== undefined ? parseSize(values['chunk-size']) : undefined;
  const parallel = parseParallel(values.parallel);
  const linkTimeoutSeconds = parseSeconds(values['link-timeout'], '--link-timeout');
  const taskTimeoutSeconds = parseSeconds(values['task-timeout'], '--task-timeout');
  const requestTimeoutSeconds = parseSeconds(values['request-timeout'], '--request-timeout');
  // Checked before connecting, so that a wrong --ca is a usage error (exit 2); the transfer reads it again.
  await readCaFile(values.ca, (message) => new UsageError(`--ca: ${message}`));
  const verbose = values.verbose === true;
  const log = (line: string) => {
    if (verbose) io.stderr.write(`${line}\n`);
  };
  const connect = {
    url: values.url!,
    org: values.org!,
    user: values.user ?? '',
    ...(secretFlag === 'password-env' ? { password: secret } : { apiToken: secret }),
    caFile: values.ca,
    signal: io.signal,
    onRequest: verbose ? log : undefined,
    allowedHosts: values['allow-host'],
    requestTimeoutMs: requestTimeoutSeconds !== undefined ? requestTimeoutSeconds * 1000 : undefined,
  };
  const statePath = values['state-file'] ? path.resolve(values['state-file']) : recordPathBeside(descriptorPath);
  const record = await readUploadRecord(statePath);

  if (values.abandon) {
    if (!record) throw new UsageError(`no interrupted upload is recorded in ${statePath}`);
    const outcome = await cancelVcloudUpload({ ...connect, templateHref: record.templateHref });
    await removeUploadRecord(statePath);
    io.stdout.write(
      outcome === 'task-cancelled' ? `cancelled the upload of template '${record.templateName}' on the server\n`
      : outcome === 'template-removed' ? `removed the unfinished template '${record.templateName}' from the server\n`
      : `template '${record.templateName}' had nothing left to cancel; forgot the record\n`,
    );
    return 0;
  }

  let resumeTemplateHref: string | undefined;
  if (values.resume) {
    if (!record) throw new UsageError(`no interrupted upload is recorded in ${statePath}; start a new one without --resume`);
    const why = await whyNotResumable(record, { url: connect.url, org: connect.org, descriptorPath });
    if (why) throw new UsageError(`cannot resume: ${why}`);
    resumeTemplateHref = record.templateHref;
  } else {
    const plan = await planUpload(descriptorPath, 'vcloud');
    if (!reportUploadReadiness(io, 'upload vcloud', descriptorPath, plan.readiness, values.force === true)) return 1;
    for (const r of plan.renames) io.stderr.write(`note: vCloud will name VirtualSystem '${r.id}' '${r.name}' (ids over 13 characters are shortened)\n`);
    if (record) io.stderr.write(`note: an interrupted upload of this package (template '${record.templateName}') is recorded; --resume would continue it. Starting a new upload.\n`);
  }

  const progress = progressLine(io, describeProgress);
  try {
    const result = await uploadToVcloud({
      ...connect,
      descriptorPath,
      catalog: values.catalog,
      vdc: values.vdc,
      name: values.name,
      description: values.description,
      chunkSize,
      parallel,
      linkTimeoutSeconds,
      taskTimeoutSeconds,
      resumeTemplateHref,
      onTemplateCreated: async (templateHref, templateName) => {
        await writeUploadRecord(statePath, await newUploadRecord({ url: connect.url, org: connect.org, user: connect.user, templateHref, templateName, descriptorPath }));
      },
      onProgress: progress.update,
      onNotice: log,
    });
    progress.clear();
    await removeUploadRecord(statePath);
    io.stdout.write(`template '${result.templateName}' is ready (status ${result.status}): ${printable(result.templateHref)}\n`);
    if (result.vmNames.length) io.stdout.write(`VMs: ${result.vmNames.join(', ')}\n`);
    log(`sent ${result.bytesSentThisAttempt} of ${result.totalBytes} bytes in ${result.seconds.toFixed(1)} s (API ${result.apiVersion}, ${result.loginMethod} login)`);
    return 0;
  } catch (err) {
    progress.clear();
    if (err instanceof VcloudCancelledError) {
      const hint = err.templateHref && !err.serverTaskCancelled ? '. Run the same command with --resume to continue it, or with --abandon to cancel it on the server' : '';
      io.stderr.write(`ovfkit upload vcloud: ${err.message}${hint}.\n`);
      return 130;
    }
    if (err instanceof VcloudTaskError || err instanceof VcloudManifestMismatchError) {
      // The server gave up on this template, or it was cancelled there (its manifest differs from a file): nothing to resume.
      await removeUploadRecord(statePath);
    }
    const resumable = await readUploadRecord(statePath);
    io.stderr.write(`ovfkit upload vcloud: ${cliFailureText(err, { protocol: 'vcloud', host: hostOfUrl(connect.url), descriptor: positionals[0] })}\n`);
    if (resumable) io.stderr.write('(the upload can be continued: run the same command with --resume)\n');
    return 1;
  }
};

function parse(args: string[]) {
  return parseOptions({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      org: { type: 'string' },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      'api-token-env': { type: 'string' },
      catalog: { type: 'string' },
      vdc: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      ca: { type: 'string' },
      'chunk-size': { type: 'string' },
      parallel: { type: 'string' },
      'link-timeout': { type: 'string' },
      'task-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      resume: { type: 'boolean' },
      abandon: { type: 'boolean' },
      'state-file': { type: 'string' },
      force: { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `1048576`, `512K`, `64M`, `1G` (binary multiples). */
export function parseSize(text: string): number {
  const m = /^(\d+)([KMG])?i?B?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] ?? ' ').toUpperCase()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--chunk-size must be a positive number of bytes (e.g. 67108864 or 64M), not '${text}'`);
  return n;
}

function parseSeconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number of seconds, not '${text}'`);
  return n;
}
