// Temp folders for tests, removed when the test process exits (node --test runs each test file in
// a process of its own), so a test that fails half-way leaves nothing behind either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the OS temp folder, named `PREFIX…`, gone when the process exits. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
