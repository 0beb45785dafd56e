// The one line a person reads for a transfer's progress, in the CLI and in VS Code alike:
// "[2/4] disk1.vmdk 1.2 GiB / 3.4 GiB 35%, 112.0 MiB/s, ETA 0:21" (the bytes are the package's),
// or "[2/4] disk1.vmdk: retrying in 4 s (attempt 2 of 5): connection reset"; with other files
// still moving, their line and then the notice.
import { describeBytesProgress } from './format';
import { FileInFlight, TransferProgress } from './progress';
import { describeRetry } from './retryNotice';
import { printable } from './sanitise';

/** "[2/4] disk1.vmdk", "[2,3/4] a.vmdk, b.vmdk"; empty when no file is in flight. */
export function describeFilesInFlight(files: FileInFlight[], fileCount: number): string {
  if (!files.length) return '';
  return `[${files.map((f) => f.index).join(',')}/${fileCount}] ${files.map((f) => printable(f.name)).join(', ')}`;
}

export function describeTransferProgress(p: TransferProgress): string {
  const notice = p.retry && `[${p.retry.index}/${p.fileCount}] ${printable(p.retry.file)}: ${describeRetry(p.retry)}`;
  const moving = p.retry ? p.files.filter((f) => f.name !== p.retry!.file) : p.files;
  if (notice && !moving.length) return notice;
  const files = describeFilesInFlight(moving, p.fileCount);
  const line = `${files ? `${files} ` : ''}${describeBytesProgress(p.bytesDone, p.bytesTotal, p.bytesPerSecond, p.etaSeconds)}`;
  return notice ? `${line}; ${notice}` : line;
}

