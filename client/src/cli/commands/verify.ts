// `ovfkit verify [--format text|json] FILE.ovf`: checks the package against FILE.mf. Prints one
// line per problem (`file:line:col: severity code message`, 1-based) or a JSON array, as
// `ovfkit validate` does. Exit 0 when everything matches, 1 on any mismatch or missing file.
import { LineIndex } from '../../../../server/src/ovf/lineIndex';
import { isAbortError } from '../../../../server/src/ovf/manifest/errors';
import { ManifestFileReport, verifyPackage } from '../../../../server/src/ovf/manifest/verifyPackage';
import { CliCommand, UsageError, parseOptions } from '../io';
import { formatFindings, PrintableFinding } from '../report';
import { INTERRUPTED, progressLine, requireDescriptorFile } from './manifest';

const USAGE = `usage: ovfkit verify [--format text|json] FILE.ovf

Checks every line of FILE.mf against the files (digest and presence) and every file the
descriptor references against the manifest. Exit 0: everything matches; 1: a mismatch or a
missing file or entry; 2: bad usage; 130: interrupted.
`;

export const verify: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    options: { format: { type: 'string', short: 'f', default: 'text' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format '${values.format}' (expected text|json)`);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');
  await requireDescriptorFile(positionals[0]);

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
  const reports = [result.manifest, result.descriptor].flatMap((r) => (r ? [printable(r)] : []));
  io.stdout.write(formatFindings(reports, values.format));
  if (values.format === 'text') {
    const s = result.summary;
    io.stderr.write(
      `${result.ok ? 'ok' : 'FAILED'}: ${s.matched} of ${s.checked} checked files match` +
        (s.mismatched ? `, ${s.mismatched} mismatch` : '') +
        (s.missingFiles ? `, ${s.missingFiles} missing` : '') +
        (s.missingEntries ? `, ${s.missingEntries} not in the manifest` : '') +
        ` (${s.errors} errors, ${s.warnings} warnings)\n`,
    );
  }
  return result.ok ? 0 : 1;
};

/** The report with each finding's span as a range of its file's text. */
function printable(report: ManifestFileReport): { file: string; findings: PrintableFinding[] } {
  const lines = new LineIndex(report.text);
  return { file: report.file, findings: report.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, range: lines.rangeOf(f.span) })) };
}
