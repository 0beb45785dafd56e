// The strict manifest form every consumer accepts: `SHA1(name)= hex`, LF endings, one line per file.
import { ManifestAlgorithm } from './algorithms';

export interface DigestLine {
  name: string;
  digest: string;
}

export function formatManifestLine(algorithm: ManifestAlgorithm, name: string, digest: string): string {
  return `${algorithm}(${name})= ${digest.toLowerCase()}`;
}

/** The whole manifest, lines in the order given (the descriptor first, by the caller's order). */
export function formatManifest(algorithm: ManifestAlgorithm, lines: DigestLine[]): string {
  return lines.map((l) => formatManifestLine(algorithm, l.name, l.digest) + '\n').join('');
}
