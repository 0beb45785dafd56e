import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createTestPki } from '../../client/src/simulator/testPki';

test('a server with the test certificate is trusted only by clients given the test CA', async () => {
  const pki = createTestPki();
  const server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const get = (ca?: string) =>
    new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port, path: '/', ca, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c)).on('end', () => resolve(body));
      }).on('error', reject);
    });
  try {
    assert.equal(await get(pki.caCertPem), 'ok');
    await assert.rejects(get(undefined), /self[- ]signed|unable to (get|verify)/i);
  } finally {
    server.close();
  }
});
