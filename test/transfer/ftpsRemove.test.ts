// Deleting a staged package's files from a real FTPS staging folder on 127.0.0.1.
import assert from 'node:assert/strict';
import { chownSync, existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deleteStagedFiles, FtpsEndpoint, listStagingFolder } from '../../client/src/transfer/ftps';
import { FtpsTestServer, startFtpsTestServer } from '../support/ftpsServer';

describe('FTPS delete from staging', () => {
  let server: FtpsTestServer;
  const endpoint = (): FtpsEndpoint => ({ host: server.host, port: server.port, implicit: server.implicit, user: server.user, password: server.password, caFile: server.caFile, timeoutMs: 10_000 });
  before(async () => {
    server = await startFtpsTestServer();
  });
  after(() => server?.close());

  it('deletes the named files and leaves the rest; a file already gone is reported as missing', async () => {
    const dir = server.freshDir('remove');
    const local = path.join(server.root, dir);
    const owner = statSync(local);
    for (const name of ['web.ovf', 'web.mf', 'web-disk1.vmdk', 'other.ovf']) {
      writeFileSync(path.join(local, name), name);
      chownSync(path.join(local, name), owner.uid, owner.gid);
    }
    const result = await deleteStagedFiles(endpoint(), dir, ['web.ovf', 'web.mf', 'web-disk1.vmdk', 'web-disk2.vmdk']);
    assert.deepEqual(result, { deleted: ['web.ovf', 'web.mf', 'web-disk1.vmdk'], missing: ['web-disk2.vmdk'] });
    for (const name of ['web.ovf', 'web.mf', 'web-disk1.vmdk']) assert.equal(existsSync(path.join(local, name)), false, `${name} is still there`);
    assert.equal(existsSync(path.join(local, 'other.ovf')), true);
    const listing = await listStagingFolder(endpoint(), dir);
    assert.deepEqual(listing.packages.map((p) => p.name), ['other']);
  });

  it('refuses a name with a path before connecting', async () => {
    await assert.rejects(deleteStagedFiles(endpoint(), undefined, ['../etc/passwd']), /only file names inside the staging folder/);
  });
});
