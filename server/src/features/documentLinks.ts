// Document links: each References/File ovf:href opens the file beside the descriptor. Only hrefs
// the package rules accept get a link; absolute paths, URLs and `..` escapes never do, so a
// descriptor cannot make the editor open something outside its package.
import * as path from 'node:path';
import { DocumentLink } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Descriptor } from '../ovf/model/descriptor';
import { formatBytes, toBytes } from '../ovf/model/units';
import { resolveHref } from '../ovf/package/hrefs';

export function documentLinks(doc: Descriptor, descriptorUri: string): DocumentLink[] {
  const descriptor = URI.parse(descriptorUri);
  // An untitled descriptor has no folder, so its hrefs name nothing yet.
  if (descriptor.scheme !== 'file') return [];
  const packageDir = path.dirname(descriptor.fsPath);
  const links: DocumentLink[] = [];
  for (const f of doc.files) {
    const href = f.href;
    if (!href || href.span.end <= href.span.start) continue;
    const resolved = resolveHref(packageDir, href.value);
    if (!resolved.ok) continue;
    const size = toBytes(f.size?.value, undefined);
    const declared = size === undefined ? '' : ` (declared ${formatBytes(size)})`;
    links.push({
      range: doc.lines.rangeOf(href.span),
      target: URI.file(resolved.path).toString(),
      tooltip: `Open ${href.value}${declared}, beside the descriptor`,
    });
  }
  return links;
}
