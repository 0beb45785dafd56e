// What an FTPS staging folder holds, grouped into packages. CloudControl deletes staged files 14
// days after they were uploaded (or after the export completed), so each package shows when the
// first of its files goes. What the server sends is capped by bytes received (the listing, each
// staged descriptor) and the whole listing has an overall deadline.
import { FileInfo } from 'basic-ftp';
import { parseDescriptor } from '../../../../server/src/ovf';
import { CappedCollector, ReadCapError, withDeadline } from '../common/limits';
import { printable } from '../common/sanitise';
import { endpointPort, FtpsEndpoint, FtpsSession, openFtpsSession } from './connection';
import { classifyFtpsFailure, FtpsCancelledError } from './errors';
import { DEFAULT_MAX_DESCRIPTOR_BYTES, DEFAULT_MAX_LISTING_BYTES, overallTimeoutSeconds, RAISE_TIMEOUT } from './limits';

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
  const where = remoteDir || 'the login folder';
  try {
    const seconds = overallTimeoutSeconds(endpoint.limits);
    return await withDeadline(seconds, `listing ${printable(where)}`, RAISE_TIMEOUT, () => session.close(), () => listWith(session, endpoint, remoteDir));
  } catch (err) {
    if (signal?.aborted) throw new FtpsCancelledError();
    throw classifyFtpsFailure(listingCapError(err, endpoint, where), { host: endpoint.host, port: endpointPort(endpoint), doing: `listing ${where}` });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}

async function listWith(session: FtpsSession, endpoint: FtpsEndpoint, remoteDir: string | undefined): Promise<StagingListing> {
  if (remoteDir) await session.client.cd(remoteDir);
  const entries = (await session.client.list()).filter((e: FileInfo) => e.isFile);
  const files: StagedFile[] = [];
  const references = new Map<string, string[]>();
  const maxDescriptorBytes = endpoint.limits?.maxDescriptorBytes ?? DEFAULT_MAX_DESCRIPTOR_BYTES;
  for (const e of entries) {
    let modifiedAt = e.modifiedAt;
    if (!modifiedAt) modifiedAt = await session.client.lastMod(e.name).catch(() => undefined);
    files.push({ name: e.name, size: e.size, modifiedAt, expiresAt: modifiedAt ? new Date(modifiedAt.getTime() + STAGING_RETENTION_DAYS * DAY_MS) : undefined });
    // A package's members are the files its descriptor references, whatever their names.
    if (/\.ovf$/i.test(e.name) && e.size <= maxDescriptorBytes) {
      const hrefs = await readReferences(session, e.name, e.size, maxDescriptorBytes);
      if (hrefs) references.set(e.name.replace(/\.ovf$/i, ''), hrefs);
    }
  }
  return groupStagedFiles(files, references);
}

/** basic-ftp stops a listing past maxListingBytes with a plain Error: said here as the cap it is. */
function listingCapError(err: unknown, endpoint: FtpsEndpoint, where: string): unknown {
  if (err instanceof Error && /Maximum bytes exceeded/.test(err.message)) {
    return new ReadCapError(`the listing of ${printable(where)}`, endpoint.limits?.maxListingBytes ?? DEFAULT_MAX_LISTING_BYTES);
  }
  return err;
}

/**
 * Groups files by package. A file referenced by a staged descriptor (`references`: base name ->
 * its hrefs) belongs to that package; any other file goes to the `.ovf`/`.mf` base name it starts
 * with (CloudControl's exports name disks `<prefix>-disk1.vmdk`, and a descriptor may be unreadable).
 */
export function groupStagedFiles(files: StagedFile[], references: Map<string, string[]> = new Map()): StagingListing {
  const bases = [...new Set(files.filter((f) => /\.(ovf|mf)$/i.test(f.name)).map((f) => f.name.replace(/\.(ovf|mf)$/i, '')))];
  // Longest first, so `web-2` claims web-2-disk1.vmdk before `web` does.
  bases.sort((a, b) => b.length - a.length);
  const groups = new Map<string, StagedFile[]>(bases.map((b) => [b, []]));
  const referencedBy = new Map<string, string>();
  for (const [base, hrefs] of references) for (const href of hrefs) if (!referencedBy.has(href)) referencedBy.set(href, base);
  const others: StagedFile[] = [];
  for (const f of files) {
    const base = referencedBy.get(f.name) ?? bases.find((b) => f.name.startsWith(b));
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

/**
 * The hrefs of a staged descriptor, read into memory up to the cap (counted in bytes received,
 * whatever size the listing announced); undefined when it cannot be read or parsed. A server
 * sending more than the cap fails the listing: it is not telling the truth about its files.
 */
async function readReferences(session: FtpsSession, name: string, announced: number, cap: number): Promise<string[] | undefined> {
  const sink = new CappedCollector(cap, `the staged descriptor ${printable(name)} (listed as ${announced} bytes)`);
  try {
    await session.client.downloadTo(sink, name);
  } catch (err) {
    if (err instanceof ReadCapError) throw err;
    return undefined;
  }
  const doc = parseDescriptor(sink.buffer().toString('utf8'));
  if (doc.xml.error) return undefined;
  return doc.files.map((f) => f.href?.value).filter((h): h is string => !!h);
}
