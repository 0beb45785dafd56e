// `npm run fuzz [-- --seed N] [--cases M] [--no-build]`: the seeded mutation fuzzer of
// test/fuzz/ with more cases than `npm test` runs (default 20000, a random seed printed first).
// Compiles with tsc to out/ (or $OVFKIT_OUT) unless --no-build. Exit 1 on any failure, each
// printed with the seed that replays it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seed: { type: 'string' }, cases: { type: 'string', default: '20000' }, 'no-build': { type: 'boolean' } } });
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 32);
const cases = Number(values.cases);
if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(cases) || cases < 1) {
  console.error('usage: npm run fuzz -- [--seed N] [--cases M] [--no-build]   (N >= 0, M >= 1)');
  process.exit(2);
}
const outDir = process.env.OVFKIT_OUT || 'out';
if (!values['no-build']) {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { runFuzz, describeFailure } = createRequire(import.meta.url)(resolve(outDir, 'test/fuzz/runFuzz.js'));
console.log(`fuzzing ${cases} cases from seed ${seed}`);
const started = Date.now();
const report = await runFuzz({
  seed,
  cases,
  onProgress: (n) => {
    if (n % 1000 === 0) process.stdout.write(`  ${n} cases, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  },
});
for (const f of report.failures) console.error(describeFailure(f));
console.log(`${report.casesRun} cases in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.failures.length} failure(s)`);
process.exit(report.failures.length ? 1 : 0);
