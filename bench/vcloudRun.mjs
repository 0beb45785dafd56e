// One ovfkit upload to the vCloud simulator, in its own process so its peak RSS is its own.
// Usage: node bench/vcloudRun.mjs <json options>; prints JSON: total time (login to status 8),
// the disk transfer phase (first range sent to last range acknowledged), peak RSS.
import { performance } from 'node:perf_hooks';
import { load } from './support.mjs';

const { uploadToVcloud } = load('client/src/transfer/vcloud/upload');
const options = JSON.parse(process.argv[2]);
let firstByte;
let lastByte;
const started = performance.now();
const result = await uploadToVcloud({
  ...options,
  onProgress: (p) => {
    if (p.phase === 'uploading' && p.files.some((f) => f.name === options.diskName)) firstByte ??= performance.now();
    // 'processing' starts once the server has acknowledged the last range.
    if (p.phase === 'processing' && lastByte === undefined) lastByte = performance.now();
  },
});
const total = performance.now() - started;
process.stdout.write(
  JSON.stringify({
    status: result.status,
    templateHref: result.templateHref,
    totalMs: total,
    transferMs: lastByte - firstByte,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);
