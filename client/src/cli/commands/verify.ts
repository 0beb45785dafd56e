// `ovfkit verify [--format text|json] FILE.ovf`: checks the package against FILE.mf. Prints one
// line per problem (`file:line:col: severity code message`, 1-based) or a JSON array, as
// `ovfkit validate` does. Exit 0 when everything matches, 1 on any mismatch or missing file.
import { LineIndex } from '../../../../server/src/ovf/lineIndex';
import { isAbortError } from '../../../../server/src/ovf/manifest/errors';
import { ManifestFileReport, verifyPackage } from '../../../../server/src/ovf/manifest/verifyPackage';
import { manifestNameFor } from '../../../../server/src/ovf/package/packageFacts';
import { readCaCertificates } from '../../../../server/src/ovf/signature/certificate';
import { checkCertFile } from '../../../../server/src/ovf/signature/checkCertFile';
import { readFile } from 'node:fs/promises';
import { CliCommand, UsageError, parseOptions } from '../io';
import { formatFindings, PrintableFinding } from '../report';
import { INTERRUPTED, progressLine, requireDescriptorFile } from './manifest';

const USAGE = `usage: ovfkit verify [--format text|json] [--ca FILE] FILE.ovf

Checks every line of FILE.mf against the files (digest and presence) and every file the
descriptor references against the manifest. A signed package (FILE.cert) has its signature
checked against the manifest, and with --ca its certificate chain against the CAs in FILE.
Exit 0: everything matches; 1: a mismatch, a missing file or entry, or a broken signature;
2: bad usage; 130: interrupted.
`;

export const verify: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    options: { format: { type: 'string', short: 'f', default: 'text' }, ca: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format '${values.format}' (expected text|json)`);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');
  await requireDescriptorFile(positionals[0]);
  let trusted;
  if (values.ca !== undefined) {
    const pem = await readFile(values.ca, 'utf8').catch((err: Error) => { throw new UsageError(`cannot read the CA file ${values.ca}: ${err.message}`); });
    try {
      trusted = readCaCertificates(pem);
    } catch (err) {
      throw new UsageError(`${values.ca}: ${(err as Error).message}`);
    }
  }

  const progress = progressLine(io, 'verifying');
  let result;
  try {
    result = await verifyPackage(positionals[0], { signal: io.signal, onProgress: progress.update });
  } catch (err) {
    if (!isAbortError(err)) throw err;
    progress.done();
    io.stderr.write('ovfkit verify: cancelled\n');
    return INTERRUPTED;
  } finally {
    progress.done();
  }
  const manifestName = manifestNameFor(positionals[0]);
  const certPath = result.manifestPath.replace(/\.mf$/, '.cert');
  const cert = await checkCertFile(certPath, result.manifestPath, manifestName, { trusted });
  if (!cert && trusted) io.stderr.write(`ovfkit verify: --ca given, but the package is not signed (no ${certPath})\n`);
  const signatureOk = !cert?.findings.some((f) => f.severity === 'error');
  const reports = [result.manifest, result.descriptor, cert].flatMap((r) => (r ? [printable(r)] : []));
  io.stdout.write(formatFindings(reports, values.format));
  if (values.format === 'text') {
    const s = result.summary;
    io.stderr.write(
      `${result.ok ? 'ok' : 'FAILED'}: ${s.matched} of ${s.checked} checked files match` +
        (s.mismatched ? `, ${s.mismatched} mismatch` : '') +
        (s.missingFiles ? `, ${s.missingFiles} missing` : '') +
        (s.missingEntries ? `, ${s.missingEntries} not in the manifest` : '') +
        ` (${s.errors} errors, ${s.warnings} warnings)` +
        (cert ? `; signature ${signatureOk ? 'valid' : 'INVALID'}` : '') + '\n',
    );
  }
  return result.ok && signatureOk ? 0 : 1;
};

/** The report with each finding's span as a range of its file's text. */
function printable(report: Pick<ManifestFileReport, 'file' | 'text' | 'findings'>): { file: string; findings: PrintableFinding[] } {
  const lines = new LineIndex(report.text);
  return { file: report.file, findings: report.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, range: lines.rangeOf(f.span) })) };
}
