// Small helpers shared by the benches: percentiles, result files, loading the compiled sources.
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);

/** Requires a compiled module from the tsc output, e.g. load('server/src/ovf/validate'). */
export function load(modulePath) {
  return require(resolve(process.env.OVFKIT_OUT || 'out', modulePath + '.js'));
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summary(samples) {
  const round = (x) => Math.round(x * 100) / 100;
  return { n: samples.length, min: round(Math.min(...samples)), p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), max: round(Math.max(...samples)) };
}

export function writeResult(name, result) {
  mkdirSync(join('bench', 'results'), { recursive: true });
  const file = join('bench', 'results', `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), node: process.version, ...result }, null, 2) + '\n');
  console.log(`results: ${file}`);
}

/** Writes `bytes` of random data in 16 MiB blocks (no sparse file, no content the hashing favours). */
export function writeRandomFile(path, bytes) {
  const block = Buffer.allocUnsafe(16 * 1024 * 1024);
  const fd = openSync(path, 'w');
  for (let done = 0; done < bytes; done += block.length) {
    randomFillSync(block);
    writeSync(fd, block, 0, Math.min(block.length, bytes - done));
  }
  closeSync(fd);
}
