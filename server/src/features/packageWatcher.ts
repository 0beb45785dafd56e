// Package facts (stat of each referenced file, the manifest's presence) per descriptor, cached
// until a file in its folder changes. The client watches the folders and tells us.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { Descriptor } from '../ovf/model/descriptor';
import { OVA_ENTRY_SCHEME, splitOvaEntryPath } from '../ovf/ova/ovaEntryPath';
import { probeOvaPackage } from '../ovf/ova/validateOva';
import { PackageFacts, probePackage } from '../ovf/package/packageFacts';
import { Finding } from '../ovf/findings';
import { signatureFindings } from '../ovf/signature/packageSignature';

export class PackageFactsCache {
  private readonly cache = new Map<string, { key: string; facts: Promise<PackageFacts | undefined> }>();
  private readonly signatures = new Map<string, Promise<Finding[]>>();

  /** The signature findings of a descriptor file's package (none unsigned, or inside an OVA),
   *  until a file in its folder (the .mf, the .cert) changes. */
  signature(uri: string, doc: Descriptor): Promise<Finding[]> {
    const source = packageSource(uri);
    if (!source || source.ovaPath) return Promise.resolve([]);
    let found = this.signatures.get(uri);
    if (!found) this.signatures.set(uri, (found = signatureFindings(source.descriptorPath, doc.text)));
    return found;
  }

  /** Facts for a file: descriptor or a descriptor inside an OVA; undefined for untitled documents. */
  get(uri: string, doc: Descriptor): Promise<PackageFacts | undefined> | undefined {
    const source = packageSource(uri);
    if (!source) return undefined;
    // The hrefs are part of the key: editing an href must re-probe even if no file changed.
    const key = doc.files.map((f) => `${f.href?.value}\u0000${f.chunkSize ? `${f.chunkSize.value}/${f.size?.value}` : 0}`).join('\u0001');
    const cached = this.cache.get(uri);
    if (cached && cached.key === key) return cached.facts;
    // An OVA that cannot be read has no facts: the rules then skip the package checks.
    const facts = source.ovaPath ? probeOvaPackage(source.ovaPath, doc).catch(() => undefined) : probePackage(source.descriptorPath, doc);
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
      const source = packageSource(uri);
      if (!source) continue;
      const packageDir = path.dirname(source.descriptorPath);
      if (source.ovaPath ? changed === source.ovaPath : dir === packageDir || dir.startsWith(packageDir + path.sep)) {
        this.cache.delete(uri);
        this.signatures.delete(uri);
        affected.push(uri);
      }
    }
    return affected;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
    this.signatures.delete(uri);
  }
}

export function fsPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

/** Where a document's package lives: beside a descriptor file, or in the OVA it was read from
 *  (`descriptorPath` is then the member's path inside the OVA, for its folder). */
export function packageSource(uri: string): { descriptorPath: string; ovaPath?: string } | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme === 'file') return { descriptorPath: parsed.fsPath };
  if (parsed.scheme !== OVA_ENTRY_SCHEME) return undefined;
  const split = splitOvaEntryPath(parsed.path);
  return split ? { descriptorPath: parsed.path, ovaPath: split.ovaPath } : undefined;
}
