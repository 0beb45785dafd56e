// The editor's view of a signed package: NAME.cert beside the descriptor checked against NAME.mf,
// as findings on the descriptor's first line. The descriptor is what is open while a package is
// edited (a .cert is rarely opened), and a broken signature is about the whole package, not a
// place in it. A signature that no longer matches is a warning here (re-signing is the normal
// next step while editing; `ovfkit verify` makes it an error); expired or self-signed stays
// information, as ovftool treats it.
import * as path from 'node:path';
import { Finding } from '../findings';
import { manifestNameFor } from '../package/packageFacts';
import { checkCertFile } from './checkCertFile';

export async function signatureFindings(descriptorPath: string, descriptorText: string): Promise<Finding[]> {
  const manifestName = manifestNameFor(descriptorPath);
  const dir = path.dirname(descriptorPath);
  const certName = manifestName.replace(/\.mf$/, '.cert');
  const report = await checkCertFile(path.join(dir, certName), path.join(dir, manifestName), manifestName).catch(() => undefined);
  if (!report) return [];
  const firstLine = { start: 0, end: Math.max(0, descriptorText.search(/\r?\n|$/)) };
  return report.findings.map((f) => ({
    ...f,
    severity: f.severity === 'error' ? 'warning' : f.severity,
    message: `${certName}: ${f.message}`,
    span: firstLine,
  }));
}
