// Issue 2's bars: validation of generated 100 KB, 1 MB and 12 MB descriptors (parse + every rule
// of every target), and edit-to-diagnostics latency through the language server over stdio.
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateDescriptor } from './generateDescriptor.mjs';
import { load, summary, writeResult } from './support.mjs';

// Validation runs in the language server: measure it under the server's heap settings.
const { LANGUAGE_SERVER_NODE_FLAGS } = load('server/src/serverFlags');
if (!LANGUAGE_SERVER_NODE_FLAGS.every((f) => process.execArgv.includes(f))) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...LANGUAGE_SERVER_NODE_FLAGS, fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { validateText } = load('server/src/ovf/validate');
const { LspClient } = load('test/support/lspClient');

/**
 * Steady state, as in the language server: runs back to back, each leaving its tree as garbage for
 * the next, so collection costs are amortised into the figures. (A forced gc() before each run
 * reads worse, not better: its concurrent sweeping competes with the measured run on 2 cores.)
 */
function timeValidation(text, runs) {
  const options = { targets: ['vcloud', 'cloudcontrol'] };
  for (let i = 0; i < 5; i++) validateText(text, options); // warm up the JIT
  const samples = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
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
  validation[label] = { bytes: Buffer.byteLength(text), ...timeValidation(text, label === '12MB' ? 15 : 60) };
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
