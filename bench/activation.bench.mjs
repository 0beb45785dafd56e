// Activation of the packaged extension in a real editor: the .vsix (production bundle) installed
// into code-server, then the time from opening an .ovf to ovfkit being active and to its first
// diagnostics. Each run is a fresh editor (activation happens once per window).
// Needs the e2e tools (node scripts/e2e/setup.mjs and Debian's chromium); says so and stops if absent.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, codeServerEntry, node24 } from '../scripts/e2e/setup.mjs';
import { summary, writeResult } from './support.mjs';

const RUNS = Number(process.env.OVFKIT_BENCH_ACTIVATION_RUNS || 3);
const timings = join('.vscode-test', 'runs', 'vsix', 'timings.json');

if (![CHROMIUM, codeServerEntry, node24].every(existsSync)) {
  console.log('activation: skipped, the e2e tools are not installed (apt-get install chromium libkrb5-dev; node scripts/e2e/setup.mjs)');
  process.exit(0);
}

const activate = [];
const firstDiagnostics = [];
for (let i = 0; i < RUNS; i++) {
  rmSync(timings, { force: true });
  // The first run compiles the suites; later ones reuse them.
  const r = spawnSync(process.execPath, ['scripts/e2e/run.mjs', '--vsix', '--grep', 'activates', ...(i > 0 ? ['--no-build'] : [])],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(timings)) {
    console.error(`activation: run ${i + 1} failed (exit ${r.status}); see node scripts/e2e/run.mjs --vsix`);
    process.exit(1);
  }
  const t = JSON.parse(readFileSync(timings, 'utf8'));
  activate.push(t.activateMs);
  firstDiagnostics.push(t.firstDiagnosticsMs);
  console.log(`run ${i + 1}: active after ${t.activateMs} ms, first diagnostics after ${t.firstDiagnosticsMs} ms`);
}

const result = {
  what: 'packaged .vsix in code-server: from opening an .ovf to the extension active / to its first diagnostics (ms)',
  activateMs: summary(activate),
  firstDiagnosticsMs: summary(firstDiagnostics),
};
console.log(`activation p50 ${result.activateMs.p50} ms, first diagnostics p50 ${result.firstDiagnosticsMs.p50} ms`);
writeResult('activation', result);
