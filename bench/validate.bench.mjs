// Issue 2's bars: validation of generated 100 KB, 1 MB and 12 MB descriptors (parse + every rule
// of every target), and edit-to-diagnostics latency through the language server over stdio.
import { performance } from 'node:perf_hooks';
import { load, summary, writeResult } from './support.mjs';

const { validateText } = load('server/src/ovf/validate');
const { LspClient } = load('test/support/lspClient');

/** A VirtualSystemCollection of VMs, each with a disk, a file and the usual hardware, to `bytes`. */
function generateDescriptor(bytes) {
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">\n`;
  const vm = (i) => `  <VirtualSystem ovf:id="vm${i}">
    <Info>A virtual machine</Info>
    <Name>vm${i}</Name>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType></System>
      <Item><rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>2 virtual CPUs</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>4096MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4096</rasd:VirtualQuantity></Item>
      <Item><rasd:Address>0</rasd:Address><rasd:ElementName>SCSI controller 0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>VirtualSCSI</rasd:ResourceSubType><rasd:ResourceType>6</rasd:ResourceType></Item>
      <Item><rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:ElementName>Hard disk 1</rasd:ElementName><rasd:HostResource>ovf:/disk/disk${i}</rasd:HostResource><rasd:InstanceID>4</rasd:InstanceID><rasd:Parent>3</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType></Item>
      <Item><rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>VM Network</rasd:Connection><rasd:ElementName>Network adapter 1</rasd:ElementName><rasd:InstanceID>5</rasd:InstanceID><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>\n`;
  const perVm = vm(0).length + 250;
  const count = Math.max(1, Math.round((bytes - 1000) / perVm));
  const ids = Array.from({ length: count }, (_, i) => i);
  return head
    + `  <References>\n${ids.map((i) => `    <File ovf:href="disk${i}.vmdk" ovf:id="file${i}" ovf:size="1073741824"/>`).join('\n')}\n  </References>\n`
    + `  <DiskSection>\n    <Info>Virtual disks</Info>\n${ids.map((i) => `    <Disk ovf:capacity="20" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="disk${i}" ovf:fileRef="file${i}"/>`).join('\n')}\n  </DiskSection>\n`
    + `  <NetworkSection>\n    <Info>Networks</Info>\n    <Network ovf:name="VM Network"><Description>The VM Network</Description></Network>\n  </NetworkSection>\n`
    + `  <VirtualSystemCollection ovf:id="vapp">\n  <Info>A vApp</Info>\n${ids.map(vm).join('')}  </VirtualSystemCollection>\n</Envelope>\n`;
}

function timeValidation(text, runs) {
  const options = { targets: ['vcloud', 'cloudcontrol'] };
  for (let i = 0; i < 3; i++) validateText(text, options); // warm up the JIT
  const samples = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const t = performance.now();
    findings = validateText(text, options).length;
    samples.push(performance.now() - t);
  }
  return { ...summary(samples), findings };
}

async function editLatency(text, edits) {
  const client = new LspClient();
  client.requestHandlers.set('workspace/configuration', (p) => p.items.map(() => ({ targets: ['vcloud', 'cloudcontrol'] })));
  await client.initialize({ workspace: { configuration: true } });
  const uri = 'untitled:bench.ovf';
  const opened = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: 1, text } });
  await opened;
  // Type into the Name of the first VM: one character replaced per edit, as a user types.
  const at = text.indexOf('<Name>vm0') + 6;
  const line = text.slice(0, at).split('\n').length - 1;
  const character = at - text.lastIndexOf('\n', at - 1) - 1;
  const samples = [];
  for (let v = 2; v < edits + 2; v++) {
    const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === v);
    const t = performance.now();
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: v % 2 ? 'v' : 'w' }],
    });
    await published;
    samples.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20)); // a typist's pause: each edit is measured alone
  }
  await client.shutdown();
  return summary(samples);
}

const sizes = { '100KB': 100 * 1024, '1MB': 1024 * 1024, '12MB': 12 * 1024 * 1024 };
const validation = {};
for (const [label, bytes] of Object.entries(sizes)) {
  const text = generateDescriptor(bytes);
  validation[label] = { bytes: Buffer.byteLength(text), ...timeValidation(text, label === '12MB' ? 8 : 30) };
  console.log(`validate ${label} (${validation[label].bytes} bytes): p50 ${validation[label].p50} ms, p95 ${validation[label].p95} ms`);
}
const latency = {};
for (const label of ['100KB', '1MB']) {
  latency[label] = await editLatency(generateDescriptor(sizes[label]), label === '100KB' ? 60 : 20);
  console.log(`edit-to-diagnostics ${label}: p50 ${latency[label].p50} ms, p95 ${latency[label].p95} ms`);
}
const bars = { 'validate 1MB p50 < 50 ms': validation['1MB'].p50 < 50, 'validate 12MB p50 < 600 ms': validation['12MB'].p50 < 600, 'edit-to-diagnostics 100KB p95 < 50 ms': latency['100KB'].p95 < 50 };
console.log(bars);
writeResult('validate', { validation, editToDiagnostics: latency, bars, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
