// LSP glue over ovf/targets/targetsDirective: which targets apply to an open descriptor, the edit
// that makes a descriptor choose its own, and the "check this file against … only" quick fixes.
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleMeta } from '../ovf/rules/index';
import { ValidationSettings } from '../ovf/settings';
import { CLOUD_TARGET_LABELS, CLOUD_TARGETS, isCloudTarget, targetsDirectiveEdit } from '../ovf/targets/targetsDirective';
import { effectiveTargets } from '../ovf/validate';
import { TargetsEditResult, TargetsResult } from '../targetsProtocol';
import { DocumentModels } from './documentModels';

/** The cloud a published diagnostic belongs to, from its rule's metadata. */
function cloudOf(diagnostic: Diagnostic) {
  const target = ruleMeta(String(diagnostic.code))?.target;
  return target && isCloudTarget(target) ? target : undefined;
}

export function targetsInForce(document: TextDocument, models: DocumentModels, settings: ValidationSettings, published: Diagnostic[]): TargetsResult {
  // The comments read before a syntax error are still the document's; no need for the last good model.
  const model = models.get(document);
  const inForce = effectiveTargets(model, settings);
  return {
    targets: CLOUD_TARGETS.filter((t) => inForce.has(t)),
    fromDescriptor: model.directives.targets !== undefined,
    cloudFindings: published.filter((d) => cloudOf(d) !== undefined).length,
  };
}

export function targetsEdit(document: TextDocument, models: DocumentModels, targets: string[] | null): TargetsEditResult {
  const model = models.get(document);
  const edit = targetsDirectiveEdit(model.text, model.directives.targets, targets ?? undefined);
  return { edits: edit ? [{ range: model.lines.rangeOf(edit.span), newText: edit.newText }] : [] };
}

/** On each cloud finding: check the file against the other cloud only (one action per cloud). */
export function otherTargetFixes(document: TextDocument, models: DocumentModels, requested: Diagnostic[]): CodeAction[] {
  const actions = new Map<string, CodeAction>();
  for (const diagnostic of requested) {
    const cloud = cloudOf(diagnostic);
    if (!cloud) continue;
    for (const other of CLOUD_TARGETS.filter((t) => t !== cloud)) {
      const existing = actions.get(other);
      if (existing) {
        existing.diagnostics!.push(diagnostic);
        continue;
      }
      const { edits } = targetsEdit(document, models, [other]);
      actions.set(other, {
        title: `Check this file against ${CLOUD_TARGET_LABELS[other]} only`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [document.uri]: edits } },
      });
    }
  }
  return [...actions.values()];
}
