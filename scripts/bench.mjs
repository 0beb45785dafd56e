// `npm run bench [-- name...]`: builds once, then runs each bench/*.bench.mjs (or those whose name
// contains one of the words) in its own process. Each bench prints a summary and writes JSON to
// bench/results/<name>.json. Benchmarks measure; they never fail on timing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const outDir = process.env.OVFKIT_OUT || 'out';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

if (run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir]) !== 0) process.exit(1);
if (run(process.execPath, ['esbuild.mjs']) !== 0) process.exit(1);
mkdirSync('bench/results', { recursive: true });

const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  // --expose-gc lets benches settle the heap between runs; each bench reports its own peak RSS.
  if (run(process.execPath, ['--expose-gc', join('bench', bench)], { OVFKIT_OUT: outDir }) !== 0) {
    console.error(`${bench} did not complete`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
