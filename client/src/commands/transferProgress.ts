// The one VS Code renderer of a transfer's progress: a notification whose message is the
// transfer's progress line and whose bar follows the package's bytes (notifications take increments).
import * as vscode from 'vscode';
import { TransferProgress } from '../transfer/common/progress';
import { describeTransferProgress } from '../transfer/common/progressText';

export function notificationProgress<P extends TransferProgress>(
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  describe: (p: P) => string = describeTransferProgress,
): (p: P) => void {
  let shown = 0;
  return (p) => {
    const percent = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0;
    progress.report({ message: describe(p), increment: Math.max(0, percent - shown) });
    shown = Math.max(shown, percent);
  };
}
