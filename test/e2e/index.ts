// Entry point VS Code calls (`extensionTestsPath`) in both runners: scripts/e2e/run.mjs
// (code-server, offline) and scripts/e2e/electron.mjs (@vscode/test-electron). Runs every
// `*.e2e.js` of one folder with mocha: `suites/` (the working tree) or, when the runner sets
// OVFKIT_E2E_SUITE=smoke, `smoke/` (the extension installed from the .vsix).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { OUTPUT_MARKER } from './helpers/output';

// Activation is measured on a fresh window, so it goes first; screenshots go last, when the
// editor shows what the other suites left open.
const FIRST = ['activation.e2e.js'];
const LAST = ['screenshots.e2e.js'];

function order(files: string[]): string[] {
  const rank = (f: string) => (FIRST.includes(f) ? 0 : LAST.includes(f) ? 2 : 1);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function run(): Promise<void> {
  // The extension host's console reaches the runner mixed with the workbench's own logging; a
  // marker lets scripts/e2e/run.mjs print only the report. (Reporters write through consoleLog.)
  if (process.env.OVFKIT_E2E_RUNNER === 'code-server') {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`${OUTPUT_MARKER}${format(...args)}`);
  }
  const folder = path.join(__dirname, process.env.OVFKIT_E2E_SUITE === 'smoke' ? 'smoke' : 'suites');
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 60_000,
    ...(process.env.OVFKIT_E2E_GREP ? { grep: process.env.OVFKIT_E2E_GREP } : {}),
  });
  const files = order(fs.readdirSync(folder).filter((f) => f.endsWith('.e2e.js')));
  for (const file of files) mocha.addFile(path.join(folder, file));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
