// Deletes a staged package's files from an FTPS staging folder (the tree view's "Delete from
// Staging"). Only plain names are deleted, inside the chosen folder; the whole run has the same
// overall deadline as a listing, and a file already gone counts as deleted.
import { printable } from '../common/sanitise';
import { withDeadline } from '../common/limits';
import { endpointPort, FtpsEndpoint, openFtpsSession } from './connection';
import { classifyFtpsFailure, FtpsCancelledError } from './errors';
import { overallTimeoutSeconds, RAISE_TIMEOUT } from './limits';

/** FTP's "file unavailable": the name is not there (any more). */
const NOT_THERE = 550;

export async function deleteStagedFiles(endpoint: FtpsEndpoint, remoteDir: string | undefined, names: readonly string[], signal?: AbortSignal): Promise<{ deleted: string[]; missing: string[] }> {
  for (const name of names) {
    if (!name || /[/\\]/.test(name) || name === '.' || name === '..') throw new Error(`will not delete '${printable(name)}': only file names inside the staging folder`);
  }
  const session = await openFtpsSession(endpoint, signal);
  const onAbort = () => session.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  const where = remoteDir || 'the login folder';
  const deleted: string[] = [];
  const missing: string[] = [];
  try {
    await withDeadline(overallTimeoutSeconds(endpoint.limits), `deleting from ${printable(where)}`, RAISE_TIMEOUT, () => session.close(), async () => {
      if (remoteDir) await session.client.cd(remoteDir);
      for (const name of names) {
        try {
          await session.client.remove(name);
          deleted.push(name);
        } catch (err) {
          if ((err as { code?: number }).code !== NOT_THERE) throw err;
          missing.push(name);
        }
      }
    });
    return { deleted, missing };
  } catch (err) {
    if (signal?.aborted) throw new FtpsCancelledError();
    throw classifyFtpsFailure(err, { host: endpoint.host, port: endpointPort(endpoint), doing: `deleting from ${where}` });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}
