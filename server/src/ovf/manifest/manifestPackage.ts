// Ties a manifest to its package: which descriptor it belongs to, and where in the descriptor each
// referenced file's href is written (for findings on the .ovf).
import * as path from 'node:path';
import { Span } from '../findings';
import { parseDescriptor } from '../model/descriptor';
import { checkPackageFile } from '../package/openPackageFile';
import { ParsedManifest } from './parseManifest';

const MAX_CANDIDATES = 8;

/** `<base>.ovf` beside `<base>.mf`; otherwise the descriptor the manifest's own entries name, if it is there. */
export async function descriptorForManifest(manifestPath: string, parsed: ParsedManifest): Promise<string | undefined> {
  const folder = path.dirname(manifestPath);
  const candidates = [path.basename(manifestPath, path.extname(manifestPath)) + '.ovf'];
  for (const e of parsed.entries) {
    if (/\.ovf$/i.test(e.name) && path.basename(e.name) === e.name) candidates.push(e.name);
    if (candidates.length > MAX_CANDIDATES) break; // a hostile manifest may list thousands
  }
  for (const name of candidates) {
    const candidate = path.join(folder, name);
    if ((await checkPackageFile(folder, candidate)).status === 'file') return candidate;
  }
  return undefined;
}

/** The span of each File's href value in the descriptor text, by href. */
export function hrefSpans(descriptorText: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  for (const f of parseDescriptor(descriptorText).files) {
    if (f.href && !spans.has(f.href.value)) spans.set(f.href.value, f.href.span);
  }
  return spans;
}
