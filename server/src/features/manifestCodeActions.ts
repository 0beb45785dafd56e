// Quick fixes for manifest diagnostics: the text fixes the domain attached (strict form, upper-case
// algorithm, remove a line, LF endings), and "Regenerate manifest" wherever digests or coverage are
// off. Regeneration hashes the package, so it runs in the client (`ovfkit.generateManifest`, with a
// progress bar and cancel), not on the language server's request path.
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver';
import { GENERATE_MANIFEST_COMMAND } from '../ovf/editorCommands';
import { MANIFEST_SOURCE, ManifestDiagnosticData } from './manifestDiagnostics';

/** Codes a regenerated manifest resolves. */
const REGENERATE = new Set([
  'manifest/stale-descriptor',
  'manifest/digest-mismatch',
  'manifest/missing-entry',
  'manifest/unknown-entry',
  'manifest/duplicate-entry',
  'manifest/mixed-algorithms',
  'manifest/spaced-form',
  'manifest/unknown-algorithm',
  'manifest/syntax',
]);

/** Code actions for a manifest document, from the diagnostics in the request's context. */
export function manifestCodeActions(manifestUri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const regenerate: Diagnostic[] = [];
  let descriptorUri: string | undefined;
  let algorithm: string | undefined;
  for (const d of diagnostics) {
    if (d.source !== MANIFEST_SOURCE || typeof d.code !== 'string' || !d.code.startsWith('manifest/')) continue;
    const data = (d.data ?? {}) as ManifestDiagnosticData;
    for (const fix of data.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix.preferred,
        edit: { changes: { [manifestUri]: fix.edits } },
      });
    }
    if (REGENERATE.has(d.code) && data.descriptorUri) {
      regenerate.push(d);
      descriptorUri = data.descriptorUri;
      algorithm ??= data.algorithm;
    }
  }
  if (descriptorUri) {
    const preferred = regenerate.some((d) => d.code === 'manifest/stale-descriptor' || d.code === 'manifest/digest-mismatch');
    actions.push({
      title: `Regenerate manifest${algorithm ? ` (${algorithm})` : ''}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: regenerate,
      isPreferred: preferred || undefined,
      command: { title: 'Regenerate manifest', command: GENERATE_MANIFEST_COMMAND, arguments: [descriptorUri, { algorithm }] },
    });
  }
  return actions;
}
