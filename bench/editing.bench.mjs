// Issue 5's bar: completion and hover latency through the language server on a 1 MB descriptor
// (p95 under 20 ms), measured request to response over stdio.
import { performance } from 'node:perf_hooks';
import { load, summary, writeResult } from './support.mjs';
import { generateDescriptor } from './generateDescriptor.mjs';

const { LspClient } = load('test/support/lspClient');
const { LineIndex } = load('server/src/ovf/lineIndex');

const text = generateDescriptor(1024 * 1024);
const lines = new LineIndex(text);
const client = new LspClient();
client.requestHandlers.set('workspace/configuration', (p) => p.items.map(() => ({ targets: ['vcloud', 'cloudcontrol'] })));
await client.initialize({ workspace: { configuration: true } });
const uri = 'untitled:bench.ovf';
const opened = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, 60000);
client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'ovf', version: 1, text } });
await opened;

// Positions spread through the document: HostResource and Connection values, ResourceType codes,
// fileRef attribute values, and hovers on disk references and VirtualSystemTypes.
function positions(needle, shift, count) {
  const out = [];
  for (let at = text.indexOf(needle); at !== -1 && out.length < count; at = text.indexOf(needle, at + Math.floor(text.length / count))) out.push(lines.positionAt(at + shift));
  return out;
}

async function measure(method, points) {
  const samples = [];
  for (const position of points) {
    const t = performance.now();
    const result = await client.request(method, { textDocument: { uri }, position });
    samples.push(performance.now() - t);
    if (result === null || (Array.isArray(result) && result.length === 0)) throw new Error(`${method} answered nothing at ${JSON.stringify(position)}`);
  }
  return summary(samples.slice(5)); // the first answers pay for JIT warm-up
}

const completion = await measure("textDocument/completion", [
  ...positions('<rasd:HostResource>', 19, 40),
  ...positions('<rasd:ResourceType>', 19, 40),
  ...positions('ovf:fileRef="', 13, 40),
]);
const hover = await measure('textDocument/hover', [...positions('ovf:/disk/disk', 12, 60), ...positions('vmx-13', 2, 60)]);
await client.shutdown();
console.log(`completion on 1 MB: p50 ${completion.p50} ms, p95 ${completion.p95} ms`);
console.log(`hover on 1 MB: p50 ${hover.p50} ms, p95 ${hover.p95} ms`);
const bars = { 'completion p95 < 20 ms': completion.p95 < 20, 'hover p95 < 20 ms': hover.p95 < 20 };
console.log(bars);
writeResult('editing', { descriptorBytes: Buffer.byteLength(text), completion, hover, bars });
