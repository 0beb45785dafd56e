// Progress the server reports (an import's or export's step and percent) on stderr: one line
// rewritten in place on a terminal, a plain line per change otherwise (CI logs keep the steps).
import { ImageProgress } from '../../transfer/cloudcontrol';
import { CliIO } from '../io';
import { progressLine } from '../progressLine';

export interface ServerProgress {
  show: (text: string) => void;
  clear: () => void;
}

export function serverProgress(io: CliIO): ServerProgress {
  if (io.stderr.isTTY) {
    const line = progressLine<string>(io, (t) => t);
    return { show: line.update, clear: line.clear };
  }
  let last = '';
  return {
    show: (text) => {
      if (text === last) return;
      last = text;
      io.stderr.write(`${text}\n`);
    },
    clear: () => undefined,
  };
}

/** "CREATING_IMAGE (step 3) 75%", or the state when the server gives no progress. */
export function describeStep(progress: ImageProgress | undefined, state: string): string {
  if (!progress || (!progress.stepName && progress.percentComplete === undefined)) return state;
  const step = progress.stepName ? `${progress.stepName}${progress.stepNumber !== undefined ? ` (step ${progress.stepNumber})` : ''}` : state;
  return progress.percentComplete !== undefined ? `${step} ${progress.percentComplete}%` : step;
}
