// Whether a package may go up to a cloud, decided once for every front end (editor commands, CLI):
// which problems block the upload outright (no "upload anyway": a file cannot be sent, or the
// cloud refuses the package for certain), which errors need the user's go-ahead (the cloud may
// still take it), and which findings are only shown. planUpload.ts gathers the input.
import * as path from 'node:path';
import { ReportedFinding } from '../validate';

export type UploadTarget = 'vcloud' | 'cloudcontrol';

/**
 * Error codes after which the upload cannot succeed, with the source that says so. Errors not
 * listed (limits taken from settings, which may be stale) need the user's go-ahead instead.
 */
const BLOCKING: Record<string, { targets: readonly UploadTarget[]; source: string }> = {
  'xml/malformed': { targets: ['vcloud', 'cloudcontrol'], source: 'an OVF descriptor is an XML document (DSP0243); this one cannot be read, so neither its files nor the cloud can use it' },
  'xml/binary': { targets: ['vcloud', 'cloudcontrol'], source: 'an OVF descriptor is an XML text document (DSP0243)' },
  'xml/dtd': { targets: ['vcloud', 'cloudcontrol'], source: 'ovfkit does not expand DTD entities, so it cannot list the files to send' },
  'ovf/not-an-envelope': { targets: ['vcloud', 'cloudcontrol'], source: 'the root element of a descriptor is an OVF Envelope (DSP0243); nothing else is imported' },
  'package/missing-file': { targets: ['vcloud', 'cloudcontrol'], source: 'a file the descriptor references cannot be sent when it is not there' },
  'package/unsafe-href': { targets: ['vcloud', 'cloudcontrol'], source: 'ovfkit never reads outside the package folder' },
  'package/outside-package': { targets: ['vcloud', 'cloudcontrol'], source: 'ovfkit never reads a file a symlink leads to outside the package folder (docs/SECURITY.md)' },
  'package/not-a-file': { targets: ['vcloud', 'cloudcontrol'], source: 'only regular files are read and sent; a folder, FIFO or device cannot be (docs/SECURITY.md)' },
  'package/size-mismatch': { targets: ['vcloud'], source: "the transfer service expects each file to have its ovf:size bytes (vCloud API Programming Guide 5.5, uploading an OVF package)" },
  'vcloud/ovf-version': { targets: ['vcloud'], source: 'the transfer service accepts OVF 1.0 and 1.1 only (vCloud API Programming Guide 5.5 p.59)' },
  'vcloud/compression': { targets: ['vcloud'], source: 'the transfer service refuses compressed packages (vCloud API Programming Guide 5.5 p.59)' },
  'cloudcontrol/manifest-missing': { targets: ['cloudcontrol'], source: "the import needs the OVF, the MF and one VMDK per disk in the staging folder (CloudControl Client Image import)" },
  'cloudcontrol/disk-not-vmdk': { targets: ['cloudcontrol'], source: "the import needs one VMDK per disk (CloudControl Client Image import)" },
};

/** One problem, located where it is: a finding's file:line:column, or the file that cannot be read. */
export interface UploadProblem {
  code: string;
  message: string;
  /** The file the problem is in (the descriptor, or a package member). */
  file: string;
  /** 1-based, for findings in the descriptor. */
  line?: number;
  column?: number;
}

export interface UploadReadiness {
  target: UploadTarget;
  /** Nothing gets past these. */
  blockers: UploadProblem[];
  /** Errors the cloud may still accept: the upload goes only on the user's explicit go-ahead. */
  needsGoAhead: UploadProblem[];
  /** Every finding, for the log or a report. */
  findings: ReportedFinding[];
  verdict: 'ready' | 'confirm' | 'blocked';
}

export interface ReadinessInput {
  target: UploadTarget;
  descriptorPath: string;
  findings: ReportedFinding[];
  /** Package files that exist but cannot be opened for reading (or the descriptor itself, unreadable). */
  unreadable: { file: string; reason: string }[];
}

/** Pure: the decision from the findings and the read checks. */
export function judgeUploadReadiness(input: ReadinessInput): UploadReadiness {
  const blockers: UploadProblem[] = input.unreadable.map((u) => ({ code: 'upload/unreadable-file', message: `cannot read ${path.basename(u.file)}: ${u.reason}`, file: u.file }));
  const needsGoAhead: UploadProblem[] = [];
  for (const f of input.findings) {
    if (f.severity !== 'error') continue;
    const problem = { code: f.code, message: f.message, file: input.descriptorPath, line: f.range.start.line + 1, column: f.range.start.character + 1 };
    (BLOCKING[f.code]?.targets.includes(input.target) ? blockers : needsGoAhead).push(problem);
  }
  const verdict = blockers.length ? 'blocked' : needsGoAhead.length ? 'confirm' : 'ready';
  return { target: input.target, blockers, needsGoAhead, findings: input.findings, verdict };
}

/** "file:line:col: message" per problem, for lists. */
export function formatUploadProblem(p: UploadProblem, relativeTo?: string): string {
  const file = relativeTo ? path.relative(relativeTo, p.file) || p.file : p.file;
  return `${file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.message}`;
}
