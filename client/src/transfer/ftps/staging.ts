// What an FTPS staging folder holds, grouped into packages. CloudControl deletes staged files 14
// days after they were uploaded (or after the export completed), so each package shows when the
// first of its files goes.
import { FileInfo } from 'basic-ftp';
import { endpointPort, FtpsEndpoint, openFtpsSession } from './connection';
import { classifyFtpsFailure, FtpsCancelledError } from './errors';

export const STAGING_RETENTION_DAYS = 14;
const DAY_MS = 86_400_000;

export interface StagedFile {
  name: string;
  size: number;
  /** Upload (modification) time on the server, when it tells. */
  modifiedAt?: Date;
  /** modifiedAt + 14 days. */
  expiresAt?: Date;
}

export interface StagedPackage {
  /** The package's base name: `web` for web.ovf / web.mf / web-disk1.vmdk. */
  name: string;
  /** Descriptor first, manifest second, then the rest by name. */
  files: StagedFile[];
  totalBytes: number;
  /** When the earliest file goes (after that the package is incomplete). */
  expiresAt?: Date;
}

export interface StagingListing {
  packages: StagedPackage[];
  /** Files that belong to no `.ovf`/`.mf` base name. */
  others: StagedFile[];
}

/** Lists a staging folder: names, sizes and upload times (MDTM, which is exact, where LIST is not). */
export async function listStagingFolder(endpoint: FtpsEndpoint, remoteDir: string | undefined, signal?: AbortSignal): Promise<StagingListing> {
  const session = await openFtpsSession(endpoint, signal);
  const onAbort = () => session.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (remoteDir) await session.client.cd(remoteDir);
    const entries = (await session.client.list()).filter((e: FileInfo) => e.isFile);
    const files: StagedFile[] = [];
    for (const e of entries) {
      let modifiedAt = e.modifiedAt;
      if (!modifiedAt) modifiedAt = await session.client.lastMod(e.name).catch(() => undefined);
      files.push({ name: e.name, size: e.size, modifiedAt, expiresAt: modifiedAt ? new Date(modifiedAt.getTime() + STAGING_RETENTION_DAYS * DAY_MS) : undefined });
    }
    return groupStagedFiles(files);
  } catch (err) {
    if (signal?.aborted) throw new FtpsCancelledError();
    throw classifyFtpsFailure(err, { host: endpoint.host, port: endpointPort(endpoint), doing: `listing ${remoteDir || 'the login folder'}` });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}

/** Groups files by package: each `.ovf`/`.mf` base name claims the files whose names start with it. */
export function groupStagedFiles(files: StagedFile[]): StagingListing {
  const bases = [...new Set(files.filter((f) => /\.(ovf|mf)$/i.test(f.name)).map((f) => f.name.replace(/\.(ovf|mf)$/i, '')))];
  // Longest first, so `web-2` claims web-2-disk1.vmdk before `web` does.
  bases.sort((a, b) => b.length - a.length);
  const groups = new Map<string, StagedFile[]>(bases.map((b) => [b, []]));
  const others: StagedFile[] = [];
  for (const f of files) {
    const base = bases.find((b) => f.name.startsWith(b));
    if (base === undefined) others.push(f);
    else groups.get(base)!.push(f);
  }
  const rank = (base: string, f: StagedFile) => (f.name === `${base}.ovf` ? 0 : f.name === `${base}.mf` ? 1 : 2);
  const packages = [...groups].map(([name, members]) => {
    members.sort((a, b) => rank(name, a) - rank(name, b) || a.name.localeCompare(b.name));
    const expiries = members.map((m) => m.expiresAt?.getTime()).filter((t): t is number => t !== undefined);
    return {
      name,
      files: members,
      totalBytes: members.reduce((n, m) => n + m.size, 0),
      expiresAt: expiries.length ? new Date(Math.min(...expiries)) : undefined,
    };
  });
  packages.sort((a, b) => a.name.localeCompare(b.name));
  return { packages, others };
}
