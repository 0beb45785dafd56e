// What the manifest checks report (the `.mf` language as you type, and Verify Package), described
// for docs/RULES.md, the editor's code links and SARIF. They are not descriptor rules: a
// descriptor's `ovfkit: disable=` comment does not name them.
import { RuleMeta } from '../rules/rule';

// The source of them all: DSP0243 1.1 §5.1 (the manifest's line format and coverage), the clouds'
// documents (vCloud checks the SHA-1 of every file, CloudControl's import needs the MF), and for the
// signature checks §5.2 (the certificate file) with ovftool's and open-vmdk's format.
const MANIFEST_SOURCE = 'DSP0243 1.1 §5.1 (manifest) and §5.2 (certificate); vCloud tenant guide and CloudControl import (PROTOCOLS.md §1-3)';
const check = (code: string, severity: RuleMeta['severity'], description: string): RuleMeta => ({ code, target: 'generic', category: 'package', severity, description, source: MANIFEST_SOURCE });

export const MANIFEST_CHECKS: readonly RuleMeta[] = [
  check('manifest/syntax', 'error', 'Each manifest line reads `ALGORITHM(name)= hexdigest`, with a digest of the length the algorithm gives.'),
  check('manifest/unknown-algorithm', 'error', 'The algorithm is SHA1, SHA256 or SHA512, in capitals.'),
  check('manifest/spaced-form', 'warning', "The spaced form `SHA1 (name) = hex` is read, but strict consumers reject anything but `SHA1(name)= hex`."),
  check('manifest/line-ending', 'warning', 'The strict form uses LF line endings; strict consumers may read a CR as part of the digest.'),
  check('manifest/duplicate-entry', 'error', 'Each file has one line; consumers refuse a file listed twice.'),
  check('manifest/mixed-algorithms', 'warning', 'Many consumers expect one algorithm per manifest.'),
  check('manifest/unknown-entry', 'warning', 'A line naming neither the descriptor nor a file it references is not checked.'),
  check('manifest/missing-entry', 'error', 'The descriptor and every file it references have a line; consumers refuse a package with unlisted files.'),
  check('manifest/stale-descriptor', 'error', 'The descriptor has changed since the manifest was written (its digest no longer matches).'),
  check('manifest/digest-mismatch', 'error', "A file does not match its manifest digest (Verify Package hashes every file)."),
  check('manifest/missing-file', 'error', 'A file the manifest or the descriptor names does not exist.'),
  check('manifest/unreadable-file', 'error', 'A file the manifest lists cannot be read.'),
  check('manifest/no-manifest', 'error', 'Verify Package found no manifest: an error when a target in effect needs one (CloudControl), a note otherwise.'),
  // A signed package's NAME.cert (ovfkit verify; ovftool and vCenter refuse a broken signature).
  check('signature/malformed', 'error', "NAME.cert is not `SHA256(NAME.mf)= <hex signature>` followed by a PEM certificate (ovftool's and open-vmdk's format)."),
  check('signature/wrong-manifest', 'error', "The signature line names another manifest than the package's NAME.mf."),
  check('signature/invalid', 'error', "The signature does not verify over NAME.mf's bytes with the certificate's key: the manifest changed after signing, or another key signed it."),
  check('signature/untrusted', 'error', 'With `ovfkit verify --ca FILE`: no chain from the signer to a CA of FILE.'),
  check('signature/expired', 'information', "Now is outside the signer certificate's validity dates (ovftool warns and imports)."),
  check('signature/self-signed', 'information', 'The signer certificate is self-signed: it proves the package is unchanged, not who signed it.'),
];
