// The options every `... cloudcontrol` command shares: where the CaaS API is (--region or
// --api-host), the login (--user, the password from the variable --password-env names), --ca,
// and the bounded wait (--timeout, --poll). Bad or missing ones are usage errors naming the option.
import { CLOUDCONTROL_REGIONS, CloudControlEndpoint, CloudControlRegion, DEFAULT_POLL_MS, PollInterval, checkApiHost, findCloudControlRegion } from '../../transfer/cloudcontrol';
import { CliIO, UsageError } from '../io';

export const API_OPTIONS = {
  region: { type: 'string' },
  'api-host': { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  ca: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const WAIT_OPTIONS = {
  timeout: { type: 'string' },
  poll: { type: 'string' },
} as const;

export const API_OPTIONS_HELP = `  --region R           the geography's API host: ${CLOUDCONTROL_REGIONS.map((r) => r.id).join(', ')}
                       (the staging region names of 'upload ftps' work too)
  --api-host HOST[:PORT]  any CaaS API host instead of --region (always HTTPS)
  --user U             the cloud user name (case-sensitive); the same login as the staging area
  --password-env VAR   read the password from environment variable VAR
  --ca FILE            trust this CA certificate (PEM) besides the system's; TLS is always verified`;

export const WAIT_OPTIONS_HELP = `  --timeout SECONDS    longest wait for the server to finish (default 3600)
  --poll SECONDS       time between status checks (default: 1 s, doubling up to 15 s)`;

export interface ApiOptionValues {
  region?: string;
  'api-host'?: string;
  user?: string;
  'password-env'?: string;
  ca?: string;
}

export interface ApiTarget {
  endpoint: CloudControlEndpoint;
  /** Set when --region chose the API host (its staging host is then known too). */
  region?: CloudControlRegion;
}

export function apiTargetFromArgs(values: ApiOptionValues, io: CliIO): ApiTarget {
  if (values.region !== undefined && values['api-host'] !== undefined) throw new UsageError('give --region or --api-host, not both');
  let region: CloudControlRegion | undefined;
  let apiHost: string;
  if (values.region !== undefined) {
    region = findCloudControlRegion(values.region);
    if (!region) throw new UsageError(`--region ${values.region}: unknown region (known: ${CLOUDCONTROL_REGIONS.map((r) => r.id).join(', ')}; or give --api-host)`);
    apiHost = region.apiHost;
  } else if (values['api-host'] !== undefined) {
    try {
      apiHost = checkApiHost(values['api-host']);
    } catch (err) {
      throw new UsageError(`--api-host: ${(err as Error).message}`);
    }
  } else {
    throw new UsageError('--region R or --api-host HOST is required');
  }
  return { endpoint: { apiHost, ...loginFromArgs(values, io), caFile: values.ca, signal: io.signal }, region };
}

/** --user and the password from the --password-env variable (never from the command line). */
export function loginFromArgs(values: ApiOptionValues, io: CliIO): { user: string; password: string } {
  if (!values.user) throw new UsageError('--user is required');
  const variable = values['password-env'];
  if (!variable) throw new UsageError('--password-env VAR is required (the password is never given on the command line)');
  const password = io.env[variable];
  if (!password) throw new UsageError(`--password-env: environment variable ${variable} is not set or empty (it must hold the password)`);
  return { user: values.user, password };
}

export const DEFAULT_TIMEOUT_SECONDS = 3600;

export function timeoutMsFromArgs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout ${value}: expected a positive number of seconds`);
  return n * 1000;
}

/**
 * A quick server (or the simulator) is seen finishing within seconds; a real import, which takes
 * minutes, is then checked every 15 s as the vendor's own tools do.
 */
export function pollIntervalFromArgs(value: string | undefined): PollInterval {
  if (value === undefined) return (checks) => Math.min(DEFAULT_POLL_MS, 1000 * 2 ** (checks - 1));
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.01 || n > 600) throw new UsageError(`--poll ${value}: expected seconds between 0.01 and 600`);
  return n * 1000;
}
