// Issue 7's bars, in one run: a 1 GiB file uploaded over FTPS (explicit TLS, protected data channel)
// to a local vsftpd (when /usr/sbin/vsftpd is there and we are root; else the npm ftp-srv test
// server) by
//   - ovfkit (uploadToFtps: progress, resume check, size verification),
//   - bare basic-ftp `uploadFrom` (the library's own limit),
//   - `curl --ssl-reqd -T`.
// Bars: ovfkit >= 0.95 of bare basic-ftp's throughput, faster than curl, peak RSS < 150 MB.
// Contenders alternate; medians reported. Each upload runs in its own process (ovfkit and bare
// report their own peak RSS). The staging folder is a tmpfs so disk writeback does not favour
// whoever runs first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chownSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load, writeResult, writeRandomFile } from './support.mjs';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.OVFKIT_BENCH_FTPS_BYTES || 1024 * MiB);
const RUNS = Number(process.env.OVFKIT_BENCH_RUNS || 3);
const useVsftpd = existsSync('/usr/sbin/vsftpd') && process.getuid?.() === 0 && process.env.OVFKIT_BENCH_FTPS_SERVER !== 'ftp-srv';
const localRoot = tmpdir(); // before TMPDIR may point at /dev/shm below

if (useVsftpd) {
  // The same user and folders as the CI suite (scripts/ci/vsftpd.sh).
  const r = spawnSync('bash', ['scripts/ci/vsftpd.sh', '--env'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/ci/vsftpd.sh --env failed');
  for (const line of r.stdout.trim().split('\n')) {
    const i = line.indexOf('=');
    process.env[line.slice(0, i)] = line.slice(i + 1);
  }
} else {
  process.env.OVFKIT_FTPS_SERVER = 'ftp-srv';
  // ftp-srv stores under os.tmpdir(): keep that in memory too.
  if (existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
}

const { startFtpsTestServer } = load('test/support/ftpsServer');
const server = await startFtpsTestServer();
// The local file on a regular file system (ovfkit refuses to read files of /dev); the server stores in memory.
const dir = mkdtempSync(join(localRoot, 'ovfkit-ftps-bench-'));
const file = join(dir, 'disk1.vmdk');
const remoteDir = server.freshDir('bench');
const stagingDir = join(server.root, remoteDir);
let mounted = false;
if (server.kind === 'vsftpd') {
  const owner = statSync(stagingDir);
  mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil((SIZE * 1.2) / MiB) + 64}m`, 'tmpfs', stagingDir]).status === 0;
  chownSync(stagingDir, owner.uid, owner.gid);
}

const config = { host: server.host, port: server.port, user: server.user, password: server.password, caFile: server.caFile, remoteDir, remoteName: 'disk1.vmdk', file, packageDir: dir };
const remoteFile = join(stagingDir, 'disk1.vmdk');

function runNode(mode) {
  rmSync(remoteFile, { force: true });
  const r = spawnSync(process.execPath, ['bench/ftpsRun.mjs', mode, JSON.stringify(config)], { encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${mode} upload failed`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
  if (statSync(remoteFile).size !== SIZE) throw new Error(`${mode}: the remote file has ${statSync(remoteFile).size} bytes`);
  return out;
}

function runCurl() {
  rmSync(remoteFile, { force: true });
  // The password goes through a netrc file, not the command line.
  const netrc = join(dir, 'netrc');
  writeFileSync(netrc, `machine ${server.host} login ${server.user} password ${server.password}\n`, { mode: 0o600 });
  const started = performance.now();
  const r = spawnSync('curl', ['--silent', '--show-error', '--ssl-reqd', '--cacert', server.caFile, '--netrc-file', netrc, '-T', file, `ftp://${server.host}:${server.port}/${remoteDir}/disk1.vmdk`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`curl exited ${r.status}`);
  if (statSync(remoteFile).size !== SIZE) throw new Error('curl: incomplete remote file');
  return { mode: 'curl', seconds };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const haveCurl = spawnSync('curl', ['--version']).status === 0;

try {
  console.log(`ftps: ${SIZE / MiB} MiB to ${server.kind} on ${server.host}:${server.port}, ${RUNS} runs each (alternating)`);
  writeRandomFile(file, SIZE);
  const samples = { ovfkit: [], bare: [], curl: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['bare', 'ovfkit', ...(haveCurl ? ['curl'] : [])]) {
      const r = mode === 'curl' ? runCurl() : runNode(mode);
      samples[mode].push(r);
      console.log(`  run ${i + 1} ${mode.padEnd(6)} ${r.seconds.toFixed(2)} s  ${(SIZE / MiB / r.seconds).toFixed(1)} MiB/s${r.maxRssMB ? `  peak RSS ${r.maxRssMB.toFixed(1)} MB` : ''}`);
    }
  }
  const stats = (mode) => {
    const s = samples[mode];
    if (!s.length) return undefined;
    const seconds = median(s.map((r) => r.seconds));
    return { seconds, mibPerSecond: SIZE / MiB / seconds, samples: s.map((r) => r.seconds), peakRssMB: s[0].maxRssMB !== undefined ? Math.max(...s.map((r) => r.maxRssMB)) : undefined };
  };
  const ovfkit = stats('ovfkit');
  const bare = stats('bare');
  const curl = stats('curl');
  const ratioToBare = bare.seconds / ovfkit.seconds;
  const bars = {
    atLeast095OfBareBasicFtp: ratioToBare >= 0.95,
    fasterThanCurl: curl ? ovfkit.seconds < curl.seconds : null,
    peakRssUnder150MB: ovfkit.peakRssMB < 150,
  };
  console.log(`ovfkit ${ovfkit.seconds.toFixed(2)} s (${ovfkit.mibPerSecond.toFixed(1)} MiB/s, peak RSS ${ovfkit.peakRssMB.toFixed(1)} MB); bare basic-ftp ${bare.seconds.toFixed(2)} s; curl ${curl ? curl.seconds.toFixed(2) + ' s' : 'absent'}`);
  console.log(`ovfkit / bare basic-ftp throughput: ${ratioToBare.toFixed(3)}; bars: ${JSON.stringify(bars)}`);
  writeResult('ftps', { server: server.kind, bytes: SIZE, runs: RUNS, ovfkit, bareBasicFtp: bare, curl, ratioToBare, bars });
} finally {
  if (mounted) spawnSync('umount', [stagingDir]);
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
