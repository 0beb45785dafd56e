// The domain and transfer layers stay free of the editor, enforced by the compiler: each layer has a
// tsconfig.json of its own (server/src/ovf, client/src/transfer) with only Node's types and `paths`
// that send `vscode` and the LSP packages to a file that is not a module (scripts/layers/); the
// domain's rootDir also refuses imports from outside server/src/ovf. These tests compile each layer
// alone, and prove that the guard bites.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const TSC = path.resolve('node_modules/typescript/bin/tsc');
const LAYERS = ['server/src/ovf', 'client/src/transfer'];

function tsc(project: string): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

for (const layer of LAYERS) {
  test(`${layer} compiles on its own, without the editor's or the LSP's types`, () => {
    const r = tsc(path.resolve(layer, 'tsconfig.json'));
    assert.ok(r.ok, r.output);
  });

  test(`${layer}: an import of vscode or of an LSP package does not compile, because of the guard`, () => {
    // The probe lives inside the layer (hidden, removed after), so that only the guard stops it:
    // the same probe compiles once the layer's `paths` are reset.
    const probe = path.resolve(layer, `.layers-probe-${process.pid}.ts`);
    const guarded = path.resolve(layer, `.layers-probe-${process.pid}.json`);
    const unguarded = path.resolve(layer, `.layers-probe-${process.pid}-unguarded.json`);
    try {
      writeFileSync(guarded, JSON.stringify({ extends: './tsconfig.json', files: [probe], include: [] }));
      writeFileSync(unguarded, JSON.stringify({ extends: './tsconfig.json', compilerOptions: { paths: {}, types: ['node', 'vscode'] }, files: [probe], include: [] }));
      const forbidden = ['vscode', 'vscode-languageserver/node', 'vscode-languageclient/node'];
      writeFileSync(probe, forbidden.map((pkg, i) => `import * as p${i} from '${pkg}';\nexport const e${i} = p${i};\n`).join(''));
      const r = tsc(guarded);
      assert.ok(!r.ok, `importing ${forbidden.join(', ')} compiled in ${layer}`);
      const refusals = r.output.split('\n').filter((line) => /forbidden-in-this-layer\.d\.ts' is not a module/.test(line));
      assert.equal(refusals.length, forbidden.length, r.output);
      const control = tsc(unguarded);
      assert.ok(control.ok, `without the guard the probe should compile:\n${control.output}`);
    } finally {
      for (const f of [probe, guarded, unguarded]) rmSync(f, { force: true });
    }
  });
}

test('server/src/ovf: an import from outside the domain does not compile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ovfkit-layers-'));
  try {
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: path.resolve('server/src/ovf/tsconfig.json'),
      files: [path.resolve('server/src/ovf/validate.ts'), path.resolve('client/src/log.ts')],
      include: [],
    }));
    const r = tsc(path.join(dir, 'tsconfig.json'));
    assert.ok(!r.ok, 'a file outside server/src/ovf compiled in the domain project');
    assert.match(r.output, /is not under 'rootDir'/, r.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The simulators model the servers, so they must not share the client's protocol code: a bug there
// would then be mirrored by the simulator instead of caught. They may use the domain's parsers.
const IMPORT_SPECIFIER = /\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function transferImports(file: string, source: string): string[] {
  const transfer = path.resolve('client/src/transfer');
  return [...source.matchAll(IMPORT_SPECIFIER)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((spec) => spec.startsWith('.') && (path.resolve(path.dirname(file), spec) + path.sep).startsWith(transfer + path.sep));
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

test('client/src/simulator imports nothing from client/src/transfer', () => {
  const files = sourcesUnder(path.resolve('client/src/simulator'));
  assert.ok(files.length > 5, 'no simulator sources found');
  const offending = files.flatMap((f) => transferImports(f, readFileSync(f, 'utf8')).map((spec) => `${path.relative('.', f)}: ${spec}`));
  assert.deepEqual(offending, []);
});

test('the simulator import check catches every import form', () => {
  const file = path.resolve('client/src/simulator/vcloud/probe.ts');
  const source = [
    "import { child } from '../../transfer/vcloud/responses';",
    "export { a } from '../../transfer/common/sanitise';",
    "const m = await import('../../transfer/vcloud/upload');",
    "import { parseXmlRoot } from '../../../../server/src/ovf/xml/localNames';",
  ].join('\n');
  assert.deepEqual(transferImports(file, source), ['../../transfer/vcloud/responses', '../../transfer/common/sanitise', '../../transfer/vcloud/upload']);
});

// The client enters the domain through its one door (server/src/ovf/index.ts); besides it, only the
// client/server contract files of server/src may be imported. Deep imports would let the domain's
// folders leak into forty client files again.
const SERVER_FILES_THE_CLIENT_MAY_IMPORT = ['ovf', 'targetsProtocol', 'serverFlags'];

function serverImports(file: string, source: string): string[] {
  const server = path.resolve('server/src');
  return [...source.matchAll(IMPORT_SPECIFIER)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.resolve(path.dirname(file), spec))
    .filter((target) => (target + path.sep).startsWith(server + path.sep))
    .map((target) => path.relative(server, target).split(path.sep).join('/'));
}

test('client/src reaches the domain only through server/src/ovf/index.ts', () => {
  const files = sourcesUnder(path.resolve('client/src'));
  const offending = files.flatMap((f) => serverImports(f, readFileSync(f, 'utf8'))
    .filter((target) => !SERVER_FILES_THE_CLIENT_MAY_IMPORT.includes(target))
    .map((target) => `${path.relative('.', f)}: server/src/${target}`));
  assert.deepEqual(offending, []);
});

test('the domain entry check catches a deep import', () => {
  const file = path.resolve('client/src/commands/probe.ts');
  const source = "import { a } from '../../../server/src/ovf';\nimport { b } from '../../../server/src/ovf/manifest/errors';\n";
  assert.deepEqual(serverImports(file, source), ['ovf', 'ovf/manifest/errors']);
});
