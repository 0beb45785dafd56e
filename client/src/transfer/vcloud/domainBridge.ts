// The one place the vCloud transfer code meets the domain's package listing. Until the domain's
// listPackageFiles lands, a minimal local reading stands in with the same contract.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { childrenNamed, child, parseXml } from './xmlTree';

export interface PackageFile {
  role: 'descriptor' | 'manifest' | 'certificate' | 'file';
  name: string;
  path: string;
  declaredSize?: number;
}

export async function listPackageFiles(descriptorPath: string): Promise<PackageFile[]> {
  const dir = path.dirname(descriptorPath);
  const base = path.basename(descriptorPath).replace(/\.ovf$/i, '');
  const text = await readFile(descriptorPath, 'utf8');
  const root = parseXml(text);
  const out: PackageFile[] = [{ role: 'descriptor', name: path.basename(descriptorPath), path: path.resolve(descriptorPath) }];
  for (const [role, ext] of [['manifest', '.mf'], ['certificate', '.cert']] as const) {
    const p = path.join(dir, base + ext);
    if (existsSync(p)) out.push({ role, name: base + ext, path: path.resolve(p) });
  }
  for (const f of childrenNamed(child(root, 'References'), 'File')) {
    const href = f.attrs.href ?? '';
    if (!href || path.isAbsolute(href) || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.split(/[\\/]/).includes('..')) {
      throw new Error(`${descriptorPath}: unsafe or empty file reference '${href}'`);
    }
    out.push({ role: 'file', name: href, path: path.resolve(dir, href), declaredSize: f.attrs.size ? Number(f.attrs.size) : undefined });
  }
  return out;
}
