// `npm test`: typecheck + compile to out/, bundle dist/ (protocol and CLI tests run the bundles),
// then run every *.test.js under out/test with Node's test runner.
// `npm test -- ftps lsp` runs only the test files whose path contains one of the words.
// OVFKIT_OUT=/tmp/out-x compiles elsewhere, so parallel runs do not clobber each other's out/.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const filters = process.argv.slice(2);

function run(cmd, args, { tolerate = false } = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0 && !tolerate) process.exit(r.status ?? 1);
}

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'e2e' && name !== 'fixtures') found.push(...findTests(full));
    } else if (name.endsWith('.test.js')) {
      found.push(full);
    }
  }
  return found;
}

const outDir = process.env.OVFKIT_OUT || 'out';
rmSync(outDir, { recursive: true, force: true });
// OVFKIT_KEEP_GOING=1 runs the tests even when other files fail to typecheck (tsc still emits):
// for working on one part while another is mid-change. CI never sets it.
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir], { tolerate: process.env.OVFKIT_KEEP_GOING === '1' });
run(process.execPath, ['esbuild.mjs']);
const files = findTests(join(outDir, 'test')).filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Every temp folder a test makes (os.tmpdir()) lands in one folder of this run, removed at the end
// whatever the outcome, so no run leaves ovfkit-* folders behind. 0755: vsftpd's test user must
// reach the staging folders the FTPS tests create inside it.
const tmpRoot = mkdtempSync(join(tmpdir(), 'ovfkit-test-run-'));
chmodSync(tmpRoot, 0o755);
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env: { ...process.env, TMPDIR: tmpRoot } });
// Each test removes what it made; what is left here is a test that does not, named so it gets fixed.
const leftovers = readdirSync(tmpRoot);
if (leftovers.length > 0) console.error(`\nnpm test: ${leftovers.length} temp folder(s) left behind by tests: ${leftovers.slice(0, 20).join(', ')}`);
rmSync(tmpRoot, { recursive: true, force: true });
process.exit(result.status || (leftovers.length > 0 && filters.length === 0 ? 1 : 0));
