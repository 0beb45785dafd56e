// One upload for bench/ftps.bench.mjs, in its own process so its peak RSS is its own:
//   node bench/ftpsRun.mjs ovfkit|bare CONFIG_JSON
// ovfkit: uploadToFtps (progress, resume check, size verification); bare: basic-ftp's own
// access + uploadFrom of the same file, the library's limit. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { Client } from 'basic-ftp';
import { load } from './support.mjs';

const [mode, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const endpoint = { host: config.host, port: config.port, user: config.user, password: config.password, caFile: config.caFile };

const started = performance.now();
let progressEvents = 0;
if (mode === 'ovfkit') {
  const { uploadToFtps } = load('client/src/transfer/ftps/index');
  await uploadToFtps({ endpoint, remoteDir: config.remoteDir, files: [{ name: config.remoteName, path: config.file, packageDir: config.packageDir }], onProgress: () => progressEvents++, retry: { attempts: 1 }, chunkBytes: Number(process.env.OVFKIT_BENCH_FTPS_CHUNK) || undefined });
} else if (mode === 'bare') {
  const client = new Client(30_000);
  await client.access({ host: config.host, port: config.port, user: config.user, password: config.password, secure: true, secureOptions: { ca: [...rootCertificates, readFileSync(config.caFile, 'utf8')] } });
  await client.cd(config.remoteDir);
  await client.uploadFrom(config.file, config.remoteName);
  client.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ mode, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, progressEvents }));
