// The digest algorithms a manifest line may name, and what each one's digest looks like.

export type ManifestAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export const MANIFEST_ALGORITHMS: readonly ManifestAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

/** Hex digits in a digest of each algorithm. */
export const DIGEST_HEX_LENGTH: Record<ManifestAlgorithm, number> = { SHA1: 40, SHA256: 64, SHA512: 128 };

/** The name node:crypto knows each algorithm by. */
export const NODE_HASH_NAME: Record<ManifestAlgorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** The algorithm a manifest line names, exactly as consumers expect it (upper case), or undefined. */
export function manifestAlgorithm(name: string): ManifestAlgorithm | undefined {
  return (MANIFEST_ALGORITHMS as readonly string[]).includes(name) ? (name as ManifestAlgorithm) : undefined;
}

/** Reads a user's choice (`sha256`, `SHA-256`, `SHA256`) leniently; undefined when it is none of ours. */
export function parseAlgorithmChoice(choice: string): ManifestAlgorithm | undefined {
  return manifestAlgorithm(choice.toUpperCase().replace(/-/g, ''));
}
