// Issue 14's bars, on the same files in one run (page cache warm for every contender):
//  - `ovfkit verify app.ova` (members hashed in place) vs `openssl dgst -sha1` over the same
//    member files in one process (bar: >= 0.9 of openssl's speed);
//  - `ovfkit pack` vs `tar -cf` of the same files (bar: >= 0.9 of tar's speed);
//  - `ovfkit upload vcloud app.ova` (members sent from their ranges of the tar) vs the same package
//    uploaded as loose files, to the vCloud simulator in its own process (bar: within 5%);
//  - peak RSS of the ovfkit processes (bar: < 150 MB), from /usr/bin/time.
// The bundled CLI (dist/cli.js) end to end; medians of OVFKIT_BENCH_RUNS runs (default 3).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load, writeResult, writeRandomFile } from './support.mjs';

const MiB = 1024 * 1024;
const RUNS = Number(process.env.OVFKIT_BENCH_RUNS || 3);
const DISK_MIB = Number(process.env.OVFKIT_BENCH_DISK_MIB || 256);
const dir = mkdtempSync(join(tmpdir(), 'ovfkit-ova-bench-'));
const cli = join(process.cwd(), 'dist', 'cli.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time and peak RSS (MB) of one command. */
function timed(cmd, args, env) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', cwd: dir, env: env ?? process.env });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, rssMb: Number(r.stderr.trim().split('\n').at(-1)) / 1024, stdout: r.stdout };
}

// The simulator's copies go to memory when it can, so disk writeback does not slow the next run.
const simDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ovfkit-ova-sim-'));

/** dist/vcloudSim.js in its own process; its URL, password and CA file from what it prints. */
async function startSimulator() {
  const child = spawn(process.execPath, ['dist/vcloudSim.js', '--descriptor-ms', '50', '--import-ms', '100', '--dir', simDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Ctrl-C stops it.')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  const field = (name) => new RegExp(`${name}:\\s+(\\S+)`).exec(out)[1];
  return { child, url: field('URL'), org: field('org'), user: field('user'), password: field('password'), caFile: field('CA file') };
}

/** A descriptor the vCloud simulator takes (its rules are the vCloud target's). */
function vcloudDescriptor(size) {
  const rasd = (x) => `<Item>${x}</Item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">
  <References><File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="${size}"/></References>
  <DiskSection><Info>Virtual disk information</Info><Disk ovf:capacity="2" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/></DiskSection>
  <NetworkSection><Info>The list of logical networks</Info><Network ovf:name="VM Network"><Description>The VM Network network</Description></Network></NetworkSection>
  <VirtualSystem ovf:id="bench"><Info>A virtual machine</Info><VirtualHardwareSection><Info>Virtual hardware requirements</Info>
    <System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType></System>
    ${rasd('<rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>1 virtual CPU</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity>')}
    ${rasd('<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>1024MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>1024</rasd:VirtualQuantity>')}
    ${rasd('<rasd:Address>0</rasd:Address><rasd:ElementName>scsiController0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>lsilogic</rasd:ResourceSubType><rasd:ResourceType>6</rasd:ResourceType>')}
    ${rasd('<rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:ElementName>disk0</rasd:ElementName><rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>4</rasd:InstanceID><rasd:Parent>3</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType>')}
  </VirtualHardwareSection></VirtualSystem>
</Envelope>
`;
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
    // Both writers get a new file: replacing a just-written 512 MiB file costs either of them a
    // second or more (the kernel frees the old file's pages), which would measure the machine.
    rmSync(join(dir, 'app.ova'), { force: true });
    const pack = timed(process.execPath, [cli, 'pack', '-o', 'app.ova', 'app.ovf']);
    samples.pack.push(pack.ms);
    samples.tar.push(timed('tar', ['-cf', 'tar.ova', ...members]).ms);
    const verify = timed(process.execPath, [cli, 'verify', '--target', 'generic', 'app.ova']);
    samples.verify.push(verify.ms);
    samples.openssl.push(timed('openssl', ['dgst', '-sha1', ...members]).ms);
    rss = Math.max(rss, pack.rssMb, verify.rssMb);
    rmSync(join(dir, 'tar.ova'));
  }

  // Upload: the same package as loose files and as an OVA, alternating, to the simulator.
  writeFileSync(join(dir, 'up.ovf'), vcloudDescriptor(DISK_MIB * MiB));
  timed(process.execPath, [cli, 'manifest', '--algorithm', 'sha1', 'up.ovf']);
  // disk1.vmdk is shared with app.ovf's package; the manifest and descriptor are up's own.
  timed(process.execPath, [cli, 'pack', '--force', '-o', 'up.ova', 'up.ovf']);
  const sim = await startSimulator();
  try {
    const { VcloudConnection } = load('client/src/transfer/vcloud/connection');
    const connection = await VcloudConnection.login({ url: sim.url, org: sim.org, user: sim.user, password: sim.password, caFile: sim.caFile });
    const upload = (file, name) => {
      const r = timed(process.execPath, [cli, 'upload', 'vcloud', '--url', sim.url, '--org', sim.org, '--user', sim.user, '--password-env', 'SIM_PW', '--ca', sim.caFile, '--catalog', 'Templates', '--name', name, file], { ...process.env, SIM_PW: sim.password });
      return { ...r, href: /\(status 8\): (\S+)/.exec(r.stdout)?.[1] };
    };
    samples.uploadLoose = [];
    samples.uploadOva = [];
    // Each goes first equally often (an even count): the first of a pair measured slower.
    for (let i = 0; i < RUNS + (RUNS % 2); i++) {
      for (const [key, file] of i % 2 ? [['uploadOva', 'up.ova'], ['uploadLoose', 'up.ovf']] : [['uploadLoose', 'up.ovf'], ['uploadOva', 'up.ova']]) {
        const r = upload(file, `${key}-${i}`);
        samples[key].push(r.ms);
        rss = Math.max(rss, r.rssMb);
        // The simulator's copy is dropped, so memory stays flat across runs.
        if (r.href) await connection.request('DELETE', r.href);
      }
    }
    await connection.logout();
  } finally {
    sim.child.kill();
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
  const result = {
    dataMiB: bytes / MiB,
    runs: RUNS,
    medianMs: m,
    verifyVsOpenssl: +(m.openssl / m.verify).toFixed(2),
    packVsTar: +(m.tar / m.pack).toFixed(2),
    uploadOvaVsLoose: +(m.uploadLoose / m.uploadOva).toFixed(2),
    loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
    peakRssMb: Math.round(rss),
    // The single runs: on a shared machine the spread says more than the medians.
    samplesMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(Math.round)])),
  };
  writeResult('ova', result);
  console.log(JSON.stringify(result, null, 1));
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(simDir, { recursive: true, force: true });
}
