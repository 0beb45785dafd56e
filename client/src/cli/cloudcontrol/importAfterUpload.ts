// `ovfkit upload ftps ... --import --datacenter ID --name NAME`: after the upload, import the
// package just staged, with the upload's login. The API host is --api-host, or the geography of
// the staging --region (--host names only the staging server, so it says nothing of the API).
import * as path from 'node:path';
import { checkApiHost, CloudControlEndpoint, DEFAULT_WAIT_TIMEOUT_MS, findCloudControlRegion } from '../../transfer/cloudcontrol';
import { FtpsEndpoint } from '../../transfer/ftps';
import { CliIO, UsageError } from '../io';
import { pollIntervalFromArgs } from './endpointOptions';
import { runCloudControlImport } from './runImport';

export const IMPORT_AFTER_UPLOAD_OPTIONS = {
  import: { type: 'boolean' },
  datacenter: { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  'no-guest-customization': { type: 'boolean' },
  'clean-on-failure': { type: 'boolean' },
  'api-host': { type: 'string' },
} as const;

export const IMPORT_AFTER_UPLOAD_HELP = `  --import             after the upload, import the package as a Client Image and wait for NORMAL
                       (up to an hour; see 'ovfkit import cloudcontrol --help'), with:
  --datacenter ID      the data centre to import into
  --name NAME          the image's name
  --description TEXT   the image's description
  --no-guest-customization   deploy servers from the image without guest OS customization
  --clean-on-failure   remove the image again when the import fails (its name is free again)
  --api-host HOST[:PORT]  the CaaS API host (default: the --region's geography)`;

export interface ImportAfterUpload {
  endpoint: CloudControlEndpoint;
  datacenterId: string;
  name: string;
  description?: string;
  guestOsCustomization: boolean;
  cleanOnFailure: boolean;
}

interface ImportValues {
  import?: boolean;
  datacenter?: string;
  name?: string;
  description?: string;
  'no-guest-customization'?: boolean;
  'clean-on-failure'?: boolean;
  'api-host'?: string;
  region?: string;
  'only-descriptor'?: boolean;
}

/** Checked before anything is sent, so a bad --import stops the upload too (exit 2). */
export function importAfterUploadFromArgs(values: ImportValues, ftps: FtpsEndpoint, io: CliIO): ImportAfterUpload | undefined {
  if (!values.import) {
    const stray = (['datacenter', 'name', 'description', 'no-guest-customization', 'clean-on-failure', 'api-host'] as const).find((k) => values[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --import`);
    return undefined;
  }
  if (values['only-descriptor']) throw new UsageError('--import needs the whole package: not with --only-descriptor');
  if (!values.datacenter) throw new UsageError('--import needs --datacenter ID');
  if (!values.name) throw new UsageError('--import needs --name NAME (the image name)');
  let apiHost: string;
  if (values['api-host'] !== undefined) {
    try {
      apiHost = checkApiHost(values['api-host']);
    } catch (err) {
      throw new UsageError(`--api-host: ${(err as Error).message}`);
    }
  } else {
    const region = values.region ? findCloudControlRegion(values.region) : undefined;
    if (!region) throw new UsageError(`--import needs --api-host HOST or --region${values.region ? ` (region ${values.region} has no known API host)` : ''}`);
    apiHost = region.apiHost;
  }
  return {
    endpoint: { apiHost, user: ftps.user, password: ftps.password, caFile: ftps.caFile, signal: io.signal }, datacenterId: values.datacenter, name: values.name,
    description: values.description, guestOsCustomization: values['no-guest-customization'] !== true, cleanOnFailure: values['clean-on-failure'] === true,
  };
}

export function importAfterUpload(job: ImportAfterUpload, manifestPath: string | undefined, io: CliIO): Promise<number> {
  if (!manifestPath) {
    io.stderr.write('ovfkit upload ftps: the package has no manifest, so it cannot be imported (write one: ovfkit manifest FILE.ovf)\n');
    return Promise.resolve(1);
  }
  io.stderr.write(`importing ${path.basename(manifestPath)} as ${job.name} in ${job.datacenterId} through ${job.endpoint.apiHost}\n`);
  return runCloudControlImport(
    job.endpoint,
    { ovfPackage: path.basename(manifestPath), name: job.name, description: job.description, datacenterId: job.datacenterId, guestOsCustomization: job.guestOsCustomization },
    { wait: true, timeoutMs: DEFAULT_WAIT_TIMEOUT_MS, pollMs: pollIntervalFromArgs(undefined), cleanOnFailure: job.cleanOnFailure, format: 'text', command: 'ovfkit upload ftps' },
    io,
  );
}
