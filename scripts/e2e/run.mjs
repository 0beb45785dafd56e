// `npm run test:e2e`: runs the extension's mocha suites (test/e2e) inside a real VS Code, offline:
// code-server's Node extension host, driven by headless Chromium through playwright-core.
// How it works, how to add a suite: scripts/e2e/README.md.
//
//   node scripts/e2e/run.mjs                 build, then run every suite against the working tree
//   node scripts/e2e/run.mjs --vsix          package the .vsix, install it into code-server with
//                                            --install-extension, run the smoke suite against it
//   --grep <regexp>    only the tests whose full title (suite and test) matches
//   --screenshots      also save the screenshots the suites take into images/ (for the README);
//                      every run keeps them in .vscode-test/runs/<mode>/screenshots/
//   --no-build         use the existing dist/ and .vscode-test/out (after a build of your own)
//   --timeout <s>      give up after <s> seconds (default 600), exit 124
//   --verbose          also print the editor's own console (workbench and extension host logs)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { CHROMIUM, cacheDir, codeServerEntry, ensureE2eTools, node24 } from './setup.mjs';

// Markers of the suites' console lines (test/e2e/helpers/ui.ts and output.ts).
const UI_MARKER = '[ovfkit-e2e] ';
const OUTPUT_MARKER = '[ovfkit-e2e:out] ';
const root = resolve(import.meta.dirname, '../..');
const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'boolean', default: false },
    grep: { type: 'string' },
    screenshots: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    verbose: { type: 'boolean', default: false },
  },
});
const mode = opts.vsix ? 'vsix' : 'dev';
// The suites compile into a folder of their own inside the repository, so an e2e run never
// clobbers `npm test`'s out/ and the tests entry lies inside the extension folder, as VS Code requires.
const outDir = join(cacheDir, 'out');
const state = join(cacheDir, 'runs', mode);
const started = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed with exit ${r.status}`);
}

function build() {
  log(`compiling (tsc -p . --outDir ${outDir})`);
  rmSync(outDir, { recursive: true, force: true });
  const tolerate = process.env.OVFKIT_KEEP_GOING === '1';
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--outDir', outDir], { stdio: 'inherit', cwd: root });
  if (r.status !== 0 && !tolerate) throw new Error('tsc failed');
  if (mode === 'dev') {
    log('bundling dist/');
    run(process.execPath, ['esbuild.mjs']);
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
  });
}

/** Every child gets its own HOME and XDG folders: code-server, Chromium and Node all write there. */
function isolatedEnv() {
  const env = { ...process.env };
  for (const [key, dir] of [['HOME', 'home'], ['XDG_CONFIG_HOME', 'xdg-config'], ['XDG_DATA_HOME', 'xdg-data'], ['XDG_CACHE_HOME', 'xdg-cache'], ['TMPDIR', 'tmp']]) {
    env[key] = join(state, dir);
    mkdirSync(env[key], { recursive: true });
  }
  delete env.npm_config_user_agent;
  env.EXTENSIONS_GALLERY = '{}';
  return env;
}

function codeServerArgs(port) {
  return [
    codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--config', join(state, 'config.yaml'),
    '--user-data-dir', join(state, 'user-data'),
    '--extensions-dir', join(state, 'extensions'),
    // Without it the built workbench ignores the test payload and the run hangs.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
}

async function waitHealthy(port, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}); see ${join(state, 'code-server.log')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('code-server did not become healthy in time');
}

/** The .vsix mode's test runner extension: only the compiled suites, so the ovfkit under test is
 *  the one installed from the .vsix and nothing from the working tree. */
function writeHarness() {
  const harness = join(state, 'harness');
  mkdirSync(harness, { recursive: true });
  cpSync(join(outDir, 'test', 'e2e'), join(harness, 'e2e'), { recursive: true });
  writeFileSync(join(harness, 'package.json'), JSON.stringify({
    name: 'ovfkit-e2e-harness', publisher: 'ovfkit-test', version: '0.0.0', engines: { vscode: '^1.91.0' },
  }, null, 2));
  return { extensionPath: harness, testsEntry: join(harness, 'e2e', 'index.js') };
}

function packageAndInstall(env) {
  const vsix = join(state, 'ovfkit.vsix');
  log('packaging the .vsix (npm run package)');
  run(process.execPath, ['scripts/package.mjs', '--out', vsix]);
  log('installing it into code-server (--install-extension)');
  run(node24, [codeServerEntry, '--extensions-dir', join(state, 'extensions'), '--user-data-dir', join(state, 'user-data'), '--install-extension', vsix], { env });
  return vsix;
}

/** Requests from the suites (see test/e2e/helpers/ui.ts): screenshots and DOM reads that the
 *  VS Code API cannot do. They arrive as console lines; answers go back as files. */
async function answerUiRequest(page, request) {
  // Written then renamed, so the suite polling for the file never reads half of it.
  const reply = (body) => {
    const file = join(state, 'ui', `${request.id}.json`);
    writeFileSync(`${file}.part`, JSON.stringify(body));
    renameSync(`${file}.part`, file);
  };
  try {
    if (request.op === 'screenshot') {
      const file = join(state, 'screenshots', `${request.name}.png`);
      await page.screenshot({ path: file });
      if (opts.screenshots) {
        cpSync(file, join(root, 'images', `${request.name}.png`));
        log(`screenshot saved: images/${request.name}.png`);
      }
      reply({ ok: true, file });
    } else if (request.op === 'text') {
      const el = page.locator(request.selector).first();
      await el.waitFor({ state: 'attached', timeout: request.timeout ?? 10_000 });
      reply({ ok: true, text: await el.textContent(), ariaLabel: await el.getAttribute('aria-label') });
    } else if (request.op === 'frameText') {
      // Webviews (walkthrough media, previews) render in nested iframes the page locator cannot see.
      const texts = await Promise.all(page.frames().map((f) => f.evaluate(() => document.body?.innerText ?? '').catch(() => '')));
      reply({ ok: true, text: texts.join('\n') });
    } else if (request.op === 'count') {
      reply({ ok: true, count: await page.locator(request.selector).count() });
    } else if (request.op === 'visible') {
      await page.locator(request.selector).first().waitFor({ state: 'visible', timeout: request.timeout ?? 10_000 });
      reply({ ok: true });
    } else if (request.op === 'click' || request.op === 'hover') {
      // force: editor decorations (squiggles) lie under the text layer, which takes the pointer.
      await page.locator(request.selector).first()[request.op]({ timeout: request.timeout ?? 10_000, force: request.op === 'hover' });
      reply({ ok: true });
    } else if (request.op === 'press') {
      // A key as a user presses it (Enter, Escape), to wherever the focus is.
      await page.keyboard.press(request.key);
      reply({ ok: true });
    } else {
      reply({ ok: false, error: `unknown ui request ${request.op}` });
    }
  } catch (e) {
    // What the window looked like when a request failed helps more than the selector alone.
    const shot = join(state, 'screenshots', `failed-${request.id}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    reply({ ok: false, error: `${String(e?.message ?? e).split('\n')[0]} (window: ${shot})` });
  }
}

async function main() {
  ensureE2eTools();
  if (!opts['no-build']) build();
  const { chromium } = await import('playwright-core');

  rmSync(state, { recursive: true, force: true });
  for (const dir of ['user-data/User', 'extensions', 'ui', 'profile', 'screenshots']) mkdirSync(join(state, dir), { recursive: true });
  writeFileSync(join(state, 'config.yaml'), 'auth: none\n');
  writeFileSync(join(state, 'user-data', 'User', 'settings.json'), JSON.stringify({
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'editor.stickyScroll.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
  }, null, 2));
  // A fresh copy of the fixtures workspace: suites may edit settings and files freely.
  const workspace = join(state, 'workspace');
  cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const env = isolatedEnv();

  let extensionPath = root;
  let testsEntry = join(outDir, 'test', 'e2e', 'index.js');
  if (mode === 'vsix') {
    packageAndInstall(env);
    ({ extensionPath, testsEntry } = writeHarness());
  }
  if (!existsSync(testsEntry)) throw new Error(`${testsEntry} is missing: did the build run?`);

  const port = await freePort();
  const serverLog = join(state, 'code-server.log');
  const child = spawn(node24, [...codeServerArgs(port), workspace], {
    cwd: state, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logChunks = [];
  child.stdout.on('data', (d) => logChunks.push(d));
  child.stderr.on('data', (d) => logChunks.push(d));
  const stopServer = () => {
    writeFileSync(serverLog, Buffer.concat(logChunks));
    if (child.exitCode === null) { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } }
  };

  const deadline = started + Number(opts.timeout) * 1000;
  let context;
  try {
    await waitHealthy(port, child, deadline);
    log(`code-server healthy on 127.0.0.1:${port} (${mode} mode)`);
    context = await chromium.launchPersistentContext(join(state, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] ?? await context.newPage();

    let finish;
    const finished = new Promise((res) => { finish = res; });
    await page.exposeFunction('codeAutomationExit', (code) => { finish(code); });
    page.on('console', (msg) => {
      const args = msg.args().map((a) => a.toString().replace(/^JSHandle@/, ''));
      let text = msg.text();
      // Extension-host lines arrive as ('%c INFO', css, ...args): print only the args.
      if (args.length >= 2 && /^%c/.test(args[0])) text = format(...args.slice(2));
      const request = text.indexOf(UI_MARKER);
      const output = text.indexOf(OUTPUT_MARKER);
      if (request >= 0) {
        try { void answerUiRequest(page, JSON.parse(text.slice(request + UI_MARKER.length))); } catch { /* not a request */ }
      } else if (output >= 0) {
        console.log(text.slice(output + OUTPUT_MARKER.length));
      } else if (opts.verbose) {
        console.log(`[editor ${msg.type()}] ${text}`);
      } else if (msg.type() === 'error' && /^%c/.test(msg.text())) {
        console.log(`[editor error] ${text.split('\n')[0]}`); // the whole stack with --verbose
      }
    });
    page.on('pageerror', (e) => console.error(`[workbench] ${e.message}`));

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const extensionEnvironment = {
      OVFKIT_E2E_UI_DIR: join(state, 'ui'),
      OVFKIT_E2E_SUITE: mode === 'vsix' ? 'smoke' : 'suites',
      OVFKIT_E2E_RUNNER: 'code-server',
      ...(opts.grep ? { OVFKIT_E2E_GREP: opts.grep } : {}),
      OVFKIT_E2E_TIMINGS: join(state, 'timings.json'),
      // Settings and peers for the capability suites (addresses, test credentials).
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OVFKIT_TEST_'))),
    };
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsEntry)],
      ['skipWelcome', 'true'],
      ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    log('workbench loaded; suites running in the extension host');

    const timeout = new Promise((res) => setTimeout(() => res(124), Math.max(0, deadline - Date.now())));
    const code = await Promise.race([finished, timeout]);
    if (code === 124) {
      const shot = join(state, 'screenshots', 'timeout.png');
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(`[e2e] timed out after ${opts.timeout} s; the window then: ${shot}; code-server log: ${serverLog}`);
    }
    if (existsSync(extensionEnvironment.OVFKIT_E2E_TIMINGS)) {
      const t = JSON.parse(readFileSync(extensionEnvironment.OVFKIT_E2E_TIMINGS, 'utf8'));
      log(`activation: ${t.activateMs} ms to activate, ${t.firstDiagnosticsMs} ms from opening an .ovf to its first diagnostics`);
    }
    log(code === 0 ? 'all e2e tests passed' : `e2e run failed (exit ${code})`);
    return code;
  } finally {
    await context?.close().catch(() => {});
    stopServer();
  }
}

/** One e2e run at a time per checkout: runs share .vscode-test/out and the run folders, and
 *  several engineers may start one at once. Re-executes this script under flock(1). */
function runLocked() {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, 'e2e.lock');
  const args = [process.argv[1], ...process.argv.slice(2)];
  const env = { ...process.env, OVFKIT_E2E_LOCKED: '1' };
  let r = spawnSync('flock', ['-n', '-E', '75', lock, process.execPath, ...args], { stdio: 'inherit', env });
  if (r.status === 75) {
    console.log('[e2e] another e2e run is in progress in this checkout; waiting for it');
    r = spawnSync('flock', ['-E', '75', lock, process.execPath, ...args], { stdio: 'inherit', env });
  }
  if (r.error) throw new Error(`flock: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

if (process.env.OVFKIT_E2E_LOCKED !== '1') runLocked();

main().then((code) => process.exit(code), (e) => {
  console.error(`[e2e] ${e.stack ?? e}`);
  process.exit(1);
});
