// Rewrites docs/RULES.md and the `ovfkit.severity` schema in package.json from the rule metadata,
// read from the tsc output in out/ (compiled first).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const outDir = process.env.OVFKIT_OUT || 'out';
spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const { rulesMarkdown } = require(resolve(outDir, 'server/src/ovf/rules/rulesDoc.js'));
writeFileSync('docs/RULES.md', rulesMarkdown());
console.log('wrote docs/RULES.md');

const { severitySchema } = require(resolve(outDir, 'server/src/ovf/rules/severitySchema.js'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const section = pkg.contributes.configuration.find((s) => s.properties?.['ovfkit.severity']);
const current = section.properties['ovfkit.severity'];
// Keep what is written by hand (description, order); the rest comes from the rules.
section.properties['ovfkit.severity'] = { ...severitySchema(), markdownDescription: current.markdownDescription, order: current.order };
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
console.log('wrote the ovfkit.severity schema in package.json');
