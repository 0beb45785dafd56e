// Builds real OVF packages on disk for the manifest tests: a descriptor referencing the given
// files, written under os.tmpdir().
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ManifestAlgorithm } from '../../server/src/ovf/manifest/algorithms';
import { makeTempDir } from '../support/tempDir';

export interface TestPackage {
  dir: string;
  descriptorPath: string;
  manifestPath: string;
  path(name: string): string;
}

export interface PackageSpec {
  /** Descriptor file name (default pkg.ovf). */
  name?: string;
  /** Files to write beside the descriptor. */
  files?: Record<string, Buffer | string>;
  /** hrefs the descriptor references (default: the keys of files). */
  hrefs?: string[];
  namespace?: 'ovf1' | 'ovf2';
  /** Extra text inserted before the Envelope (e.g. an `ovfkit: targets=` comment). */
  prolog?: string;
}

export function descriptorXml(hrefs: string[], namespace: 'ovf1' | 'ovf2' = 'ovf1', prolog = ''): string {
  const ns = namespace === 'ovf2' ? 'http://schemas.dmtf.org/ovf/envelope/2' : 'http://schemas.dmtf.org/ovf/envelope/1';
  const refs = hrefs.map((h, i) => `    <File ovf:id="file${i + 1}" ovf:href="${h}"/>\n`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
${prolog}<Envelope xmlns="${ns}" xmlns:ovf="${ns}">
  <References>
${refs}  </References>
  <VirtualSystem ovf:id="vm">
    <Info>A virtual machine</Info>
  </VirtualSystem>
</Envelope>
`;
}

export function makePackage(spec: PackageSpec = {}): TestPackage {
  const dir = makeTempDir('ovfkit-mf-');
  const name = spec.name ?? 'pkg.ovf';
  const files = spec.files ?? {};
  for (const [file, data] of Object.entries(files)) writeFileSync(path.join(dir, file), data);
  const descriptorPath = path.join(dir, name);
  writeFileSync(descriptorPath, descriptorXml(spec.hrefs ?? Object.keys(files), spec.namespace, spec.prolog));
  return {
    dir,
    descriptorPath,
    manifestPath: path.join(dir, name.replace(/\.ovf$/, '') + '.mf'),
    path: (n) => path.join(dir, n),
  };
}

/** An independent digest: coreutils' sha1sum/sha256sum/sha512sum. */
export function coreutilsDigest(file: string, algorithm: ManifestAlgorithm): string {
  return execFileSync(`${algorithm.toLowerCase()}sum`, [file], { encoding: 'utf8' }).split(' ')[0];
}
