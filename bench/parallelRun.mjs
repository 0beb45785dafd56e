// One parallel upload for bench/parallel.bench.mjs, in its own process so its peak RSS is its own:
//   node bench/parallelRun.mjs ftps|vcloud CONFIG_JSON   (CONFIG_JSON.parallel: files at once)
// Prints one JSON line: seconds (FTPS: all files; vCloud: login to status 8), peak RSS, most files in flight.
import { performance } from 'node:perf_hooks';
import { load } from './support.mjs';

const [protocol, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
let mostInFlight = 0;
let templateHref;
const onProgress = (p) => (mostInFlight = Math.max(mostInFlight, p.files.length));
const started = performance.now();
if (protocol === 'ftps') {
  const { uploadToFtps } = load('client/src/transfer/ftps/index');
  await uploadToFtps({ endpoint: config.endpoint, remoteDir: config.remoteDir, files: config.files, parallel: config.parallel, onProgress, retry: { attempts: 1 } });
} else if (protocol === 'vcloud') {
  const { uploadToVcloud } = load('client/src/transfer/vcloud/upload');
  const result = await uploadToVcloud({ ...config.options, parallel: config.parallel, onProgress });
  if (result.status !== 8) throw new Error(`status ${result.status}`);
  templateHref = result.templateHref;
} else {
  throw new Error(`unknown protocol ${protocol}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ protocol, parallel: config.parallel, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, mostInFlight, templateHref }));
