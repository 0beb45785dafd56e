// Package files: every href names a file inside the package folder that exists with the declared size.
import { resolveHref } from '../package/hrefs';
import { FileFacts } from '../package/packageFacts';
import { Rule } from './rule';

export const unsafeHref: Rule = {
  code: 'package/unsafe-href',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: 'A File href must be a name relative to the descriptor inside the package folder: no absolute path, URL or `..`.',
  check({ doc, report }) {
    for (const f of doc.files) {
      if (!f.href) continue;
      // The folder is irrelevant to the checks that fail here; any absolute folder works.
      const resolved = resolveHref('/package', f.href.value);
      if (!resolved.ok) report(f.href.span, `File '${f.id?.value ?? ''}' href ${resolved.reason}; it will not be read or uploaded`);
    }
  },
};

export const missingFile: Rule = {
  code: 'package/missing-file',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: 'Every File href must exist beside the descriptor.',
  check({ doc, pkg, report }) {
    if (!pkg) return;
    for (const f of doc.files) {
      if (!f.href) continue;
      const facts = pkg.files.get(f.href.value);
      if (facts?.status === 'missing') {
        const chunked = f.chunkSize ? ` (chunked: expected '${f.href.value}.000000000' and following parts)` : '';
        report(f.href.span, `File '${f.href.value}' does not exist beside the descriptor${chunked}; the package is incomplete`);
      }
    }
  },
};

/** A rule reporting, at the href, each File whose package facts have `status`. */
function refusedFileRule<S extends 'outside' | 'not-a-file'>(
  meta: Omit<Rule, 'check' | 'target' | 'category' | 'severity'>,
  status: S,
  message: (href: string, facts: Extract<FileFacts, { status: S }>) => string,
): Rule {
  return {
    ...meta,
    target: 'generic',
    category: 'package',
    severity: 'error',
    check({ doc, pkg, report }) {
      for (const f of doc.files) {
        const facts = f.href ? pkg?.files.get(f.href.value) : undefined;
        if (f.href && facts?.status === status) report(f.href.span, message(f.href.value, facts as Extract<FileFacts, { status: S }>));
      }
    },
  };
}

export const outsidePackage = refusedFileRule(
  {
    code: 'package/outside-package',
    description:
      "A File href must resolve, symlinks followed, to a file inside the descriptor's real folder: a symlink leading elsewhere would make ovfkit hash and upload a file that is not the package's (observed: `disk1.vmdk -> ~/.ssh/id_rsa`).",
  },
  'outside',
  (href, facts) => `File '${href}' is a symlink (or lies in a symlinked folder) leading outside the package folder, to ${facts.realPath}; it will not be read or uploaded`,
);

export const notAFile = refusedFileRule(
  {
    code: 'package/not-a-file',
    description: 'A File href must name a regular file: a folder, FIFO, socket, device or /proc file cannot be hashed or uploaded (a FIFO or device never ends a read).',
  },
  'not-a-file',
  (href, facts) => `'${href}' is ${facts.kind}, not a regular file; it will not be read or uploaded`,
);

export const sizeMismatch: Rule = {
  code: 'package/size-mismatch',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: 'A File ovf:size must equal the size of the file on disk.',
  check({ doc, pkg, report }) {
    if (!pkg) return;
    for (const f of doc.files) {
      if (!f.href || !f.size || f.chunkSize) continue;
      const facts = pkg.files.get(f.href.value);
      if (facts?.status !== 'present') continue;
      const declared = Number(f.size.value);
      if (!/^\d+$/.test(f.size.value.trim()) || declared !== facts.size) {
        report(f.size.span, `File '${f.href.value}' is ${facts.size} bytes on disk but ovf:size says ${f.size.value}; targets refuse the mismatch`, {
          fixes: [{ title: `Set ovf:size to ${facts.size}`, edits: [{ span: f.size.span, newText: String(facts.size) }], preferred: true }],
        });
      }
    }
  },
};
