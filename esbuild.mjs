// Bundles the entry points into dist/: the VS Code client, the language server, the CLI and the
// hashing worker. Everything but `vscode` (provided by the editor) is bundled, so the .vsix ships
// no node_modules.
import { existsSync, readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entries = {
  extension: 'client/src/extension.ts',
  server: 'server/src/server.ts',
  cli: 'client/src/cli/main.ts',
  hashWorker: 'server/src/ovf/manifest/hashWorker.ts',
  vcloudSim: 'client/src/simulator/vcloud/main.ts',
  cloudcontrolSim: 'client/src/simulator/cloudcontrol/main.ts',
};

const options = {
  // An entry appears once its module exists, so the build works while the tree grows.
  entryPoints: Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file))),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ftp-srv's logger (bunyan) loads dtrace-provider, a native add-on, inside a try: left out, it is skipped.
  external: ['vscode', 'dtrace-provider'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { OVFKIT_VERSION: JSON.stringify(version) },
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
