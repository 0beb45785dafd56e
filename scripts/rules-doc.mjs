// Rewrites docs/RULES.md from the rule metadata, read from the tsc output in out/ (compiled first).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const outDir = process.env.OVFKIT_OUT || 'out';
spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const { rulesMarkdown } = require(resolve(outDir, 'server/src/ovf/rules/rulesDoc.js'));
writeFileSync('docs/RULES.md', rulesMarkdown());
console.log('wrote docs/RULES.md');
