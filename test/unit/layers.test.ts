// The domain and transfer layers stay free of the editor: no `vscode`, no LSP packages.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const FORBIDDEN = /(?:from\s+|require\(\s*|import\(\s*)['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*)['"]/;

function sources(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

for (const layer of ['server/src/ovf', 'client/src/transfer']) {
  test(`${layer} imports neither vscode nor the LSP packages`, () => {
    const files = sources(path.resolve(layer));
    if (layer === 'server/src/ovf') assert.ok(files.length > 10, 'the domain layer exists');
    const offenders = files.filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8'))).map((f) => path.relative(process.cwd(), f));
    assert.deepEqual(offenders, []);
  });
}
