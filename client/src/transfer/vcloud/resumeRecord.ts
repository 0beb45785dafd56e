// A small record of an upload in progress, so a later attempt can continue it (--resume, or the
// command's "Resume"). It holds where the template lives and which descriptor it was made from;
// never a credential. It is the one resume record of a vCloud upload, and both front ends keep it in
// the same place, beside the descriptor (`.NAME.ovf.vcloud-upload.json`): the CLI cannot know the
// editor's global storage, and a record beside the package is found by whichever front end opens
// that package next (and goes with it to the machine that reads it, e.g. a remote workspace).
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { normaliseBaseUrl } from './connection';

export interface UploadRecord {
  version: 1;
  url: string;
  org: string;
  user: string;
  templateHref: string;
  templateName: string;
  descriptorPath: string;
  /** Size and mtime of the descriptor when the upload started: a changed descriptor is a new upload. */
  descriptorSize: number;
  descriptorMtimeMs: number;
  startedAt: string;
}

/** The record file of both front ends: `.<descriptor name>.vcloud-upload.json` beside the descriptor. */
export function recordPathBeside(descriptorPath: string): string {
  return path.join(path.dirname(descriptorPath), `.${path.basename(descriptorPath)}.vcloud-upload.json`);
}

export async function newUploadRecord(fields: { url: string; org: string; user: string; templateHref: string; templateName: string; descriptorPath: string }): Promise<UploadRecord> {
  const s = await stat(fields.descriptorPath);
  return {
    version: 1,
    ...fields,
    url: normaliseBaseUrl(fields.url),
    descriptorPath: path.resolve(fields.descriptorPath),
    descriptorSize: s.size,
    descriptorMtimeMs: Math.round(s.mtimeMs),
    startedAt: new Date().toISOString(),
  };
}

export async function writeUploadRecord(file: string, record: UploadRecord): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(record, null, 2) + '\n');
}

export async function readUploadRecord(file: string): Promise<UploadRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const r = JSON.parse(text) as UploadRecord;
    return r.version === 1 && typeof r.templateHref === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

export async function removeUploadRecord(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Why `record` cannot continue an upload of `descriptorPath` to `url`/`org`, or undefined when it can. */
export async function whyNotResumable(record: UploadRecord, target: { url: string; org: string; descriptorPath: string }): Promise<string | undefined> {
  if (normaliseBaseUrl(target.url) !== record.url || target.org.toLowerCase() !== record.org.toLowerCase()) {
    return `the interrupted upload went to ${record.url} (organisation ${record.org}), not this endpoint`;
  }
  if (path.resolve(target.descriptorPath) !== record.descriptorPath) return `the interrupted upload was of ${record.descriptorPath}`;
  const s = await stat(target.descriptorPath);
  if (s.size !== record.descriptorSize || Math.round(s.mtimeMs) !== record.descriptorMtimeMs) {
    return 'the descriptor changed since the interrupted upload started';
  }
  return undefined;
}

/** The recorded upload of this package and, when it cannot continue to this target, why not. */
export async function findRecordedUpload(file: string, target: { url: string; org: string; descriptorPath: string }): Promise<{ record: UploadRecord; whyNot?: string } | undefined> {
  const record = await readUploadRecord(file);
  if (!record) return undefined;
  const whyNot = await whyNotResumable(record, target);
  return whyNot ? { record, whyNot } : { record };
}
