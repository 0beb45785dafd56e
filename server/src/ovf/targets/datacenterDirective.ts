// The `<!-- ovfkit: datacenter=NA9 -->` comment: the CloudControl data centre a descriptor is meant
// for (the last one wins). It overrides the ovfkit.cloudcontrol.datacenter setting for that file.
import { Span } from '../findings';
import type { XmlComment } from '../xml/xmlTree';

export interface DatacenterDirective {
  /** The data centre id as written, e.g. NA9. */
  id: string;
  /** The whole comment, `<!--` to `-->`. */
  span: Span;
}

const DIRECTIVE = /^\s*ovfkit:\s*datacenter\s*=\s*([\w.-]+)\s*$/;

export function readDatacenterDirective(comments: readonly XmlComment[]): DatacenterDirective | undefined {
  let found: DatacenterDirective | undefined;
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (m) found = { id: m[1], span: c.span };
  }
  return found;
}
