// `npm run package`: builds the .vsix offline with @vscode/vsce. The production bundle is built in
// a staging copy of the repository, so packaging never replaces the dist/ that tests and the
// debugger use. esbuild bundles every dependency, hence --no-dependencies; .vscodeignore decides
// what ships (test/package/vsix.test.ts checks the result).
//   node scripts/package.mjs [--out <file.vsix>]     default: ovfkit-<version>.vsix in the repository
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(values.out ?? join(root, `${name}-${version}.vsix`));

// Build products, caches and the e2e set-up are never part of a package.
const NOT_STAGED = new Set(['.git', 'node_modules', 'dist', 'out', '.vscode-test', '.state', 'bench']);

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed (exit ${r.status})`);
}

const stage = mkdtempSync(join(tmpdir(), 'ovfkit-package-'));
try {
  for (const entry of readdirSync(root)) {
    if (NOT_STAGED.has(entry) || entry.endsWith('.vsix')) continue;
    cpSync(join(root, entry), join(stage, entry), { recursive: true, filter: (src) => !src.endsWith('.vsix') });
  }
  // esbuild resolves the bundled packages from here; removed again before vsce looks at the folder.
  const modules = join(stage, 'node_modules');
  symlinkSync(join(root, 'node_modules'), modules, 'dir');
  run(process.execPath, [join(root, 'esbuild.mjs'), '--production'], stage);
  unlinkSync(modules);

  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository',
    // README images ship inside the package (images/), so relative links stay relative.
    '--no-rewrite-relative-links', '--out', out], stage);
  console.log(`packaged ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
