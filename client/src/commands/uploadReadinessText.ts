// What the editor's pre-upload dialog says and offers (no `vscode` here, so it is unit-tested).
// Blockers end the command with their list and no way past; errors the cloud may still accept
// ask a modal question with Upload Anyway as the only button that uploads. VS Code focuses the
// first explicit button (Enter picks it) and adds Cancel for Escape, so the first button is a safe
// one (Show Problems): neither Enter nor Escape uploads.
import * as path from 'node:path';
import { formatUploadProblem, UploadProblem, UploadReadiness } from '../../../server/src/ovf';

export const UPLOAD_ANYWAY = 'Upload Anyway';
export const SHOW_PROBLEMS = 'Show Problems';
export const GENERATE_MANIFEST = 'Generate Manifest';
const CLOUD_NAMES = { vcloud: 'vCloud Director', cloudcontrol: 'CloudControl' } as const;
const LISTED = 10;

export interface ReadinessDialog {
  kind: 'error' | 'warning';
  message: string;
  options: { modal: true; detail: string };
  /** Explicit buttons, the first one focused (Enter); Cancel is VS Code's own (Escape). */
  items: string[];
}

/** What the dialog says and offers; undefined when the package is ready (nothing to ask). Pure, for tests. */
export function readinessDialog(readiness: UploadReadiness, descriptorPath: string, force: boolean): ReadinessDialog | undefined {
  const cloud = CLOUD_NAMES[readiness.target];
  const name = path.basename(descriptorPath);
  const list = (problems: UploadProblem[]) => [
    ...problems.slice(0, LISTED).map((p) => `• ${formatUploadProblem(p, path.dirname(descriptorPath))}`),
    ...(problems.length > LISTED ? [`… and ${problems.length - LISTED} more (see Problems)`] : []),
  ].join('\n');
  if (readiness.verdict === 'blocked') {
    // An OVA's manifest is a member: it is packed again (ovfkit pack), not generated beside it.
    const manifest = readiness.blockers.some((b) => b.code === 'cloudcontrol/manifest-missing') && !/\.ova$/i.test(descriptorPath);
    return {
      kind: 'error',
      message: `${name} cannot be uploaded to ${cloud}: ${readiness.blockers.length} problem(s) must be fixed first.`,
      options: { modal: true, detail: list(readiness.blockers) },
      items: manifest ? [GENERATE_MANIFEST, SHOW_PROBLEMS] : [SHOW_PROBLEMS],
    };
  }
  if (readiness.verdict === 'confirm' && !force) {
    return {
      kind: 'warning',
      message: `${name} has ${readiness.needsGoAhead.length} error(s) for ${cloud}; it may refuse the package.`,
      options: { modal: true, detail: list(readiness.needsGoAhead) },
      items: [SHOW_PROBLEMS, UPLOAD_ANYWAY],
    };
  }
  return undefined;
}

