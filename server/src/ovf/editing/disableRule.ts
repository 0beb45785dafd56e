// "Disable this rule for this file": the edit that adds a code to the descriptor's
// `<!-- ovfkit: disable=… -->` comment (model/descriptor.ts reads it), or writes that comment
// just before the root element when there is none.
import { Fix } from '../findings';
import { Descriptor } from '../model/descriptor';

export function disableRuleFix(doc: Descriptor, code: string): Fix {
  const title = `Disable ${code} for this file`;
  const existing = doc.directives.disableComments.at(-1);
  if (existing) {
    const at = existing.listSpan.end;
    return { title, edits: [{ span: { start: at, end: at }, newText: `${existing.codes.length ? ',' : ''}${code}` }] };
  }
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const comment = `<!-- ovfkit: disable=${code} -->`;
  const at = insertionPoint(doc);
  // On a line of its own unless the root shares its line with something (a one-line document).
  const lineStart = doc.text.lastIndexOf('\n', at - 1) + 1;
  const ownLine = /^[ \t]*$/.test(doc.text.slice(lineStart, at));
  return { title, edits: [{ span: { start: ownLine ? lineStart : at, end: ownLine ? lineStart : at }, newText: ownLine ? comment + eol : comment }] };
}

/** Before the root element; without one, after the XML declaration (nothing may precede that). */
function insertionPoint(doc: Descriptor): number {
  if (doc.root) return doc.root.span.start;
  const declaration = /^\uFEFF?<\?xml[^>]*\?>[ \t]*\r?\n?/.exec(doc.text);
  return declaration ? declaration[0].length : doc.text.charCodeAt(0) === 0xfeff ? 1 : 0;
}
