// The CLI's side of the pre-upload check (the decision is the domain's: uploadReadiness.ts): the
// findings on stderr, then either the list of blockers (exit 1, no --force gets past them) or,
// for errors the cloud may still accept, a refusal unless --force.
import * as path from 'node:path';
import { formatUploadProblem, UploadReadiness } from '../../../server/src/ovf';
import { CliIO } from './io';
import { formatFindings } from './report';

const CLOUD_NAMES = { vcloud: 'vCloud', cloudcontrol: 'CloudControl' } as const;

/** True when the upload may go on. */
export function reportUploadReadiness(io: CliIO, command: string, descriptorPath: string, readiness: UploadReadiness, force: boolean): boolean {
  const shown = path.relative(process.cwd(), descriptorPath) || descriptorPath;
  if (readiness.findings.length) io.stderr.write(formatFindings([{ file: shown, findings: readiness.findings }], 'text'));
  const cloud = CLOUD_NAMES[readiness.target];
  if (readiness.verdict === 'blocked') {
    const list = readiness.blockers.map((b) => `  ${formatUploadProblem(b, process.cwd())}\n`).join('');
    const manifest = readiness.blockers.some((b) => b.code === 'cloudcontrol/manifest-missing') ? `(ovfkit manifest ${shown} writes the manifest)\n` : '';
    io.stderr.write(`ovfkit ${command}: cannot upload to ${cloud}; fix these first (--force does not skip them):\n${list}${manifest}`);
    return false;
  }
  if (readiness.verdict === 'confirm' && !force) {
    io.stderr.write(`ovfkit ${command}: the package has ${readiness.needsGoAhead.length} error(s) for ${cloud}, which may refuse it; fix them, or pass --force to upload anyway\n`);
    return false;
  }
  return true;
}
