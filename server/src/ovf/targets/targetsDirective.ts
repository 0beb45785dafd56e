// The `<!-- ovfkit: targets=vcloud,cloudcontrol -->` comment: how it is read (the last one wins)
// and how it is written. Every reader and writer of the directive (the model, the status bar, the
// target picker and the quick fixes) goes through this module, so they cannot disagree.
import { Span, TextEdit } from '../findings';
import type { XmlComment } from '../xml/xmlTree';

export type CloudTarget = 'vcloud' | 'cloudcontrol';
export const CLOUD_TARGETS: readonly CloudTarget[] = ['vcloud', 'cloudcontrol'];

/** Names for people (quick picks, quick fixes, the status bar tooltip). */
export const CLOUD_TARGET_LABELS: Record<CloudTarget, string> = {
  vcloud: 'vCloud Director',
  cloudcontrol: 'NTT CloudControl',
};

export interface TargetsDirective {
  /** As written, known or not (unknown names are reported by `ovfkit/unknown-target`). */
  names: string[];
  /** The whole comment, `<!--` to `-->`. */
  span: Span;
}

const DIRECTIVE = /^\s*ovfkit:\s*targets\s*=\s*([\w\s,-]*?)\s*$/;

/** The directive among a document's comments; the last one wins. */
export function readTargetsDirective(comments: readonly XmlComment[]): TargetsDirective | undefined {
  let found: TargetsDirective | undefined;
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (m) found = { names: m[1].split(/[\s,]+/).filter(Boolean), span: c.span };
  }
  return found;
}

export function isCloudTarget(name: string): name is CloudTarget {
  return (CLOUD_TARGETS as readonly string[]).includes(name);
}

export function formatTargetsDirective(targets: readonly string[]): string {
  // An empty list is written as `generic`: the comment still overrides a setting naming clouds.
  return `<!-- ovfkit: targets=${targets.length > 0 ? targets.join(',') : 'generic'} -->`;
}

/**
 * The edit that makes a descriptor choose `targets` itself: rewrites the directive in place, or
 * inserts one after the XML declaration (or at the very start). `undefined` removes the directive,
 * so the `ovfkit.targets` setting applies again.
 */
export function targetsDirectiveEdit(text: string, directive: TargetsDirective | undefined, targets: readonly string[] | undefined): TextEdit | undefined {
  if (targets === undefined) {
    if (!directive) return undefined;
    // The comment and the line break after it, so no empty line is left behind.
    const after = /^[ \t]*\r?\n/.exec(text.slice(directive.span.end));
    return { span: { start: directive.span.start, end: directive.span.end + (after?.[0].length ?? 0) }, newText: '' };
  }
  const comment = formatTargetsDirective(targets);
  if (directive) return { span: directive.span, newText: comment };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const declaration = /^\uFEFF?<\?xml[^>]*\?>[ \t]*(\r?\n)?/.exec(text);
  if (declaration) {
    const at = declaration[0].length;
    return { span: { start: at, end: at }, newText: declaration[1] ? `${comment}${eol}` : `${eol}${comment}${eol}` };
  }
  const at = text.startsWith('\uFEFF') ? 1 : 0;
  return { span: { start: at, end: at }, newText: `${comment}${eol}` };
}
