// Issue 4's bars, in one run against the project's vCloud simulator (HTTPS, its own process):
//  - a 1 GiB package uploaded by ovfkit (ranged 64 MiB PUTs, then the import task to status 8) and
//    the same disk sent by `curl -T` (one PUT to a transfer URL): ovfkit's throughput >= 0.9 of curl's;
//  - ovfkit's peak RSS < 150 MB.
// ovfkit's throughput is given two ways: over the disk transfer phase (what curl does) and end to
// end (login, descriptor, link wait, transfer, import task). Contenders alternate; medians reported.
// The machine's other load shows in the samples: compare medians of a quiet run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load, writeResult, writeRandomFile } from './support.mjs';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.OVFKIT_BENCH_VCLOUD_BYTES || 1024 * MiB);
const RUNS = Number(process.env.OVFKIT_BENCH_RUNS || 5);
const dir = mkdtempSync(join(tmpdir(), 'ovfkit-vcloud-bench-'));
// The simulator's copies go to memory when it can: disk writeback of earlier runs would otherwise
// slow whichever contender runs next.
const simDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ovfkit-vcloud-sim-'));
const { VcloudConnection } = load('client/src/transfer/vcloud/connection');
const { readTemplate, readOrg, readUploadLink, readCatalogItemEntity } = load('client/src/transfer/vcloud/responses');

function descriptor(size) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">
  <References>
    <File ovf:href="disk1.vmdk" ovf:id="file1" ovf:size="${size}"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="2" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
    <Network ovf:name="VM Network"><Description>The VM Network network</Description></Network>
  </NetworkSection>
  <VirtualSystem ovf:id="bench">
    <Info>A virtual machine</Info>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType>
      </System>
      <Item><rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>1 virtual CPU</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>1024MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>1024</rasd:VirtualQuantity></Item>
      <Item><rasd:Address>0</rasd:Address><rasd:ElementName>scsiController0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>lsilogic</rasd:ResourceSubType><rasd:ResourceType>6</rasd:ResourceType></Item>
      <Item><rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:ElementName>disk0</rasd:ElementName><rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>4</rasd:InstanceID><rasd:Parent>3</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

/** Starts dist/vcloudSim.js in its own process and reads its URL, password and CA file from what it prints. */
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

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const sim = await startSimulator();
const connect = { url: sim.url, org: sim.org, user: sim.user, password: sim.password, caFile: sim.caFile };

try {
  const descriptorPath = join(dir, 'bench.ovf');
  const diskPath = join(dir, 'disk1.vmdk');
  writeFileSync(descriptorPath, descriptor(SIZE));
  console.log(`writing a ${SIZE / MiB} MiB disk under ${dir}`);
  writeRandomFile(diskPath, SIZE);
  spawnSync('cat', [diskPath], { stdio: ['ignore', 'ignore', 'inherit'] }); // page cache warm for both

  const connection = await VcloudConnection.login(connect);
  const removeTemplate = (href) => connection.request('DELETE', href);

  /** ovfkit: the whole workflow, in a child process. */
  function ovfkit(run) {
    const options = { ...connect, descriptorPath, catalog: 'Templates', name: `ovfkit-${run}`, diskName: 'disk1.vmdk', pollIntervalMs: 1000 };
    const r = spawnSync(process.execPath, [join('bench', 'vcloudRun.mjs'), JSON.stringify(options)], { encoding: 'utf8', env: process.env });
    if (r.status !== 0) throw new Error(`vcloudRun failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  /** curl: a template prepared through the API, then one PUT of the disk to its transfer URL. */
  async function curl(run) {
    const org = readOrg(await connection.get(connection.orgHref));
    const catalog = org.catalogs.find((c) => c.name === 'Templates');
    const link = readUploadLink(await connection.get(catalog.href));
    const params = `<UploadVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="curl-${run}" manifestRequired="false"><Description/></UploadVAppTemplateParams>`;
    const item = await connection.request('POST', link, { body: params, headers: { 'Content-Type': 'application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml' } });
    const href = readCatalogItemEntity(item.text);
    let t = readTemplate(await connection.get(href));
    const bytes = readFileSync(descriptorPath);
    await connection.request('PUT', t.files[0].uploadHref, { body: bytes, headers: { 'Content-Type': 'text/xml', 'Content-Length': bytes.length } });
    for (let i = 0; i < 100 && !t.files.find((f) => f.name === 'disk1.vmdk')?.uploadHref; i++) {
      await new Promise((r) => setTimeout(r, 50));
      t = readTemplate(await connection.get(href));
    }
    const target = t.files.find((f) => f.name === 'disk1.vmdk').uploadHref;
    // The session header goes through a file, not the command line.
    const headerFile = join(dir, 'curl-headers');
    writeFileSync(headerFile, Object.entries(connection.headers()).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n', { mode: 0o600 });
    const started = performance.now();
    const r = spawnSync('curl', ['-sS', '--fail', '--cacert', sim.caFile, '-H', `@${headerFile}`, '-T', diskPath, '-o', '/dev/null', '-w', '%{time_total}', target], { encoding: 'utf8' });
    const wallMs = performance.now() - started;
    if (r.status !== 0) throw new Error(`curl failed: ${r.stderr}`);
    rmSync(headerFile);
    for (let i = 0; i < 200; i++) {
      t = readTemplate(await connection.get(href));
      if (t.status === 8) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const received = t.files.find((f) => f.name === 'disk1.vmdk').bytesTransferred;
    if (received !== SIZE) throw new Error(`curl's upload left ${received} of ${SIZE} bytes on the server`);
    return { templateHref: href, transferMs: wallMs, curlTimeTotalMs: Number(r.stdout) * 1000, status: t.status };
  }

  const samples = { ovfkitTransfer: [], ovfkitTotal: [], curl: [] };
  let peakRss = 0;
  for (let run = 1; run <= RUNS; run++) {
    const o = ovfkit(run);
    if (o.status !== 8) throw new Error(`ovfkit ended at status ${o.status}`);
    samples.ovfkitTransfer.push(o.transferMs);
    samples.ovfkitTotal.push(o.totalMs);
    peakRss = Math.max(peakRss, o.peakRssBytes);
    await removeTemplate(o.templateHref);
    const c = await curl(run);
    samples.curl.push(c.transferMs);
    await removeTemplate(c.templateHref);
    console.log(`run ${run}: ovfkit transfer ${o.transferMs.toFixed(0)} ms (end to end ${o.totalMs.toFixed(0)} ms, peak RSS ${(o.peakRssBytes / MiB).toFixed(0)} MiB); curl -T ${c.transferMs.toFixed(0)} ms`);
  }
  await connection.logout();

  const mibps = (ms) => Math.round((SIZE / MiB / (ms / 1000)) * 10) / 10;
  const result = {
    bytes: SIZE,
    runs: RUNS,
    chunkSize: 64 * MiB,
    ovfkit: { transferMsMedian: median(samples.ovfkitTransfer), transferMiBps: mibps(median(samples.ovfkitTransfer)), endToEndMsMedian: median(samples.ovfkitTotal), endToEndMiBps: mibps(median(samples.ovfkitTotal)), peakRssMiB: Math.round((peakRss / MiB) * 10) / 10 },
    curl: { msMedian: median(samples.curl), MiBps: mibps(median(samples.curl)) },
    samples,
  };
  result.ratioTransfer = Math.round((result.ovfkit.transferMiBps / result.curl.MiBps) * 100) / 100;
  result.ratioEndToEnd = Math.round((result.ovfkit.endToEndMiBps / result.curl.MiBps) * 100) / 100;
  result.bars = { throughputAtLeast90PercentOfCurl: result.ratioTransfer >= 0.9, peakRssUnder150MB: peakRss < 150 * 1000 * 1000 };
  console.log(
    `ovfkit ${result.ovfkit.transferMiBps} MiB/s over the transfer (${result.ovfkit.endToEndMiBps} MiB/s end to end, login to status 8); curl -T ${result.curl.MiBps} MiB/s; ` +
      `ratio ${result.ratioTransfer} (end to end ${result.ratioEndToEnd}); ovfkit peak RSS ${result.ovfkit.peakRssMiB} MiB`,
  );
  writeResult('vcloud', result);
} finally {
  sim.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  rmSync(simDir, { recursive: true, force: true });
}
