// Package files: every href names a file inside the package folder that exists with the declared
// size; a chunked File (ovf:chunkSize) is judged by its parts.
import { Descriptor } from '../model/descriptor';
import { chunkPartName, PackageFacts } from '../package/packageFacts';
import { resolveHref } from '../package/hrefs';
import { FileFacts } from '../package/packageFacts';
import { Rule } from './rule';

const CLOUDS = ['vcloud', 'cloudcontrol'] as const;
const DSP0243_FILES = 'DSP0243 1.1 §7.1 (References: ovf:href, ovf:size, ovf:chunkSize)';
const DSP0243_CHUNKS = 'DSP0243 1.1 §7.1 (chunked files: HREF.000000000, …, each ovf:chunkSize bytes but the last, ovf:size the total)';

export const unsafeHref: Rule = {
  code: 'package/unsafe-href',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: 'A File href that is a URL, an absolute path or leaves the folder with `..` is valid OVF but not part of the package: ovfkit will not read or upload it. A warning for the generic target, an error for a cloud target (the cloud needs every file in the upload); an empty href is always an error.',
  source: `${DSP0243_FILES}: ovf:href is a URI reference, so URLs and paths are valid OVF; the vCloud transfer service and CloudControl's staging folder receive only uploaded package files (PROTOCOLS.md §2 step 5, §3)`,
  check({ doc, targets, report }) {
    const clouds = CLOUDS.filter((t) => targets.has(t));
    for (const f of doc.files) {
      if (!f.href) continue;
      // The folder is irrelevant to the checks that fail here; any absolute folder works.
      const resolved = resolveHref('/package', f.href.value);
      if (resolved.ok) continue;
      if (resolved.kind === 'malformed') {
        report(f.href.span, `File '${f.id?.value ?? ''}': ${resolved.reason}; it cannot be read or uploaded`);
      } else if (clouds.length > 0) {
        report(f.href.span, `File '${f.id?.value ?? ''}' href ${resolved.reason}; ovfkit will not read or upload it, and ${clouds.join(' and ')} import${clouds.length > 1 ? '' : 's'} only files uploaded with the package`);
      } else {
        report(f.href.span, `File '${f.id?.value ?? ''}' href ${resolved.reason}; valid OVF, but ovfkit will not read, check or upload it`, { severity: 'warning' });
      }
    }
  },
};

export const missingFile: Rule = {
  code: 'package/missing-file',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: 'Every File href must exist beside the descriptor (a chunked File: its parts, see package/missing-chunk).',
  source: DSP0243_FILES,
  check({ doc, pkg, report }) {
    if (!pkg) return;
    for (const f of doc.files) {
      if (!f.href) continue;
      if (f.chunkSize && pkg.chunks?.get(f.href.value)?.[0]?.status === 'present') continue; // judged part by part
      const facts = pkg.files.get(f.href.value);
      if (facts?.status === 'missing') {
        const chunked = f.chunkSize ? ` (chunked: expected '${chunkPartName(f.href.value, 0)}' and following parts)` : '';
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
    source: 'DSP0243 1.1 §5.1 (package files are relative to the descriptor); ovfkit security policy (docs/SECURITY.md)',
  },
  'outside',
  (href, facts) => `File '${href}' is a symlink (or lies in a symlinked folder) leading outside the package folder, to ${facts.realPath}; it will not be read or uploaded`,
);

export const notAFile = refusedFileRule(
  {
    code: 'package/not-a-file',
    description: 'A File href must name a regular file: a folder, FIFO, socket, device or /proc file cannot be hashed or uploaded (a FIFO or device never ends a read).',
    source: 'DSP0243 1.1 §5.1 (a package is a set of files); ovfkit security policy (docs/SECURITY.md)',
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
  source: DSP0243_FILES,
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

/** Each chunked File with its parts' sizes (up to the first absent part) and its declared numbers. */
function* chunkedFiles(doc: Descriptor, pkg: PackageFacts | undefined) {
  if (!pkg?.chunks) return;
  const int = (v: string | undefined) => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined);
  for (const file of doc.files) {
    const parts = file.chunkSize && file.href ? pkg.chunks.get(file.href.value) : undefined;
    if (!parts) continue;
    const sizes: number[] = [];
    for (const p of parts) {
      if (p.status !== 'present') break;
      sizes.push(p.size);
    }
    const per = int(file.chunkSize!.value);
    yield { file, href: file.href!.value, sizes, chunkSize: per && per > 0 ? per : undefined, size: int(file.size?.value) };
  }
}

export const missingChunk: Rule = {
  code: 'package/missing-chunk',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: "A chunked File (ovf:chunkSize) must have all its parts beside the descriptor: HREF.000000000, HREF.000000001, … as many as ovf:size needs.",
  source: DSP0243_CHUNKS,
  check({ doc, pkg, report }) {
    for (const { file, href, sizes, chunkSize, size } of chunkedFiles(doc, pkg)) {
      if (sizes.length === 0) {
        if (pkg!.files.get(href)?.status === 'present') {
          report(file.chunkSize!.span, `File '${href}' is stored whole, but ovf:chunkSize says it is split into '${chunkPartName(href, 0)}', …; remove ovf:chunkSize or split the file`);
        }
        continue; // nothing at all: package/missing-file says so
      }
      const expected = chunkSize !== undefined && size !== undefined ? Math.max(1, Math.ceil(size / chunkSize)) : undefined;
      if (expected !== undefined && sizes.length < expected) {
        report(file.href!.span, `Chunked File '${href}' needs ${expected} parts for ${size} bytes in chunks of ${chunkSize}, but '${chunkPartName(href, sizes.length)}' is missing (${sizes.length} found); the package is incomplete`);
      }
    }
  },
};

export const chunkSize: Rule = {
  code: 'package/chunk-size',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: 'Each part of a chunked File but the last must be ovf:chunkSize bytes, the last at most that, and together they must be ovf:size bytes.',
  source: DSP0243_CHUNKS,
  check({ doc, pkg, report }) {
    for (const { file, href, sizes, chunkSize: per, size } of chunkedFiles(doc, pkg)) {
      if (sizes.length === 0 || per === undefined) continue;
      const wrong = sizes.findIndex((s, i) => (i < sizes.length - 1 ? s !== per : s > per || s === 0));
      if (wrong >= 0) {
        const last = wrong === sizes.length - 1;
        report(file.chunkSize!.span, `Part '${chunkPartName(href, wrong)}' is ${sizes[wrong]} bytes; ${last ? `the last part must be 1 to ${per}` : `every part but the last must be ovf:chunkSize (${per})`} bytes`);
        continue;
      }
      const total = sizes.reduce((a, b) => a + b, 0);
      if (size !== undefined && file.size && total !== size && sizes.length >= Math.ceil(size / per)) {
        report(file.size.span, `The ${sizes.length} parts of '${href}' hold ${total} bytes but ovf:size says ${size}; targets refuse the mismatch`, {
          fixes: [{ title: `Set ovf:size to ${total}`, edits: [{ span: file.size.span, newText: String(total) }], preferred: true }],
        });
      }
    }
  },
};
