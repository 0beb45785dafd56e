// Progress of a vCloud upload: the common transfer progress, plus the workflow's phase and, once
// the bytes are sent, the server's own task.
import { TransferProgress } from '../common/progress';
import { describeTransferProgress } from '../common/progressText';

export type UploadPhase = 'login' | 'creating' | 'descriptor' | 'waiting-for-links' | 'uploading' | 'processing' | 'done';

export interface UploadProgress extends TransferProgress {
  phase: UploadPhase;
  /** One line for a human: what is happening now. */
  message: string;
  /** The server's task while it processes the upload (after the bytes are sent). */
  serverPhase?: string;
  serverProgress?: number;
  templateHref?: string;
}

/** The transfer line while bytes move, the server's task after, the phase's message otherwise. */
export function describeProgress(p: UploadProgress): string {
  if (p.phase === 'uploading') return describeTransferProgress(p);
  if (p.phase === 'processing') {
    return `server: ${p.serverPhase ?? 'processing'}${p.serverProgress !== undefined ? ` (${p.serverProgress}%)` : ''}`;
  }
  return p.message;
}
