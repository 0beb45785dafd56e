// One Client Image import from the CLI: ask the server to import a staged package, then follow the
// image to NORMAL (or not, with --no-wait), bounded by the timeout. Shared by
// `ovfkit import cloudcontrol` and `ovfkit upload ftps --import`.
import { CloudControlClient, CloudControlEndpoint, CloudControlError, CustomerImage, PollInterval } from '../../transfer/cloudcontrol';
import { CliIO } from '../io';
import { cloudControlFailure } from './failureText';
import { describeStep, serverProgress } from './serverProgress';

export interface ImportRequest {
  /** The manifest's name in the staging folder (NAME.mf). */
  ovfPackage: string;
  name: string;
  description?: string;
  datacenterId: string;
  guestOsCustomization: boolean;
}

export interface ImportRunOptions {
  wait: boolean;
  timeoutMs: number;
  pollMs: PollInterval;
  cleanOnFailure: boolean;
  format: 'text' | 'json';
  /** Prefix of error lines, e.g. "ovfkit import cloudcontrol". */
  command: string;
}

type Outcome = 'normal' | 'not-awaited' | 'failed' | 'timeout' | 'cancelled' | 'error';

/** Returns the exit code: 0 NORMAL (or accepted with --no-wait), 1 refused or failed, 130 Ctrl-C. */
export async function runCloudControlImport(endpoint: CloudControlEndpoint, req: ImportRequest, run: ImportRunOptions, io: CliIO): Promise<number> {
  const fail = (err: unknown, what: string): number => {
    const f = cloudControlFailure(err, what);
    io.stderr.write(`${run.command}: ${f.text}\n`);
    return f.exitCode;
  };
  let client: CloudControlClient;
  try {
    client = await CloudControlClient.connect(endpoint);
  } catch (err) {
    return fail(err, 'the login');
  }
  try {
    let imageId: string;
    try {
      ({ imageId } = await client.importImage(req));
    } catch (err) {
      return fail(err, `the import of ${req.ovfPackage}`);
    }
    const where = `image ${req.name} (${imageId}) in ${req.datacenterId}`;
    const report = (outcome: Outcome, image: Partial<CustomerImage> | undefined, extra: Record<string, unknown> = {}) => {
      if (run.format === 'json') {
        const state = image?.state ?? 'PENDING_ADD';
        io.stdout.write(`${JSON.stringify({ id: imageId, name: req.name, datacenterId: req.datacenterId, ovfPackage: req.ovfPackage, state, outcome, awaited: run.wait, ...extra })}\n`);
      } else if (outcome === 'normal' || outcome === 'not-awaited') {
        io.stdout.write(`${imageId}\n`);
      }
    };
    if (!run.wait) {
      io.stderr.write(`import accepted: ${where}; not awaited (--no-wait): follow it with 'ovfkit images cloudcontrol'\n`);
      report('not-awaited', undefined);
      return 0;
    }

    const progress = serverProgress(io);
    let last: CustomerImage | undefined;
    try {
      const image = await client.waitForImage(imageId, {
        timeoutMs: run.timeoutMs,
        pollMs: run.pollMs,
        signal: io.signal,
        onProgress: (img) => {
          last = img;
          progress.show(`import ${req.name}: ${describeStep(img.progress, img.state)}`);
        },
      });
      progress.clear();
      io.stderr.write(`${where} is NORMAL\n`);
      report('normal', image);
      return 0;
    } catch (err) {
      progress.clear();
      if (!(err instanceof CloudControlError)) throw err;
      if (err.kind === 'cancelled') {
        io.stderr.write(`${run.command}: stopped waiting; the import of ${where} continues on the server (follow it with 'ovfkit images cloudcontrol')\n`);
        report('cancelled', last);
        return 130;
      }
      if (err.kind === 'timeout') {
        io.stderr.write(`${run.command}: ${err.message}\n  ${where}, last seen ${last ? describeStep(last.progress, last.state) : 'not yet'}\n`);
        report('timeout', last);
        return 1;
      }
      if (err.kind !== 'import-failed') {
        const code = fail(err, `the status of ${where}`);
        report('error', last);
        return code;
      }
      io.stderr.write(`${run.command}: ${err.message}\n`);
      const cleaned = await cleanUp(client, imageId, where, run, io);
      report('failed', { state: err.responseCode }, { failureReason: err.serverMessage, cleaned });
      return 1;
    }
  } finally {
    client.close();
  }
}

/** A failed image keeps its name taken in the data centre until it is cleaned. */
async function cleanUp(client: CloudControlClient, imageId: string, where: string, run: ImportRunOptions, io: CliIO): Promise<boolean> {
  if (!run.cleanOnFailure) {
    io.stderr.write(`the failed ${where} stays (and keeps its name taken) until it is removed: the API's image/cleanCustomerImage with id ${imageId}, or the Admin UI, removes it; --clean-on-failure does that at once next time\n`);
    return false;
  }
  try {
    await client.cleanCustomerImage(imageId);
    io.stderr.write(`removed the failed image ${imageId} (--clean-on-failure)\n`);
    return true;
  } catch (err) {
    io.stderr.write(`${run.command}: could not remove the failed image ${imageId}: ${cloudControlFailure(err, 'the clean-up').text}\n`);
    return false;
  }
}
