// The server's progress of an import or export in one line: its step name, number and percent.
import type { CustomerImage, ImageExport, ImageProgress } from '../transfer/cloudcontrol';

export function describeProgress(progress: ImageProgress | undefined): string | undefined {
  if (!progress) return undefined;
  const step = progress.stepName ? `${progress.stepName}${progress.stepNumber !== undefined ? ` (step ${progress.stepNumber})` : ''}` : undefined;
  const percent = progress.percentComplete !== undefined ? `${progress.percentComplete}%` : undefined;
  return [step, percent].filter(Boolean).join(', ') || undefined;
}

export function describeImageProgress(image: CustomerImage): string {
  return describeProgress(image.progress) ?? image.state;
}

export function describeExportProgress(exp: ImageExport): string {
  return describeProgress(exp.progress) ?? exp.state;
}
