// Child process of hash.bench.mjs: hashes the files named on the command line with ovfkit's
// hashFiles (worker threads) or digestFd (this thread), then prints the wall time and this
// process's peak RSS (worker threads included) as JSON. A fresh process per run keeps peaks apart.
import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load } from './support.mjs';

const [mode, algorithm, ...files] = process.argv.slice(2);
const { hashFiles } = load('server/src/ovf/manifest/hashFiles');
const { digestFd } = load('server/src/ovf/manifest/digestFile');

const started = performance.now();
const cpuBefore = process.cpuUsage();
let digests;
if (mode === 'workers') {
  const outcomes = await hashFiles(files.map((path) => ({ name: path, path, packageDir: dirname(path), algorithm })));
  digests = outcomes.map((o) => {
    if (o.error) throw o.error;
    return o.digest;
  });
} else {
  digests = [];
  for (const f of files) {
    const fd = openSync(f, 'r');
    digests.push((await digestFd(fd, algorithm)).digest);
    closeSync(fd);
  }
}
const ms = performance.now() - started;
// CPU time of the hashing (all threads of the process, worker start-up included; Node's own
// start-up excluded, as openssl's is negligible).
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, digests }) + '\n');
