// `ovfkit download ftps ...`: list the exports in an FTPS staging folder, or download one package
// into a local folder (resuming .partial files) and check it against its manifest.
import * as path from 'node:path';
import { LineIndex, verifyPackage } from '../../../../server/src/ovf';
import { printable } from '../../transfer/common/sanitise';
import { downloadFromFtps, formatBytes, FtpsCancelledError, FtpsDownloadError, FtpsEndpoint, listStagingFolder, StagedPackage, StagingListing } from '../../transfer/ftps';
import { CliCommand, CliIO, UsageError } from '../io';
import { formatFindings } from '../report';
import { endpointFromArgs, parse, parseParallel, parseRetries } from './uploadFtps';
import { progressLine } from '../progressLine';
import { describeTransferProgress } from '../../transfer/common/progressText';

const HELP = `usage: ovfkit download ftps (--host HOST | --region NAME) [--port P] [--implicit]
                           --user USER --password-env VAR [--ca FILE] [--dir DIR]
                           [PACKAGE --to LOCALDIR [--overwrite]]

Without PACKAGE: lists the packages in the staging folder with their sizes and the date each is
deleted (14 days after upload). With PACKAGE (its base name, or its .ovf/.mf name): downloads its
files into LOCALDIR, resuming any .partial file an earlier run left, then checks them against the
package's manifest. Files already in LOCALDIR under the package's names are not replaced
unless --overwrite. Exit 0 when every file arrived and matches, 1 on failure, 2 on bad usage.

options: as for 'ovfkit upload ftps' (--host, --region, --port, --implicit, --active, --user,
--password-env, --ca, --dir, --retries, --timeout, --min-rate, -v), and
  --parallel N         files fetched at once, each on its own session (default 3, 1-8)
  --to LOCALDIR        folder to download into (created if missing)
  --overwrite          replace files of the package's names already in LOCALDIR
`;

export const downloadFtps: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { to: { type: 'string' }, overwrite: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`one package at a time (got ${positionals.length})`);
  const wanted = positionals[0];
  if (wanted && !values.to) throw new UsageError('--to LOCALDIR is required to download a package');
  if (!wanted && values.to) throw new UsageError('--to given but no PACKAGE to download');
  if (!wanted && values.overwrite) throw new UsageError('--overwrite given but no PACKAGE to download');
  const endpoint = endpointFromArgs(values, io);
  const retries = parseRetries(values.retries);
  const parallel = parseParallel(values.parallel);
  const log = (line: string) => {
    if (values.verbose) io.stderr.write(`${line}\n`);
  };

  const listing = await listStagingFolder(endpoint, values.dir, io.signal);
  if (!wanted) {
    if (!listing.packages.length) io.stdout.write('no packages in the staging folder\n');
    for (const p of listing.packages) io.stdout.write(describePackage(p));
    if (listing.others.length) io.stdout.write(`other files: ${listing.others.map((f) => printable(f.name)).join(', ')}\n`);
    return 0;
  }

  return downloadStagedPackage(endpoint, listing, { remoteDir: values.dir, name: wanted, toDir: values.to!, overwrite: values.overwrite === true, retries, parallel, onLog: log, command: 'ovfkit download ftps' }, io);
};

export interface StagedPackageDownload {
  remoteDir?: string;
  /** The package's base name, or its .ovf/.mf name. */
  name: string;
  toDir: string;
  overwrite: boolean;
  retries: number;
  /** Files fetched at once (default 3). */
  parallel?: number;
  onLog: (line: string) => void;
  /** Prefix of error lines, e.g. "ovfkit download ftps". */
  command: string;
  /** Told what arrived and how the manifest check went; with it, stdout stays for the caller's own report (--format json). */
  onResult?: (result: StagedPackageResult) => void;
}

/** What a staged package's download did, for a machine-readable report. */
export interface StagedPackageResult {
  dir: string;
  files: Array<{ name: string; size: number; resumedFrom?: number }>;
  /** The manifest check; undefined when the package had no manifest or no descriptor (sizes only). */
  verified?: { ok: boolean; manifest: string; matched: number; checked: number };
}

/**
 * Downloads one package of a staging folder listing into a local folder and checks it against its
 * manifest; also what `ovfkit export cloudcontrol --to` runs. Returns the exit code (0, 1, 130).
 */
export async function downloadStagedPackage(endpoint: FtpsEndpoint, listing: StagingListing, job: StagedPackageDownload, io: CliIO): Promise<number> {
  const base = job.name.replace(/\.(ovf|mf)$/i, '');
  const pkg = listing.packages.find((p) => p.name === base);
  if (!pkg) {
    io.stderr.write(`${job.command}: no package '${printable(base)}' in the staging folder (there: ${listing.packages.map((p) => printable(p.name)).join(', ') || 'none'})\n`);
    return 1;
  }
  const toDir = path.resolve(job.toDir);
  const progress = progressLine(io, describeTransferProgress);
  let files: StagedPackageResult['files'] = [];
  try {
    const result = await downloadFromFtps({
      endpoint,
      remoteDir: job.remoteDir,
      files: pkg.files.map((f) => ({ name: f.name, size: f.size })),
      toDir,
      overwrite: job.overwrite,
      signal: io.signal,
      onProgress: progress.update,
      onLog: job.onLog,
      retry: { attempts: job.retries },
      parallel: job.parallel,
    });
    progress.clear();
    files = result.files.map((f) => ({ name: f.name, size: f.size, ...(f.resumedFrom ? { resumedFrom: f.resumedFrom } : {}) }));
    if (!job.onResult) for (const f of result.files) io.stdout.write(`downloaded ${f.name} (${formatBytes(f.size)}${f.resumedFrom ? `, resumed at ${formatBytes(f.resumedFrom)}` : ''})\n`);
  } catch (err) {
    progress.clear();
    if (!(err instanceof FtpsDownloadError)) throw err;
    if (err.reason instanceof FtpsCancelledError) {
      io.stderr.write(`${job.command}: ${err.message}; run the same command again to resume\n`);
      return 130;
    }
    io.stderr.write(`${job.command}: ${err.message}\n`);
    return 1;
  }

  // The manifest decides whether the package is intact (sizes were already checked per file).
  const descriptor = pkg.files.find((f) => f.name === `${base}.ovf`);
  const manifest = pkg.files.find((f) => f.name === `${base}.mf`);
  if (!descriptor || !manifest) {
    io.stderr.write(`note: ${descriptor ? 'no manifest' : 'no descriptor'} in the package; only file sizes were checked\n`);
    job.onResult?.({ dir: toDir, files });
    return 0;
  }
  const verified = await verifyPackage(path.join(toDir, descriptor.name), { signal: io.signal });
  const reports = [verified.manifest, verified.descriptor].flatMap((r) => {
    if (!r || !r.findings.length) return [];
    const lines = new LineIndex(r.text);
    return [{ file: r.file, findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, range: lines.rangeOf(f.span) })) }];
  });
  if (reports.length) io.stderr.write(formatFindings(reports, 'text'));
  const s = verified.summary;
  const manifestName = path.basename(verified.manifestPath);
  if (job.onResult) job.onResult({ dir: toDir, files, verified: { ok: verified.ok, manifest: manifestName, matched: s.matched, checked: s.checked } });
  else io.stdout.write(`${verified.ok ? 'verified' : 'FAILED'}: ${s.matched} of ${s.checked} files match ${manifestName}\n`);
  return verified.ok ? 0 : 1;
};

function describePackage(p: StagedPackage): string {
  const expires = p.expiresAt ? `deleted ${p.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'expiry unknown';
  const lines = [`${printable(p.name)}  ${p.files.length} file(s), ${formatBytes(p.totalBytes)}, ${expires}\n`];
  for (const f of p.files) lines.push(`  ${printable(f.name)}  ${formatBytes(f.size)}\n`);
  return lines.join('');
}
