// A package whose disk is a symlink to a file outside it (issue 10, item 1), uploaded with --force
// past validation: `ovfkit upload ftps` (real FTPS server on 127.0.0.1) and `ovfkit upload vcloud`
// (the simulator) refuse it by name, exit 1, and send nothing: no secret reaches a server.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, symlinkSync, writeFileSync, mkdtempSync, unlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { main } from '../../client/src/cli/main';
import { startVcloudSimulator, VcloudSimulator } from '../../client/src/simulator/vcloud/simulator';
import { FtpsTestServer, startFtpsTestServer } from '../support/ftpsServer';
import { makeTestPackage } from './vcloudTestPackage';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function ovfkit(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, env, signal: new AbortController().signal });
  return { code, out: stdout.text + stderr.text };
}

const SECRET = 'TOP-SECRET-6f1c';

describe('uploads refuse a disk that is a symlink out of the package', () => {
  let ftps: FtpsTestServer;
  let sim: VcloudSimulator;
  const scratch: string[] = [];
  let secretPath: string;

  before(async () => {
    [ftps, sim] = await Promise.all([startFtpsTestServer(), startVcloudSimulator({ descriptorProcessingMs: 20, importProcessingMs: 20 })]);
    const outside = mkdtempSync(path.join(os.tmpdir(), 'ovfkit-secret-'));
    scratch.push(outside);
    secretPath = path.join(outside, 'secret');
    writeFileSync(secretPath, SECRET.repeat(64));
  });
  after(async () => {
    await Promise.all([ftps?.close(), sim?.close()]);
    scratch.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  /** A vCloud-shaped package whose disk1.vmdk is replaced by a symlink to the secret. */
  async function linkedPackage(name: string) {
    const p = await makeTestPackage({ name, disks: [{ name: 'disk1.vmdk', size: SECRET.length * 64 }], manifest: false });
    scratch.push(p.dir);
    unlinkSync(p.diskPaths[0]);
    symlinkSync(secretPath, p.diskPaths[0]);
    return p;
  }

  test('upload ftps --force: exit 1 naming the file, nothing in the staging folder', async () => {
    const p = await linkedPackage('ftps-linked');
    const dir = ftps.freshDir('linked');
    const args = ['upload', 'ftps', '--host', ftps.host, '--port', String(ftps.port), '--user', ftps.user, '--password-env', 'PW', '--ca', ftps.caFile, '--dir', dir];
    const refused = await ovfkit([...args, p.descriptorPath], { PW: ftps.password });
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /package\/outside-package/, 'validation names the finding');
    const forced = await ovfkit([...args, '--force', p.descriptorPath], { PW: ftps.password });
    assert.equal(forced.code, 1, forced.out);
    assert.match(forced.out, /disk1\.vmdk.*(leads|leading) outside the package folder/);
    assert.deepEqual(readdirSync(path.join(ftps.root, dir)), [], 'not even the descriptor was sent');
  });

  test('upload vcloud --force: exit 1 naming the file, no request reached the server', async () => {
    const p = await linkedPackage('vcloud-linked');
    const before = sim.requests.length;
    const r = await ovfkit(
      ['upload', 'vcloud', '--url', sim.url, '--org', sim.org.name, '--user', sim.user, '--password-env', 'PW', '--ca', sim.caFile, '--catalog', 'Templates', '--force', p.descriptorPath],
      { PW: sim.password },
    );
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /disk1\.vmdk.*(leads|leading) outside the package folder/);
    assert.equal(sim.template('vcloud-linked'), undefined);
    assert.ok(!sim.requests.slice(before).some((q) => q.method === 'PUT'), 'no bytes were sent');
  });
});
