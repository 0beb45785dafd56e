// Folding: every element spanning several lines, and multi-line comments.
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import { Descriptor } from '../ovf/model/descriptor';
import { XmlElement } from '../ovf/xml/xmlTree';

export function foldingRanges(doc: Descriptor): FoldingRange[] {
  const out: FoldingRange[] = [];
  const line = (offset: number) => doc.lines.positionAt(offset).line;
  const stack: XmlElement[] = doc.root ? [doc.root] : [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const startLine = line(e.span.start);
    const endOffset = e.span.end;
    if (line(endOffset) > startLine) {
      // Keep the end tag visible when it starts its own line, as XML and HTML editors do; a
      // self-closing element spread over lines (long attribute lists) folds to its last line.
      const selfClosing = doc.text.startsWith('/>', endOffset - 2);
      const closingAt = selfClosing ? endOffset : doc.text.lastIndexOf('</', endOffset - 1);
      const endLine = selfClosing ? line(endOffset) : line(closingAt) - 1;
      if (endLine > startLine) out.push({ startLine, endLine });
    }
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
  for (const c of doc.xml.comments) {
    const startLine = line(c.span.start);
    const endLine = line(c.span.end);
    if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Comment });
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}
