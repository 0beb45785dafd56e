// `npm run test:electron`: the same mocha suites as `npm run test:e2e`, run by the standard
// @vscode/test-electron, which downloads VS Code (desktop) from Microsoft: for contributors with
// internet. Suites that read the rendered workbench (status bar) need the browser of
// scripts/e2e/run.mjs and are reported as pending here.
//   node scripts/e2e/electron.mjs [--grep <text>] [--vscode <version>]   (default: stable)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const root = resolve(import.meta.dirname, '../..');
const { values: opts } = parseArgs({ options: { grep: { type: 'string' }, vscode: { type: 'string', default: 'stable' } } });

function run(cmd, args, { tolerate = false } = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0 && !tolerate) process.exit(r.status ?? 1);
}

// tsc compiles test/e2e to out/test/e2e (inside the extension folder, as VS Code requires).
// OVFKIT_KEEP_GOING=1 tolerates type errors elsewhere, as in `npm test`.
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { tolerate: process.env.OVFKIT_KEEP_GOING === '1' });
run(process.execPath, ['esbuild.mjs']);

const scratch = mkdtempSync(join(tmpdir(), 'ovfkit-electron-'));
const workspace = join(scratch, 'workspace');
cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    version: opts.vscode,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'e2e', 'index.js'),
    extensionTestsEnv: {
      OVFKIT_E2E_RUNNER: 'electron',
      ...(opts.grep ? { OVFKIT_E2E_GREP: opts.grep } : {}),
    },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', join(scratch, 'user-data')],
  });
} catch (e) {
  console.error(`[electron] ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
