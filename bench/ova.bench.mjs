// Issue 14's bars, on the same files in one run (page cache warm for every contender):
//  - `ovfkit verify app.ova` (members hashed in place) vs `openssl dgst -sha1` over the same
//    member files in one process (bar: >= 0.9 of openssl's speed);
//  - `ovfkit pack` vs `tar -cf` of the same files (bar: >= 0.9 of tar's speed);
//  - peak RSS of the ovfkit processes (bar: < 150 MB), from /usr/bin/time.
// The bundled CLI (dist/cli.js) end to end; medians of OVFKIT_BENCH_RUNS runs (default 3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeResult, writeRandomFile } from './support.mjs';

const MiB = 1024 * 1024;
const RUNS = Number(process.env.OVFKIT_BENCH_RUNS || 3);
const DISK_MIB = Number(process.env.OVFKIT_BENCH_DISK_MIB || 256);
const dir = mkdtempSync(join(tmpdir(), 'ovfkit-ova-bench-'));
const cli = join(process.cwd(), 'dist', 'cli.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time and peak RSS (MB) of one command. */
function timed(cmd, args) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', cwd: dir });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, rssMb: Number(r.stderr.trim().split('\n').at(-1)) / 1024 };
}

try {
  const disks = ['disk1.vmdk', 'disk2.vmdk'];
  for (const d of disks) writeRandomFile(join(dir, d), DISK_MIB * MiB);
  const refs = disks.map((d, i) => `<File ovf:id="f${i}" ovf:href="${d}"/>`).join('');
  writeFileSync(join(dir, 'app.ovf'), `<?xml version="1.0"?><Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"><References>${refs}</References><VirtualSystem ovf:id="vm"><Info>x</Info></VirtualSystem></Envelope>\n`);
  timed(process.execPath, [cli, 'manifest', '--algorithm', 'sha1', 'app.ovf']);
  const members = ['app.ovf', 'app.mf', ...disks];
  const bytes = DISK_MIB * MiB * disks.length;
  const samples = { pack: [], tar: [], verify: [], openssl: [] };
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const pack = timed(process.execPath, [cli, 'pack', '--force', '-o', 'app.ova', 'app.ovf']);
    samples.pack.push(pack.ms);
    samples.tar.push(timed('tar', ['-cf', 'tar.ova', ...members]).ms);
    const verify = timed(process.execPath, [cli, 'verify', '--target', 'generic', 'app.ova']);
    samples.verify.push(verify.ms);
    samples.openssl.push(timed('openssl', ['dgst', '-sha1', ...members]).ms);
    rss = Math.max(rss, pack.rssMb, verify.rssMb);
    rmSync(join(dir, 'tar.ova'));
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
  const result = {
    dataMiB: bytes / MiB,
    runs: RUNS,
    medianMs: m,
    verifyVsOpenssl: +(m.openssl / m.verify).toFixed(2),
    packVsTar: +(m.tar / m.pack).toFixed(2),
    peakRssMb: Math.round(rss),
  };
  writeResult('ova', result);
  console.log(JSON.stringify(result, null, 1));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
