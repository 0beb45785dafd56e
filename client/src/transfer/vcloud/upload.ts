// The vCloud Director upload workflow, end to end, in named steps after the login: createOrResume
// (a new template, or the recorded one), sendDescriptor (PUT unchanged), awaitLinks (bounded wait
// for the per-file links), sendFiles (ordered ranged chunks from the server's offset), awaitTask
// (the server's import until the template is ready, status 8).
// Nothing is reported as done before the server says so.
import { printable } from '../common/sanitise';
import { MAX_DESCRIPTOR_BYTES } from '../../../../server/src/ovf';
import { readSourceBytes } from '../common/byteSource';
import { ConnectOptions, VcloudConnection } from './connection';
import { ContentCheck, PartedDigest, readManifestDigestsFrom, StreamingDigest } from '../common/manifestDigests';
import { VcloudCancelledError, VcloudError, VcloudManifestMismatchError, VcloudProtocolError, VcloudTaskError, VcloudUsageError } from './errors';
import { DEFAULT_RETRY, sendFile } from './fileTransfer';
import { resolveRetryPolicy, RetryPolicy } from '../common/backoff';
import { readUploadContents, UploadFile } from './packageContents';
import { UploadPhase, UploadProgress } from './progress';
import { ProgressMeter } from '../common/progress';
import { checkParallel, DEFAULT_PARALLEL, runInParallel } from '../common/parallel';
import { NamedRef, readCatalogItemEntity, readOrg, readTemplate, readUploadLink, TaskView, TemplateView, UPLOAD_PARAMS_TYPE } from './responses';
import { isAbortError, pollUntil } from './waits';

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
export const DEFAULT_LINK_TIMEOUT_SECONDS = 300;
export const DEFAULT_TASK_TIMEOUT_SECONDS = 3600;

export interface VcloudUploadOptions extends ConnectOptions {
  /** An .ovf beside its files, or an .ova (its members are sent straight from the tar). */
  descriptorPath: string;
  /** Where the template goes: a catalog (VCD >= 5.5), or a VDC (the older uploadVAppTemplate form). */
  catalog?: string;
  vdc?: string;
  /** Template name; defaults to the descriptor's (or OVA's) file name without `.ovf`/`.ova`. */
  name?: string;
  description?: string;
  chunkSize?: number;
  /** Files sent at once after the manifest (default 3, at most 8); each file's ranges stay in order. */
  parallel?: number;
  linkTimeoutSeconds?: number;
  taskTimeoutSeconds?: number;
  pollIntervalMs?: number;
  retry?: RetryPolicy;
  /** Continue the upload of this template instead of creating a new one. */
  resumeTemplateHref?: string;
  /** Called as soon as the server has created the template, so a front end can record it for --resume. */
  onTemplateCreated?: (templateHref: string, templateName: string) => void | Promise<void>;
  /** Told once the server accepted the login (front ends save their choices then). */
  onLoggedIn?: () => void | Promise<void>;
  /** On abort, also cancel the server's task (the user cancelled for good); otherwise the upload stays resumable. */
  cancelServerTaskOnAbort?: boolean;
  onProgress?: (progress: UploadProgress) => void;
  /** Things worth a log line that are not errors: retries, resumed offsets. Never contains secrets. */
  onNotice?: (message: string) => void;
}

export interface VcloudUploadResult {
  templateHref: string;
  templateName: string;
  status: number;
  /** The names vCloud gave the template's VMs. */
  vmNames: string[];
  totalBytes: number;
  /** Bytes this attempt sent (less than totalBytes when it resumed). */
  bytesSentThisAttempt: number;
  seconds: number;
  resumed: boolean;
  apiVersion: string;
  loginMethod: 'cloudapi' | 'legacy';
}

const RUNNING_TASK = new Set(['queued', 'preRunning', 'running']);
const FAILED_TASK = new Set(['error', 'canceled', 'aborted']);

export async function uploadToVcloud(options: VcloudUploadOptions): Promise<VcloudUploadResult> {
  const started = Date.now();
  const signal = options.signal;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new VcloudUsageError(`chunk size must be a positive whole number of bytes, not ${chunkSize}`);
  const parallelChecked = checkParallel(options.parallel ?? DEFAULT_PARALLEL);
  if (typeof parallelChecked === 'string') throw new VcloudUsageError(`parallel: ${parallelChecked}`);
  const parallel: number = parallelChecked;
  if (!options.resumeTemplateHref && !options.catalog && !options.vdc) throw new VcloudUsageError('say where the template goes: a catalog or a VDC');
  const retry = resolveRetryPolicy(options.retry, DEFAULT_RETRY);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const contents = await readUploadContents(options.descriptorPath);
  // Every file the manifest lists is checked against it while it is sent (vCloud checks the manifest too, but only after the last byte).
  const digests = contents.manifest ? await readManifestDigestsFrom(contents.manifest.source) : new Map();
  const checkFor = (packageName: string) => {
    const expected = digests.get(packageName);
    return expected ? new StreamingDigest(packageName, expected) : undefined;
  };
  // A chunked File goes as one sequence; the manifest lists its parts, each checked on its own.
  const checkOf = (file: UploadFile): ContentCheck | undefined => {
    if (!file.parts) return checkFor(file.serverName);
    const parts = file.parts.map((name, i) => ({ length: file.source.segments[i].length, digest: checkFor(name) }));
    return parts.some((p) => p.digest) ? new PartedDigest(parts) : undefined;
  };
  const templateName = options.name ?? defaultTemplateName(options.descriptorPath);

  // Where each file stands on the server; their sum is the package's progress. Files count in
  // the order they go: the descriptor, the manifest, then the rest.
  const order = [{ serverName: 'descriptor.ovf', size: contents.descriptor.size }, ...(contents.manifest ? [contents.manifest] : []), ...contents.files];
  const indexOf = (name: string) => order.findIndex((f) => f.serverName === name) + 1;
  const place = (name: string, size: number, position: number) => meter.place(name, indexOf(name), order[indexOf(name) - 1]?.size ?? size, position);
  let templateHref: string | undefined;
  const meter = new ProgressMeter(
    contents.totalBytes,
    order.length,
    options.onProgress && ((p) => options.onProgress!({ ...p, phase: 'uploading', message: `Sending ${p.files.map((f) => f.name).join(', ')}`, templateHref })),
    { reportEveryMs: 100 },
  );
  let sentAtStart = 0;
  const emit = (phase: UploadPhase, message: string, extra: Partial<UploadProgress> = {}) => {
    options.onProgress?.({ ...meter.snapshot(), phase, message, templateHref, ...extra });
  };

  emit('login', `Logging in to ${options.url}`);
  let connection: VcloudConnection;
  try {
    connection = await VcloudConnection.login(options);
  } catch (err) {
    if (isAbortError(err) || signal?.aborted) throw new VcloudCancelledError(undefined, false);
    throw err;
  }
  await options.onLoggedIn?.();
  const resumed = options.resumeTemplateHref !== undefined;
  const sendList = [...(contents.manifest ? [contents.manifest] : []), ...contents.files];
  try {
    // The steps, in order; a resumed upload runs the same ones, each skipping what the server holds.
    let template = await createOrResume();
    const href = templateHref!;
    for (const f of template.files) place(f.name, f.size, Math.max(0, f.bytesTransferred));
    sentAtStart = meter.bytesDone;
    await sendDescriptor(template);
    template = await awaitLinks(href, template.name);
    await sendFiles(template);
    const done = await awaitTask(href, template.name);
    emit('done', `Template '${done.name}' is ready`);
    return {
      templateHref: href,
      templateName: done.name,
      status: done.status,
      vmNames: done.vmNames,
      totalBytes: contents.totalBytes,
      bytesSentThisAttempt: meter.bytesDone - sentAtStart,
      seconds: (Date.now() - started) / 1000,
      resumed,
      apiVersion: connection.apiVersion,
      loginMethod: connection.loginMethod,
    };
  } catch (err) {
    if (err instanceof VcloudManifestMismatchError && templateHref) {
      // The server holds the manifest already: this template cannot be completed by a resume.
      const outcome = await cancelOnServer(connection, templateHref).catch(() => 'failed');
      throw new VcloudManifestMismatchError(`${err.message}. ${outcome === 'failed' ? `The unfinished template could not be cancelled on the server (${templateHref})` : 'The unfinished template was cancelled on the server'}; fix the file or regenerate the manifest, then upload again`, err.file);
    }
    if (isAbortError(err) || signal?.aborted) {
      let cancelled = false;
      if (options.cancelServerTaskOnAbort && templateHref) {
        cancelled = (await cancelOnServer(connection, templateHref).catch(() => 'failed')) !== 'failed';
      }
      throw new VcloudCancelledError(templateHref, cancelled);
    }
    throw err;
  } finally {
    await connection.logout();
  }

  /**
   * Step 1, the home of resume: the template to upload into, either the one the front end recorded
   * (resumeRecord.ts, read by both CLI and editor) or a new one the front end is told to record.
   */
  async function createOrResume(): Promise<TemplateView> {
    if (options.resumeTemplateHref) {
      templateHref = options.resumeTemplateHref;
      const template = readTemplate(await connection.get(templateHref, signal));
      failIfBroken(template, templateHref);
      if (template.status === 8) throw new VcloudUsageError(`template '${template.name}' is already complete (status 8): nothing to resume`);
      options.onNotice?.(`resuming the upload of template '${template.name}' (${printable(templateHref)})`);
      return template;
    }
    emit('creating', `Creating template '${templateName}'`);
    templateHref = await createUpload(connection, options, templateName, contents.manifest !== undefined);
    await options.onTemplateCreated?.(templateHref, templateName);
    return readTemplate(await connection.get(templateHref, signal));
  }

  /** Step 2: the descriptor, as its bytes are on disk (the manifest's digest covers them), unless the server has it. */
  async function sendDescriptor(template: TemplateView): Promise<void> {
    if (template.ovfDescriptorUploaded) {
      place('descriptor.ovf', contents.descriptor.size, contents.descriptor.size);
      return;
    }
    emit('descriptor', 'Sending the descriptor');
    const link = template.files.find((f) => f.name === 'descriptor.ovf')?.uploadHref;
    if (!link) throw new VcloudError(`template '${template.name}' offers no upload link for its descriptor`);
    const bytes = await readSourceBytes(contents.descriptor.source, MAX_DESCRIPTOR_BYTES);
    const check = checkFor(contents.descriptorName);
    check?.update(0, bytes);
    const mismatch = check?.mismatch();
    if (mismatch) throw new VcloudManifestMismatchError(`${mismatch}; the descriptor was not sent`, contents.descriptorName);
    await connection.request('PUT', link, { body: bytes, headers: { 'Content-Type': 'text/xml', 'Content-Length': bytes.length }, signal });
    place('descriptor.ovf', bytes.length, bytes.length);
  }

  /** Step 3: wait (bounded) until the server offers an upload link for every file. */
  async function awaitLinks(href: string, name: string): Promise<TemplateView> {
    emit('waiting-for-links', 'Waiting for the server to process the descriptor');
    const template = await pollUntil(
      async (bounded) => {
        const t = readTemplate(await connection.get(href, bounded));
        failIfBroken(t, href);
        return sendList.every((f) => t.files.some((s) => s.name === f.serverName && s.uploadHref)) ? t : undefined;
      },
      {
        awaited: `the upload links of ${sendList.map((f) => f.serverName).join(', ')} (the server had not finished processing the descriptor of '${name}')`,
        timeoutSeconds: options.linkTimeoutSeconds ?? DEFAULT_LINK_TIMEOUT_SECONDS,
        intervalMs: pollIntervalMs,
        signal,
        howToRaise: 'raise it with --link-timeout SECONDS or the setting ovfkit.vcloud.linkTimeoutSeconds',
      },
    );
    const unknown = template.files.filter((s) => s.name !== 'descriptor.ovf' && !sendList.some((f) => f.serverName === s.name));
    if (unknown.length) throw new VcloudError(`the server expects ${unknown.map((f) => printable(f.name)).join(', ')}, which the local package does not have`);
    return template;
  }

  /**
   * Step 4: each file to its link, from the offset the server holds: the manifest first, then the
   * others a few at a time (issue #15), each file's ranges in order as the transfer service
   * requires. A file is sent as one byte sequence with one continuous Content-Range; its bytes
   * come from its ByteSource (a loose file, a range of an OVA, a chunked File's parts in order).
   */
  async function sendFiles(template: TemplateView): Promise<void> {
    const pending: { file: UploadFile; uploadHref: string; offset: number }[] = [];
    for (const file of sendList) {
      const server = template.files.find((s) => s.name === file.serverName)!;
      if (server.size >= 0 && server.size !== file.size) {
        throw new VcloudError(`${file.serverName}: the local file has ${file.size} bytes but the server expects ${server.size} (the descriptor's ovf:size)`);
      }
      checkServerOffset(file, server.bytesTransferred);
      place(file.serverName, file.size, server.bytesTransferred);
      if (server.bytesTransferred >= file.size && file.size > 0) continue;
      if (server.bytesTransferred > 0) options.onNotice?.(`${file.serverName}: the server already has ${server.bytesTransferred} of ${file.size} bytes; continuing from there`);
      pending.push({ file, uploadHref: server.uploadHref!, offset: server.bytesTransferred });
    }
    const manifestFirst = pending[0]?.file === contents.manifest ? pending.shift() : undefined;
    if (manifestFirst) await sendOne(connection, manifestFirst.file, manifestFirst.uploadHref, manifestFirst.offset, signal);
    await runInParallel(pending, {
      parallel,
      signal,
      run: (p, _i, ctx) => sendOne(connection, p.file, p.uploadHref, p.offset, ctx.signal),
    });
  }

  /** Step 5: follow the server's import task (bounded) until the template is ready, status 8. */
  async function awaitTask(href: string, name: string): Promise<TemplateView> {
    emit('processing', 'Waiting for the server to import the template');
    return pollUntil(
      async (bounded) => {
        const t = readTemplate(await connection.get(href, bounded));
        failIfBroken(t, href);
        const running = t.tasks.find((task) => RUNNING_TASK.has(task.status));
        if (t.status === 8 && !running) return t;
        emit('processing', 'Waiting for the server to import the template', { serverPhase: running?.operation ?? statusName(t.status), serverProgress: running?.progress });
        return undefined;
      },
      {
        awaited: `template '${name}' to be ready (status 8) after the upload`,
        timeoutSeconds: options.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
        intervalMs: pollIntervalMs,
        signal,
        howToRaise: 'raise it with --task-timeout SECONDS or the setting ovfkit.vcloud.taskTimeoutSeconds',
      },
    );
  }

  async function sendOne(connection: VcloudConnection, file: UploadFile, uploadHref: string, startOffset: number, signal: AbortSignal | undefined): Promise<void> {
    const href = templateHref!;
    meter.startFile(file.serverName, indexOf(file.serverName), file.size, startOffset);
    await sendFile({
      connection,
      source: file.source,
      serverName: file.serverName,
      size: file.size,
      uploadHref,
      startOffset,
      chunkSize,
      retry,
      signal,
      readServerOffset: async () => {
        const t = readTemplate(await connection.get(href, signal));
        failIfBroken(t, href);
        const offset = checkServerOffset(file, t.files.find((f) => f.name === file.serverName)?.bytesTransferred ?? 0);
        options.onNotice?.(`${file.serverName}: the server holds ${offset} bytes; continuing from there`);
        return offset;
      },
      onPosition: (n) => meter.advanceTo(file.serverName, n),
      onRetry: options.onNotice,
      onRetryWait: (retry) => meter.retrying(file.serverName, retry),
      check: file === contents.manifest ? undefined : checkOf(file),
    });
    meter.finishFile(file.serverName);
  }
}

/** Cancels a recorded upload for good: its running task, or the template itself when no task runs yet. */
export async function cancelVcloudUpload(options: ConnectOptions & { templateHref: string }): Promise<'task-cancelled' | 'template-removed' | 'nothing-to-cancel'> {
  const connection = await VcloudConnection.login(options);
  try {
    return await cancelOnServer(connection, options.templateHref);
  } finally {
    await connection.logout();
  }
}

async function cancelOnServer(connection: VcloudConnection, templateHref: string): Promise<'task-cancelled' | 'template-removed' | 'nothing-to-cancel'> {
  // The caller's signal has fired already; the cancel gets its own short deadline.
  const signal = AbortSignal.timeout(15_000);
  const t = readTemplate(await connection.get(templateHref, signal));
  const task = t.tasks.find((x) => RUNNING_TASK.has(x.status) && x.cancelHref);
  if (task?.cancelHref) {
    await connection.request('POST', task.cancelHref, { signal });
    return 'task-cancelled';
  }
  if (t.status !== 8 && t.removeHref) {
    await connection.request('DELETE', t.removeHref, { signal });
    return 'template-removed';
  }
  return 'nothing-to-cancel';
}

function createUploadParams(name: string, description: string | undefined, manifestRequired: boolean): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<UploadVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="${escapeXml(name)}" manifestRequired="${manifestRequired}">` +
    `<Description>${escapeXml(description ?? '')}</Description></UploadVAppTemplateParams>`
  );
}

async function createUpload(connection: VcloudConnection, options: VcloudUploadOptions, name: string, manifestRequired: boolean): Promise<string> {
  const signal = options.signal;
  const org = readOrg(await connection.get(connection.orgHref, signal));
  const body = createUploadParams(name, options.description, manifestRequired);
  const headers = { 'Content-Type': UPLOAD_PARAMS_TYPE };
  if (options.catalog) {
    const catalog = pickByName(org.catalogs, options.catalog, 'catalog', org.name);
    const link = readUploadLink(await connection.get(catalog.href, signal));
    if (!link) throw new VcloudUsageError(`catalog '${catalog.name}' offers no upload link (vCloud before 5.5 takes uploads through a VDC: give a VDC instead)`);
    const res = await connection.request('POST', link, { body, headers, signal });
    const entity = readCatalogItemEntity(res.text);
    if (!entity) throw new VcloudError(`the server's answer to the upload request names no template (no CatalogItem Entity)`);
    return entity;
  }
  const vdc = pickByName(org.vdcs, options.vdc!, 'VDC', org.name);
  const link = readUploadLink(await connection.get(vdc.href, signal));
  if (!link) throw new VcloudUsageError(`VDC '${vdc.name}' offers no uploadVAppTemplate link (newer vCloud versions take uploads through a catalog: give a catalog instead)`);
  const res = await connection.request('POST', link, { body, headers, signal });
  return readTemplate(res.text).href;
}

function pickByName(refs: NamedRef[], name: string, kind: string, org: string): NamedRef {
  const found = refs.find((r) => r.name === name) ?? refs.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new VcloudUsageError(`organisation '${org}' has no ${kind} '${name}' (it has: ${refs.map((r) => r.name).join(', ') || 'none'})`);
  return found;
}

/** A server claiming more bytes of a file than it has is wrong (or hostile): nothing is skipped on its word. */
function checkServerOffset(file: UploadFile, bytesTransferred: number): number {
  if (bytesTransferred > file.size) {
    throw new VcloudProtocolError(`${file.serverName}: the server says it holds ${bytesTransferred} bytes, but the file has ${file.size}; refusing to continue on that claim`);
  }
  return bytesTransferred;
}

/** Throws the server's own words when the template or its task has failed. */
function failIfBroken(t: TemplateView, href: string): void {
  const failed: TaskView | undefined = t.tasks.find((task) => FAILED_TASK.has(task.status));
  if (failed) {
    const what = failed.status === 'error' ? 'failed' : `was ${failed.status}`;
    throw new VcloudTaskError(`the server's task for template '${t.name}' ${what}: ${failed.errorMessage ?? failed.operation ?? 'no message'}`, failed.status, href);
  }
  if (t.status === -1) throw new VcloudTaskError(`the server could not create template '${t.name}' (status -1)`, undefined, href);
}

const STATUS_NAMES: Record<number, string> = {
  [-1]: 'could not be created',
  0: 'unresolved',
  1: 'resolved',
  8: 'ready',
  11: 'descriptor pending',
  12: 'copying contents',
  13: 'disk contents pending',
  14: 'quarantined',
  15: 'quarantine expired',
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `status ${status}`;
}

export function defaultTemplateName(descriptorPath: string): string {
  const base = descriptorPath.split(/[\\/]/).pop() ?? descriptorPath;
  return base.replace(/\.ov[fa]$/i, '');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
