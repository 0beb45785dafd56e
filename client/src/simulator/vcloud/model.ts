// The simulated cloud's state: one organisation with catalogs and VDCs, the vApp templates being
// uploaded, their files and their tasks. Only what the upload workflow touches is modelled.
import { randomUUID } from 'node:crypto';

export type TaskStatus = 'queued' | 'running' | 'success' | 'error' | 'canceled' | 'aborted';

export interface SimTask {
  id: string;
  status: TaskStatus;
  operationName: string;
  operation: string;
  progress: number;
  startTime: string;
  errorMessage?: string;
}

export interface SimFile {
  /** The name in the template's Files: descriptor.ovf, descriptor.mf, or an ovf:href. */
  name: string;
  /** -1 until known (no ovf:size and no range received yet). */
  size: number;
  /** Bytes held, from offset 0: ranges must continue exactly here. */
  received: number;
  /** Where the bytes are stored. */
  path: string;
  /** A chunked File (ovf:chunkSize): received as one file, its manifest lines are per part. */
  chunkSize?: number;
  /** PUTs to one file are handled one after another, so a retry sees the previous one's final count. */
  queue: Promise<void>;
}

export interface SimTemplate {
  id: string;
  name: string;
  description: string;
  manifestRequired: boolean;
  /** -1 failed, 0 unresolved (uploading), 8 ready. */
  status: number;
  descriptorUploaded: boolean;
  /** Files get upload links once the descriptor has been processed (descriptor.ovf has one from the start). */
  linksReady: boolean;
  transferId: string;
  dir: string;
  files: SimFile[];
  vmNames: string[];
  task?: SimTask;
  catalogId?: string;
  vdcId: string;
  created: string;
}

export interface SimNamed {
  id: string;
  name: string;
}

export interface SimCatalog extends SimNamed {
  items: { id: string; name: string; templateId: string }[];
}

export function newId(): string {
  return randomUUID();
}

export function newTask(template: SimTemplate, operation: string): SimTask {
  return {
    id: newId(),
    status: 'running',
    operationName: 'vdcUploadOvfContents',
    operation: `${operation} ${template.name}(${template.id})`,
    progress: 0,
    startTime: new Date().toISOString(),
  };
}

export function fileComplete(f: SimFile): boolean {
  return f.size >= 0 && f.received >= f.size;
}
