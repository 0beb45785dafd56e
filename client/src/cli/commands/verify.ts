// `ovfkit verify [--target T]... [--format text|json|sarif] FILE.ovf`: checks the package against
// FILE.mf. Prints one line per problem (`file:line:col: severity code message`, 1-based), JSON or
// SARIF, as `ovfkit validate` does. Exit 0 when everything matches, 1 on any mismatch or missing
// file; no manifest at all is an error only when a target in effect needs one (CloudControl).
import { checkCertFile, isAbortError, LineIndex, ManifestFileReport, manifestNameFor, OvaError, readCaCertificates, Span, verifyOva, verifyPackage } from '../../../../server/src/ovf';
import { readFile } from 'node:fs/promises';
import { CliCommand, UsageError, parseOptions } from '../io';
import { formatFindings, PrintableReport } from '../report';
import { hashingProgressLine, INTERRUPTED, requireDescriptorFile } from './manifest';
import { parseFormat, parseTargets } from './validate';

const USAGE = `usage: ovfkit verify [--target vcloud|cloudcontrol|generic]... [--format text|json|sarif] [--ca FILE] FILE.ovf|FILE.ova

Checks every line of FILE.mf against the files (digest and presence) and every file the
descriptor references against the manifest. Without FILE.mf nothing is checked; that is an error
only when a target in effect needs a manifest (cloudcontrol; the targets are --target, else the
descriptor's ovfkit: targets= comment, else vcloud and cloudcontrol). A signed package (FILE.cert)
has its signature checked against the manifest, and with --ca its certificate chain against the
CAs in FILE. Exit 0: everything matches (or no manifest, none needed); 1: a mismatch, a missing
file, entry or needed manifest, or a broken signature;
2: bad usage; 130: interrupted.
FILE.ova is checked in place, never unpacked: its members are hashed inside the tar, its .cert
member checked, and an OVA whose first member is not the descriptor is an error.
`;

export const verify: CliCommand = async (args, io) => {
  const { values, positionals } = parseOptions({
    args,
    options: {
      format: { type: 'string', short: 'f' },
      target: { type: 'string', short: 't', multiple: true },
      ca: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const format = parseFormat(values.format);
  const targets = parseTargets(values.target);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give one descriptor' : 'missing FILE.ovf');
  const isOva = /\.ova$/i.test(positionals[0]);
  if (!isOva) await requireDescriptorFile(positionals[0]);
  let trusted;
  if (values.ca !== undefined) {
    const pem = await readFile(values.ca, 'utf8').catch((err: Error) => { throw new UsageError(`cannot read the CA file ${values.ca}: ${err.message}`); });
    try {
      trusted = readCaCertificates(pem);
    } catch (err) {
      throw new UsageError(`${values.ca}: ${(err as Error).message}`);
    }
  }

  const progress = hashingProgressLine(io, 'verifying');
  let result, cert;
  try {
    if (isOva) ({ result, cert } = await verifyOva(positionals[0], { signal: io.signal, onProgress: progress.update, targets, trusted }));
    else {
      result = await verifyPackage(positionals[0], { signal: io.signal, onProgress: progress.update, targets });
      cert = await checkCertFile(result.manifestPath.replace(/\.mf$/, '.cert'), result.manifestPath, manifestNameFor(positionals[0]), { trusted });
    }
  } catch (err) {
    if (err instanceof OvaError) {
      progress.clear();
      io.stderr.write(`ovfkit verify: ${positionals[0]}: ${err.message}\n`);
      return 1;
    }
    if (!isAbortError(err)) throw err;
    progress.clear();
    io.stderr.write('ovfkit verify: cancelled\n');
    return INTERRUPTED;
  } finally {
    progress.clear();
  }
  if (!cert && trusted) io.stderr.write(`ovfkit verify: --ca given, but the package is not signed (no ${result.manifestPath.replace(/\.mf(\)?)$/, '.cert$1')})\n`);
  const signatureOk = !cert?.findings.some((f) => f.severity === 'error');
  const files = [result.manifest, result.descriptor, cert].flatMap((r) => (r ? [r] : []));
  const lines = new Map(files.map((r) => [r.file, new LineIndex(r.text)]));
  const reports = files.map((r) => printable(r, result.descriptorPath, lines));
  io.stdout.write(formatFindings(reports, format));
  if (format === 'text') {
    const s = result.summary;
    const signature = cert ? `; signature ${signatureOk ? 'valid' : 'INVALID'}` : '';
    io.stderr.write(
      result.noManifest
        ? `${result.ok ? 'ok' : 'FAILED'}: no manifest yet, nothing checked` + (result.manifestRequiredBy ? ` (the ${result.manifestRequiredBy} target needs one)` : '') + `${signature}\n`
        : `${result.ok ? 'ok' : 'FAILED'}: ${s.matched} of ${s.checked} checked files match` +
          (s.mismatched ? `, ${s.mismatched} mismatch` : '') +
          (s.missingFiles ? `, ${s.missingFiles} missing` : '') +
          (s.missingEntries ? `, ${s.missingEntries} not in the manifest` : '') +
          ` (${s.errors} errors, ${s.warnings} warnings)${signature}\n`,
    );
  }
  return result.ok && signatureOk ? 0 : 1;
};

/** The report with each finding's span, and each related span (in either file), as a range. */
function printable(report: Pick<ManifestFileReport, 'file' | 'text' | 'findings'>, descriptorPath: string, lines: Map<string, LineIndex>): PrintableReport {
  const rangeIn = (file: string, span: Span) => lines.get(file)?.rangeOf(span);
  return {
    file: report.file,
    findings: report.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      range: rangeIn(report.file, f.span)!,
      remedy: f.remedy && { ...f.remedy, descriptor: f.remedy.descriptor ?? descriptorPath },
      related: f.related?.map((r) => ({ file: r.file ?? report.file, range: rangeIn(r.file ?? report.file, r.span), message: r.message })),
    })),
  };
}
