// ovfkit: Upload Package to FTPS Staging and ovfkit: Download Export from FTPS Staging against a real
// FTPS server on 127.0.0.1 (ftp-srv with TLS required, certificate from the test CA), started here
// in the extension host. Credentials and the CA come in as command options, as automation gives them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { packPackage } from '../../../server/src/ovf';
import { FtpsTestServer, sha256File, startFtpsTestServer } from '../../support/ftpsServer';
import { closeAllEditors, fixturePath, openFixture } from '../helpers/workspace';

suite('FTPS upload and download', () => {
  let server: FtpsTestServer;
  let remoteDir: string;
  const connection = () => ({
    host: server.host, port: server.port, implicit: server.implicit,
    user: server.user, password: server.password, caFile: server.caFile, remoteDir,
  });

  suiteSetup(async () => {
    server = await startFtpsTestServer();
    remoteDir = server.freshDir('e2e');
    // CloudControl's import wants a manifest. The staging area groups files by package name, so
    // this fixture's disk is named after its descriptor (staged-disk1.vmdk).
    const { document } = await openFixture('staged/staged.ovf');
    assert.ok(await vscode.commands.executeCommand('ovfkit.generateManifest', document.uri, { algorithm: 'SHA256' }));
  });
  suiteTeardown(async () => {
    fs.rmSync(fixturePath('staged/staged.mf'), { force: true });
    await server?.close();
    await closeAllEditors();
  });

  test('uploads the package; what arrives matches byte for byte', async () => {
    const descriptor = vscode.Uri.file(fixturePath('staged/staged.ovf'));
    const result = await vscode.commands.executeCommand<{ files: { name: string }[] } | undefined>(
      'ovfkit.uploadFtps', descriptor, { ...connection(), scope: 'package', force: true });
    assert.ok(result, 'the upload reported no result (failed or asked for something)');
    assert.deepEqual(result.files.map((f) => f.name).sort(), ['staged-disk1.vmdk', 'staged.mf', 'staged.ovf']);
    for (const name of ['staged.ovf', 'staged.mf', 'staged-disk1.vmdk']) {
      assert.equal(sha256File(path.join(server.root, remoteDir, name)), sha256File(fixturePath(`staged/${name}`)), `${name} differs on the server`);
    }
  });

  test('uploads straight from an .ova: its members arrive as the loose files they were packed from', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovfkit-e2e-ova-'));
    try {
      const ova = path.join(dir, 'staged.ova');
      await packPackage(fixturePath('staged/staged.ovf'), ova);
      const ovaDir = server.freshDir('e2e-ova');
      const result = await vscode.commands.executeCommand<{ files: { name: string }[] } | undefined>(
        'ovfkit.uploadFtps', vscode.Uri.file(ova), { ...connection(), remoteDir: ovaDir, scope: 'package', force: true });
      assert.ok(result, 'the upload from the .ova reported no result (failed or asked for something)');
      assert.deepEqual(result.files.map((f) => f.name).sort(), ['staged-disk1.vmdk', 'staged.mf', 'staged.ovf']);
      for (const name of ['staged.ovf', 'staged.mf', 'staged-disk1.vmdk']) {
        assert.equal(sha256File(path.join(server.root, ovaDir, name)), sha256File(fixturePath(`staged/${name}`)), `${name} differs on the server`);
      }
      assert.equal(fs.existsSync(path.join(server.root, ovaDir, 'staged.ova')), false, 'the .ova itself was uploaded');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('downloads it back and verifies it against its manifest', async () => {
    const toDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovfkit-e2e-download-'));
    try {
      const result = await vscode.commands.executeCommand<{ package: string; toDir: string; verified: boolean } | undefined>(
        'ovfkit.downloadFtps', undefined, { ...connection(), package: 'staged', toDir });
      assert.ok(result, 'the download reported no result (failed or asked for something)');
      assert.equal(result.verified, true, 'the downloaded package did not verify against its manifest');
      for (const name of ['staged.ovf', 'staged.mf', 'staged-disk1.vmdk']) {
        const local = path.join(toDir, name);
        assert.ok(fs.existsSync(local), `${name} was not downloaded`);
        assert.equal(sha256File(local), sha256File(fixturePath(`staged/${name}`)), `${name} differs after the round trip`);
      }
    } finally {
      fs.rmSync(toDir, { recursive: true, force: true });
    }
  });
});
