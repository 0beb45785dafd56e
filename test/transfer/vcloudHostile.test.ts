// The vCloud client against hostile servers (issue #10): answers without end or of 600 MB,
// trickled answers, links that would carry the credentials to another origin, numbers that are
// not numbers, and messages with terminal escapes. Every peer is a real HTTPS server on 127.0.0.1.
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/src/cli/main';
import { startVcloudSimulator, VcloudSimulator } from '../../client/src/simulator/vcloud/simulator';
import { VcloudConnection } from '../../client/src/transfer/vcloud/connection';
import { VcloudAuthError, VcloudHttpError, VcloudOriginError, VcloudProtocolError, VcloudResponseTooLargeError, VcloudTimeoutError } from '../../client/src/transfer/vcloud/errors';
import { DEFAULT_MAX_RESPONSE_BYTES, HttpClient, HttpClientOptions } from '../../client/src/transfer/vcloud/httpClient';
import { readTemplate } from '../../client/src/transfer/vcloud/responses';
import { newUploadRecord, recordPathBeside, writeUploadRecord } from '../../client/src/transfer/vcloud/resumeRecord';
import { uploadToVcloud } from '../../client/src/transfer/vcloud/upload';
import { pollUntil } from '../../client/src/transfer/vcloud/waits';
import { runCli } from '../support/cliRunner';
import { HostilePeer, legacyVcloudWithTemplate, startHostilePeer, streamBody, trickle, versionsXml } from '../support/hostileHttpsServer';
import { makeTestPackage, TestPackage } from './vcloudTestPackage';

const MiB = 1024 * 1024;
let peer: HostilePeer;
const cleanup: Array<() => Promise<void>> = [];

before(async () => {
  peer = await startHostilePeer((_req, res) => void res.end());
});
after(async () => {
  await peer.close();
  for (const c of cleanup) await c();
});

/** A client of the hostile peer (trusting its CA), closed after `use`. */
async function withClient<T>(options: HttpClientOptions, use: (http: HttpClient) => Promise<T>): Promise<T> {
  const http = new HttpClient({ trustedCa: peer.caPem, ...options });
  try {
    return await use(http);
  } finally {
    http.close();
  }
}

/** Fails the test if `promise` is still pending after `ms`: a hang is a failure, not a slow pass. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const hang = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)));
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

describe('vCloud HTTP client against a hostile peer', () => {
  test('a 600 MB answer is cut at the default cap with an error naming the URL', async () => {
    peer.handler = (_req, res, p) => {
      res.writeHead(200, { 'Content-Type': 'application/*+xml', 'Content-Length': 600 * MiB });
      streamBody(res, p, 600 * MiB);
    };
    peer.bytesSent = 0;
    await withClient({}, async (http) => {
      await within(20_000, assert.rejects(http.request({ method: 'GET', url: `${peer.url}/api/versions` }), (err: Error) =>
        err instanceof VcloudResponseTooLargeError && err.message.includes(`GET ${peer.url}/api/versions`) && /larger than 8 MiB/.test(err.message)));
    });
    assert.equal(DEFAULT_MAX_RESPONSE_BYTES, 8 * MiB);
    // Reading stopped near the cap, far from the 600 MB on offer.
    assert.ok(peer.bytesSent < 100 * MiB, `the peer wrote ${peer.bytesSent} bytes`);
  });

  test('an answer without end is cut at an injected cap', async () => {
    peer.handler = (_req, res, p) => {
      res.writeHead(200);
      streamBody(res, p, Infinity);
    };
    await withClient({ maxResponseBytes: 64 * 1024 }, async (http) => {
      await within(10_000, assert.rejects(http.request({ method: 'GET', url: `${peer.url}/api/org/` }), VcloudResponseTooLargeError));
    });
  });

  test('an answer trickled a byte at a time is cut off by the overall request deadline, which says how to raise it', async () => {
    peer.handler = (_req, res) => {
      res.writeHead(200);
      trickle(res, '<SupportedVersions/>'.repeat(100), 50);
    };
    // The idle timeout alone would never fire: a byte comes every 50 ms.
    await withClient({ socketTimeoutMs: 1000, requestTimeoutMs: 600 }, async (http) => {
      await within(10_000, assert.rejects(http.request({ method: 'GET', url: `${peer.url}/api/versions` }), (err: Error) =>
        err instanceof VcloudTimeoutError && /0\.6 s/.test(err.message) && /--request-timeout/.test(err.message) && /ovfkit\.vcloud\.requestTimeoutSeconds/.test(err.message)));
    });
  });

  test('a link or task wait is overall: a trickled poll answer does not stretch it', async () => {
    peer.handler = (_req, res) => {
      res.writeHead(200);
      trickle(res, 'x'.repeat(10_000), 50);
    };
    await withClient({}, async (http) => {
      const started = Date.now();
      await within(10_000, assert.rejects(
        pollUntil(async (signal) => (await http.request({ method: 'GET', url: `${peer.url}/api/vAppTemplate/x`, signal })).text || undefined, {
          awaited: 'the upload links',
          timeoutSeconds: 0.5,
          intervalMs: 20,
          howToRaise: 'raise it with --link-timeout SECONDS',
        }),
        (err: Error) => err instanceof VcloudTimeoutError && /upload links/.test(err.message) && /--link-timeout/.test(err.message),
      ));
      assert.ok(Date.now() - started < 5000);
    });
  });

  test('the server\'s error message is printed with its terminal escapes neutralised', async () => {
    peer.handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/*+xml' });
      res.end('<?xml version="1.0"?><Error xmlns="http://www.vmware.com/vcloud/v1.5" majorErrorCode="500" message="\x1b[2J\x1b]0;pwned\x07all good"/>');
    };
    await assert.rejects(VcloudConnection.login({ url: peer.url, org: 'o', user: 'u', password: 'p', caFile: peer.caFile }), (err: Error) => {
      assert.ok(err instanceof VcloudHttpError, String(err));
      assert.ok(!/[\x00-\x1f\x7f]/.test(err.message), JSON.stringify(err.message));
      assert.ok(err.message.includes('\\x1b[2J\\x1b]0;pwned\\x07all good'), err.message);
      return true;
    });
  });
});

describe('credentials go only to the origin of --url', () => {
  /** The peer's /api/versions names a LoginUrl on `localhost` (another origin than 127.0.0.1); logins there are refused. */
  const offerForeignLoginUrl = () => {
    peer.requests = [];
    peer.handler = (req, res) => {
      if (req.url === '/api/versions') return void res.end(versionsXml('5.1', `https://localhost:${peer.port}/api/sessions`));
      res.writeHead(401);
      res.end();
    };
  };
  test('a LoginUrl on another origin is refused before the Basic credentials are sent', async () => {
    offerForeignLoginUrl();
    await assert.rejects(VcloudConnection.login({ url: peer.url, org: 'o', user: 'u', password: 'secret-pw', caFile: peer.caFile }), (err: Error) =>
      err instanceof VcloudOriginError && err.message.includes(`https://localhost:${peer.port}`) && /--allow-host localhost/.test(err.message) && /ovfkit\.vcloud\.allowedHosts/.test(err.message) && !err.message.includes('secret-pw'));
    assert.deepEqual(peer.requests.filter((r) => r.headers.authorization !== undefined), [], 'no request carried credentials');
    assert.deepEqual(peer.requests.map((r) => r.path), ['/api/versions']);
  });

  test('an allowed host receives the login', async () => {
    offerForeignLoginUrl();
    await assert.rejects(VcloudConnection.login({ url: peer.url, org: 'o', user: 'u', password: 'pw', caFile: peer.caFile, allowedHosts: ['LocalHost'] }), VcloudAuthError);
    const login = peer.requests.find((r) => r.method === 'POST');
    assert.equal(login?.headers.host, `localhost:${peer.port}`);
    assert.match(String(login?.headers.authorization), /^Basic /);
  });

  describe('upload links on another host name', () => {
    let sim: VcloudSimulator;
    let p: TestPackage;
    before(async () => {
      // The transfer service answers on `localhost`, the API on 127.0.0.1: two origins.
      sim = await startVcloudSimulator({ descriptorProcessingMs: 20, importProcessingMs: 20, transferHost: 'localhost' });
      p = await makeTestPackage({ disks: [{ name: 'disk1.vmdk', size: 64 * 1024 }], manifest: true });
      cleanup.push(() => sim.close(), () => rm(p.dir, { recursive: true, force: true }));
    });
    const options = (extra = {}) => ({
      url: sim.url,
      org: sim.org.name,
      user: sim.user,
      password: sim.password,
      caFile: sim.caFile,
      descriptorPath: p.descriptorPath,
      catalog: sim.catalogs[0].name,
      pollIntervalMs: 20,
      ...extra,
    });

    test('are refused, naming the host, and no byte is sent there', async () => {
      await assert.rejects(uploadToVcloud(options({ name: 'foreign-links' })), (err: Error) => err instanceof VcloudOriginError && err.message.includes(`https://localhost:${new URL(sim.url).port}`));
      assert.deepEqual(sim.requests.filter((r) => r.path.startsWith('/transfer/')), []);
    });

    test('are followed when the user allows that host', async () => {
      const result = await uploadToVcloud(options({ name: 'allowed-links', allowedHosts: ['localhost'] }));
      assert.equal(result.status, 8);
    });

    test('the CLI follows them with --allow-host', async () => {
      const out = { stdout: capture(), stderr: capture() };
      const args = ['upload', 'vcloud', '--url', sim.url, '--org', sim.org.name, '--user', sim.user, '--password-env', 'PW', '--ca', sim.caFile, '--catalog', sim.catalogs[0].name, '--name', 'cli-allowed'];
      const code = await main([...args, '--allow-host', 'localhost', p.descriptorPath], { ...out, env: { PW: sim.password }, signal: new AbortController().signal });
      assert.equal(code, 0, out.stderr.text());
      assert.match(out.stdout.text(), /template 'cli-allowed' is ready/);
    });

    test('--abandon does not follow a recorded templateHref to another origin', async () => {
      const statePath = recordPathBeside(p.descriptorPath);
      const record = await newUploadRecord({ url: sim.url, org: sim.org.name, user: sim.user, templateHref: `https://localhost:${peer.port}/api/vAppTemplate/vappTemplate-1`, templateName: 'x', descriptorPath: p.descriptorPath });
      await writeUploadRecord(statePath, record);
      peer.requests = [];
      const out = { stdout: capture(), stderr: capture() };
      const code = await main(['upload', 'vcloud', '--url', sim.url, '--org', sim.org.name, '--user', sim.user, '--password-env', 'PW', '--ca', sim.caFile, '--abandon', p.descriptorPath], {
        ...out,
        env: { PW: sim.password },
        signal: new AbortController().signal,
      });
      assert.equal(code, 1);
      assert.match(out.stderr.text(), new RegExp(`refusing to send the credentials .* to https://localhost:${peer.port}`));
      assert.deepEqual(peer.requests, [], 'nothing was sent to the recorded host');
    });
  });
});

describe('numbers from the server are validated', () => {
  const template = (file: string) => `<VAppTemplate xmlns="http://www.vmware.com/vcloud/v1.5" name="t" status="0" href="https://x/t"><Files>${file}</Files></VAppTemplate>`;
  for (const bad of ['abc', '-5', '1.5', '', '1e3', '99999999999999999999']) {
    test(`bytesTransferred="${bad}" is refused clearly`, () => {
      assert.throws(() => readTemplate(template(`<File name="disk1.vmdk" size="100" bytesTransferred="${bad}"/>`)), (err: Error) =>
        err instanceof VcloudProtocolError && err.message.includes(`bytesTransferred of File 'disk1.vmdk' "${bad.slice(0, 40)}"`));
    });
  }
  test('a size that is not a whole number, a status that is not one, more bytes than the size: refused', () => {
    assert.throws(() => readTemplate(template('<File name="d" size="12.5" bytesTransferred="0"/>')), VcloudProtocolError);
    assert.throws(() => readTemplate(template('<File name="d" size="-2" bytesTransferred="0"/>')), VcloudProtocolError);
    assert.throws(() => readTemplate(template('<File name="d" size="10" bytesTransferred="11"/>')), /more than its size 10/);
    assert.throws(() => readTemplate(template('').replace('status="0"', 'status="ready"')), VcloudProtocolError);
  });
  for (const [bad, size] of [['abc', '65536'], ['-1', '65536'], ['0.5', '65536'], ['70000', '-1']]) {
    test(`a resumed upload whose server says bytesTransferred="${bad}" (size ${size}) stops with that value, sending nothing`, async () => {
      const p = await makeTestPackage({ disks: [{ name: 'disk1.vmdk', size: 65536 }] });
      cleanup.push(() => rm(p.dir, { recursive: true, force: true }));
      peer.handler = legacyVcloudWithTemplate(
        `<VAppTemplate xmlns="http://www.vmware.com/vcloud/v1.5" name="t" status="0" ovfDescriptorUploaded="true" href="${peer.url}/api/vAppTemplate/t"><Files>` +
          `<File name="descriptor.ovf" size="100" bytesTransferred="100"/>` +
          `<File name="disk1.vmdk" size="${size}" bytesTransferred="${bad}"><Link rel="upload:default" href="${peer.url}/transfer/1/disk1.vmdk"/></File></Files></VAppTemplate>`,
      );
      peer.requests = [];
      await assert.rejects(
        uploadToVcloud({ url: peer.url, org: 'o', user: 'u', password: 'pw', caFile: peer.caFile, descriptorPath: p.descriptorPath, resumeTemplateHref: `${peer.url}/api/vAppTemplate/t`, pollIntervalMs: 10 }),
        (err: Error) => err instanceof VcloudProtocolError && err.message.includes(bad === '70000' ? 'the server says it holds 70000 bytes, but the file has 65536' : `bytesTransferred of File 'disk1.vmdk' "${bad}"`),
      );
      assert.deepEqual(peer.requests.filter((r) => r.method === 'PUT'), [], 'no byte was sent on that claim');
    });
  }

  test('the values vCloud does send are read', () => {
    const t = readTemplate(template('<File name="d" size="-1" bytesTransferred="0"/><File name="e" size="10" bytesTransferred="10"/>').replace('status="0"', 'status="-1"'));
    assert.deepEqual(t.files.map((f) => [f.size, f.bytesTransferred]), [[-1, 0], [10, 10]]);
    assert.equal(t.status, -1);
  });
});

describe('ovfkit upload vcloud (the built CLI) against a hostile /api/versions', () => {
  test('--request-timeout bounds a trickled answer', async () => {
    peer.handler = (_req, res) => {
      res.writeHead(200);
      trickle(res, 'x'.repeat(10_000), 50);
    };
    const p = await makeTestPackage({ disks: [{ name: 'disk1.vmdk', size: 1024 }] });
    cleanup.push(() => rm(p.dir, { recursive: true, force: true }));
    await writeFile(`${p.dir}/ca.pem`, peer.caPem);
    const out = { stdout: capture(), stderr: capture() };
    const code = await within(15_000, main(['upload', 'vcloud', '--url', peer.url, '--org', 'o', '--user', 'u', '--password-env', 'PW', '--ca', `${p.dir}/ca.pem`, '--catalog', 'c', '--force', '--request-timeout', '0.5', p.descriptorPath], {
      ...out,
      env: { PW: 'pw' },
      signal: new AbortController().signal,
    }));
    assert.equal(code, 1);
    assert.match(out.stderr.text(), /timed out after 0\.5 s waiting for the answer to GET .*\/api\/versions \(raise it with --request-timeout SECONDS/);
  });


  test('exits 1 with a message naming the URL and no stack trace', async () => {
    peer.handler = (_req, res, p) => {
      res.writeHead(200, { 'Content-Type': 'application/*+xml' });
      streamBody(res, p, 600 * MiB, '<');
    };
    const p = await makeTestPackage({ disks: [{ name: 'disk1.vmdk', size: 1024 }] });
    cleanup.push(() => rm(p.dir, { recursive: true, force: true }));
    await writeFile(`${p.dir}/ca.pem`, peer.caPem);
    const r = await runCli(['upload', 'vcloud', '--url', peer.url, '--org', 'o', '--user', 'u', '--password-env', 'PW', '--ca', `${p.dir}/ca.pem`, '--catalog', 'c', '--force', p.descriptorPath], {
      env: { ...process.env, PW: 'pw' },
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`GET ${peer.url.replace(/\./g, '\\.')}/api/versions: the answer is larger than 8 MiB`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});

function capture(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}
