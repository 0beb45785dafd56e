// Prints the corpus figures of docs/BENCHMARKS.md: files, valid ones with zero errors, invalid ones
// flagged. The judging is the corpus test's own (test/support/corpus.ts, read from the tsc output).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const outDir = process.env.OVFKIT_OUT || 'out';
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const require = createRequire(import.meta.url);
const { judgeCorpus } = require(resolve(outDir, 'test/support/corpus.js'));

const { verdicts, figures: f } = judgeCorpus();
const pct = (a, b) => (b === 0 ? 'n/a' : `${((a / b) * 100).toFixed(1)}%`);
console.log(`corpus descriptors:              ${f.files}`);
console.log(`labelled valid:                  ${f.valid}, with zero errors (generic target): ${f.validWithoutErrors} (${pct(f.validWithoutErrors, f.valid)})`);
console.log(`labelled invalid:                ${f.invalid}, flagged with their expected codes: ${f.invalidFlagged} (${pct(f.invalidFlagged, f.invalid)}; bar 80%)`);
console.log(`expected misses (not flagged):   ${f.expectedMisses}`);
for (const v of verdicts.filter((x) => x.label.miss)) console.log(`  miss: ${v.label.file}: ${v.label.miss}`);
const wrong = verdicts.filter((v) => v.problems.length > 0);
if (wrong.length > 0) {
  console.log(`\nfiles judged otherwise than labelled: ${wrong.length}`);
  for (const v of wrong) for (const p of v.problems) console.log(`  ${v.label.file}: ${p}`);
  process.exitCode = 1;
}
