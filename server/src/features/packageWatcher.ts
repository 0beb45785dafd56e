// Package facts (stat of each referenced file, the manifest's presence) per descriptor, cached
// until a file in its folder changes. The client watches the folders and tells us.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { Descriptor } from '../ovf/model/descriptor';
import { PackageFacts, probePackage } from '../ovf/package/packageFacts';

export class PackageFactsCache {
  private readonly cache = new Map<string, { key: string; facts: Promise<PackageFacts> }>();

  /** Facts for a file: descriptor; undefined for untitled or non-file documents. */
  get(uri: string, doc: Descriptor): Promise<PackageFacts> | undefined {
    const descriptorPath = fsPath(uri);
    if (!descriptorPath) return undefined;
    // The hrefs are part of the key: editing an href must re-probe even if no file changed.
    const key = doc.files.map((f) => `${f.href?.value}\u0000${f.chunkSize ? `${f.chunkSize.value}/${f.size?.value}` : 0}`).join('\u0001');
    const cached = this.cache.get(uri);
    if (cached && cached.key === key) return cached.facts;
    const facts = probePackage(descriptorPath, doc);
    this.cache.set(uri, { key, facts });
    return facts;
  }

  /** Forgets the facts of every descriptor whose package folder holds a changed file; returns their URIs. */
  invalidateFolderOf(changedUri: string): string[] {
    const changed = fsPath(changedUri);
    if (!changed) return [];
    const dir = path.dirname(changed);
    const affected: string[] = [];
    for (const uri of this.cache.keys()) {
      const packageDir = path.dirname(fsPath(uri)!);
      if (dir === packageDir || dir.startsWith(packageDir + path.sep)) {
        this.cache.delete(uri);
        affected.push(uri);
      }
    }
    return affected;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }
}

export function fsPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}
