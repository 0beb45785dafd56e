// `npm run package` builds a .vsix that holds only what the extension needs at run time, under 2 MB.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

interface ZipEntry { name: string; size: number }

/** Entry names and sizes from a zip's central directory (a .vsix is a zip; no zip64 at this size). */
function zipEntries(file: string): ZipEntry[] {
  const zip = fs.readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file} is not a zip (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `bad central directory entry ${i} in ${file}`);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** What may ship, relative to the package's extension/ folder. */
const ALLOWED = [
  /^package\.json$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  // The bundles the extension loads (no source maps in production): the client, the language
  // server, the hashing worker and the simulators it can start. Not the CLI.
  /^dist\/(extension|server|hashWorker|vcloudSim|cloudcontrolSim)\.js$/,
  /^syntaxes\/[\w.-]+\.json$/,     // the grammar
  /^language-configuration\.json$/,
  /^images\/icon\.png$/,
  /^images\/screenshot-[\w-]+\.png$/, // the README's screenshots, so it renders in the Extensions view
  /^media\/walkthrough\/[\w.-]+\.(md|png|svg)$/, // the walkthrough cannot render without its media
  /^docs\/RULES\.md$/,             // what each diagnostic's code links to (codeDescription)
];

test('npm run package builds a .vsix with only the files the extension loads, under 2 MB', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovfkit-vsix-'));
  try {
    const vsix = path.join(dir, 'ovfkit.vsix');
    const r = spawnSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { encoding: 'utf8' });
    assert.equal(r.status, 0, `packaging failed:\n${r.stdout}\n${r.stderr}`);

    const size = fs.statSync(vsix).size;
    assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${size} bytes; the bar is 2 MB`);

    const entries = zipEntries(vsix);
    const names = entries.map((e) => e.name);
    assert.ok(names.includes('extension.vsixmanifest') && names.includes('[Content_Types].xml'), 'not a VS Code extension package');
    const shipped = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const unexpected = shipped.filter((n) => !ALLOWED.some((re) => re.test(n)));
    assert.deepEqual(unexpected, [], `files that should not ship: ${unexpected.join(', ')}`);

    // Everything the manifest points at ships with it.
    const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    // The built-in CloudControl simulator is loaded from its own bundle when a user picks it.
    const required = new Set<string>(['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'dist/extension.js', 'dist/server.js', 'dist/cloudcontrolSim.js', 'docs/RULES.md']);
    const rel = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''));
    required.add(rel(manifest.main));
    if (manifest.icon) required.add(rel(manifest.icon));
    for (const g of manifest.contributes?.grammars ?? []) required.add(rel(g.path));
    for (const l of manifest.contributes?.languages ?? []) if (l.configuration) required.add(rel(l.configuration));
    for (const w of manifest.contributes?.walkthroughs ?? []) {
      for (const step of w.steps) {
        for (const media of [step.media?.markdown, step.media?.image, step.media?.svg]) {
          if (typeof media === 'string') required.add(rel(media));
          else if (media) for (const v of Object.values(media as Record<string, string>)) required.add(rel(v));
        }
      }
    }
    const missing = [...required].filter((n) => !shipped.includes(n));
    assert.deepEqual(missing, [], `missing from the .vsix: ${missing.join(', ')}`);
    assert.ok(manifest.icon, 'package.json has no icon');

    // esbuild bundles the dependencies; a node_modules folder in the package means the build changed.
    assert.ok(!shipped.some((n) => n.includes('node_modules')), 'node_modules shipped');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
