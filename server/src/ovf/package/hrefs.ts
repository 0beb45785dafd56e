// A package member's href must name a file inside the package folder. Absolute paths, URLs and
// `..` escapes are refused before any file system access, so a descriptor can never make ovfkit
// read (or upload) a file outside its package.
import * as path from 'node:path';

/** Why an href is not read: `outside` covers URLs, absolute paths and `..`, which are valid OVF (DSP0243 allows URI references) but not part of the package folder. */
export type UnsafeHrefKind = 'malformed' | 'outside';
export type ResolvedHref = { ok: true; path: string } | { ok: false; reason: string; kind: UnsafeHrefKind };

/** Letters, digits, '.', '_', '-' and no separator ('..' is refused above). */
const PLAIN_NAME = /^[A-Za-z0-9._-]+$/;

export function resolveHref(packageDir: string, href: string): ResolvedHref {
  if (href.trim() === '') return { ok: false, kind: 'malformed', reason: 'the href is empty' };
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(href)) {
    return { ok: false, kind: 'outside', reason: `'${href}' is a URL; package files must be given by a name relative to the descriptor` };
  }
  if (/^([a-zA-Z]:)?[\\/]/.test(href)) {
    return { ok: false, kind: 'outside', reason: `'${href}' is an absolute path; package files must be given by a name relative to the descriptor` };
  }
  if (href.split(/[\\/]/).some((segment) => segment === '..')) {
    return { ok: false, kind: 'outside', reason: `'${href}' leaves the package folder ('..'); package files must lie beside the descriptor` };
  }
  if (href.includes('\u0000')) return { ok: false, kind: 'malformed', reason: 'the href contains a NUL character' };
  // A plain file name (most hrefs) lies in the folder by construction: no need to compare paths.
  if (PLAIN_NAME.test(href) && href !== '.') return { ok: true, path: path.resolve(packageDir, href) };
  const resolved = path.resolve(packageDir, href);
  if (!isInside(packageDir, resolved) || resolved === path.resolve(packageDir)) {
    return { ok: false, kind: 'outside', reason: `'${href}' resolves outside the package folder` };
  }
  return { ok: true, path: resolved };
}

/**
 * `p` is `root` or lies below it. Compares path segments, so a file named `..disk1.vmdk` (a legal
 * name) is inside while `../disk1.vmdk` is not.
 */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(p));
  return rel === '' || (!path.isAbsolute(rel) && rel.split(path.sep)[0] !== '..');
}
