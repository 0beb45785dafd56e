// `ovfkit verify [--format text|json] FILE.ovf`: checks the package against FILE.mf. Prints one
// line per problem (`file:line:col: severity code message`, 1-based) or a JSON array, as
// `ovfkit validate` does. Exit 0 when everything matches, 1 on any mismatch or missing file.
import { parseArgs } from 'node:util';
import { LineIndex } from '../../../../server/src/ovf/lineIndex';
import { ManifestFileReport, verifyPackage } from '../../../../server/src/ovf/manifest/verifyPackage';
import { CliCommand, UsageError } from '../io';
import { progressLine } from './manifest';

const USAGE = `usage: ovfkit verify [--format text|json] FILE.ovf

Checks every line of FILE.mf against the files (digest and presence) and every file the
descriptor references against the manifest. Exit 0: everything matches; 1: a mismatch or a
missing file or entry; 2: bad usage.
`;

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

export const verify: CliCommand = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { format: { type: 'string', short: 'f', default: 'text' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format '${values.format}' (expected text|json)`);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');

  const progress = progressLine(io, 'verifying');
  let result;
  try {
    result = await verifyPackage(positionals[0], { signal: io.signal, onProgress: progress.update });
  } finally {
    progress.done();
  }
  const findings = [result.manifest, result.descriptor].flatMap((r) => (r ? toJson(r) : []));
  if (values.format === 'json') {
    io.stdout.write(JSON.stringify(findings, null, 2) + '\n');
  } else {
    for (const f of findings) io.stdout.write(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`);
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

function toJson(report: ManifestFileReport): JsonFinding[] {
  const lines = new LineIndex(report.text);
  return report.findings.map((f) => {
    const r = lines.rangeOf(f.span);
    return {
      file: report.file,
      line: r.start.line + 1,
      column: r.start.character + 1,
      endLine: r.end.line + 1,
      endColumn: r.end.character + 1,
      severity: f.severity,
      code: f.code,
      message: f.message,
    };
  });
}
