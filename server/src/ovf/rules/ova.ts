// Rules about the OVA a descriptor was read from (only when it was read from one).
import { Rule } from './rule';

export const descriptorNotFirst: Rule = {
  code: 'ova/descriptor-not-first',
  target: 'generic',
  category: 'package',
  severity: 'error',
  description: "An OVA's first member must be the descriptor (DSP0243 §5.3); ovftool and vCenter refuse an OVA that starts with another file.",
  source: 'DSP0243 1.1 §5.3 (the OVF descriptor is the first file of an OVF TAR); observed: ovftool refuses otherwise (glennmatthews/cot#82)',
  check({ doc, pkg, report }) {
    const ova = pkg?.ova;
    if (!ova || !doc.root || ova.members[0] === ova.descriptor) return;
    report(doc.root.nameSpan, `The OVA's first member is '${ova.members[0]}', not the descriptor '${ova.descriptor}': ovftool and vCenter refuse such an OVA (DSP0243 §5.3). Pack it again with ovfkit (pack).`);
  },
};

export const unreferencedMember: Rule = {
  code: 'ova/unreferenced-member',
  target: 'generic',
  category: 'package',
  severity: 'warning',
  description: 'An OVA member that is neither the descriptor, its manifest or certificate, nor a File of References is carried but never used.',
  source: 'DSP0243 1.1 §5.3 (an OVF TAR holds the package: descriptor, manifest, certificate, the referenced files); a warning, no importer is known to refuse it',
  check({ doc, pkg, report }) {
    const ova = pkg?.ova;
    if (!ova || !doc.root) return;
    const base = ova.descriptor.replace(/\.ovf$/i, '');
    const known = new Set([ova.descriptor, `${base}.mf`, `${base}.cert`, ...doc.files.flatMap((f) => (f.href ? [f.href.value] : []))]);
    for (const name of ova.members) {
      if (!known.has(name)) report(doc.root.nameSpan, `The OVA holds '${name}', which no File of the descriptor references: it is carried but never used.`);
    }
  },
};
