// The real-world manifests of the corpus (test/fixtures/corpus, copied from shared/): they parse without error, and checked against
// their paired descriptors (copied beside them under the names the manifest uses) they give
// exactly the findings INDEX.tsv's notes predict. Their disks are not in the corpus.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { lintManifest } from '../../server/src/ovf/manifest/lintManifest';
import { parseManifest } from '../../server/src/ovf/manifest/parseManifest';

const CORPUS = path.resolve(process.cwd(), 'test', 'fixtures', 'corpus');

interface Row {
  saved_name: string;
  kind: string;
  role: string;
  notable: string;
}

function manifestRows(): Row[] {
  const [header, ...lines] = readFileSync(path.join(CORPUS, 'INDEX.tsv'), 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  return lines
    .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])) as unknown as Row)
    .filter((r) => r.kind === 'manifest');
}

const rows = manifestRows();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-mf-corpus-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('corpus manifests', () => {
  test('the corpus has manifests to check', () => {
    assert.ok(rows.length >= 16, `${rows.length} manifests`);
  });

  for (const row of rows) {
    test(`${row.saved_name} parses without error, with the entries and algorithms INDEX.tsv lists`, () => {
      const parsed = parseManifest(readFileSync(path.join(CORPUS, 'files', row.saved_name), 'utf8'));
      assert.deepEqual(parsed.findings.filter((f) => f.severity === 'error'), []);
      const entries = Number(/entries=(\d+)/.exec(row.notable)![1]);
      assert.equal(parsed.entries.length, entries);
      const algos = /algos=([\w,]+)/.exec(row.notable)![1];
      assert.deepEqual([...new Set(parsed.entries.map((e) => e.algorithm))].join(',') || 'none', algos);
      assert.ok(parsed.entries.every((e) => e.digestValid && e.form === 'strict'));
    });

    test(`${row.saved_name} against its descriptor: the coverage and descriptor digest INDEX.tsv notes`, async () => {
      const text = readFileSync(path.join(CORPUS, 'files', row.saved_name), 'utf8');
      const descriptorEntry = parseManifest(text).entries.find((e) => e.name.endsWith('.ovf'));
      const base = descriptorEntry ? descriptorEntry.name.replace(/\.ovf$/, '') : row.saved_name.replace(/\.mf$/, '');
      const dir = mkdtempSync(path.join(scratch, 'pkg-'));
      copyFileSync(path.join(CORPUS, 'files', row.saved_name.replace(/\.mf$/, '.ovf')), path.join(dir, `${base}.ovf`));
      const manifestPath = path.join(dir, `${base}.mf`);
      const { findings, descriptorPath } = await lintManifest(text, manifestPath);
      assert.equal(descriptorPath, path.join(dir, `${base}.ovf`));

      const expected: string[] = [];
      if (/no entry for the \.ovf descriptor/.test(row.notable)) expected.push('manifest/missing-entry');
      if (/lists a non-OVF file/.test(row.notable)) expected.push('manifest/unknown-entry');
      if (/DIGEST MISMATCH: [^;]*\.ovf/.test(row.notable)) expected.push('manifest/stale-descriptor');
      assert.deepEqual(findings.map((f) => f.code).sort(), expected.sort(), JSON.stringify(findings));
    });
  }
});
