// `ovfkit new`: writes a descriptor beside the first disk that `ovfkit validate` then passes (with
// the real disk files beside it), refuses to overwrite, and reports bad usage with exit 2.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { runCli } from '../support/cliRunner';
import { writeSparseVmdk } from '../support/vmdk';
import { makeTempDir } from '../support/tempDir';

function disks(): string {
  const dir = makeTempDir('ovfkit-new-');
  writeSparseVmdk(path.join(dir, 'web01-disk1.vmdk'), 83886080n, 'streamOptimized', 70_000);
  mkdirSync(path.join(dir, 'data'));
  writeSparseVmdk(path.join(dir, 'data', 'web01-disk2.vmdk'), 41943040n, 'monolithicSparse', 5000);
  return dir;
}

describe('ovfkit new', () => {
  for (const target of ['vcloud', 'cloudcontrol', 'generic']) {
    test(`--target ${target}: the written package validates clean as written (CloudControl's with its manifest)`, async () => {
      const dir = disks();
      const r = await runCli(['new', '--target', target, 'web01-disk1.vmdk', 'data/web01-disk2.vmdk'], { cwd: dir });
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const ovf = path.join(dir, 'web01.ovf');
      const mf = path.join(dir, 'web01.mf');
      assert.equal(r.stdout, `wrote ${ovf}\n${target === 'cloudcontrol' ? `wrote ${mf} (CloudControl imports only packages with a manifest)\n` : ''}`);
      assert.equal(existsSync(mf), target === 'cloudcontrol');
      const doc = parseDescriptor(readFileSync(ovf, 'utf8'));
      assert.deepEqual(doc.files.map((f) => [f.href?.value, f.size?.value]), [['web01-disk1.vmdk', '70000'], ['data/web01-disk2.vmdk', '5000']]);
      assert.deepEqual(doc.disks.map((d) => [d.capacity?.value, d.format?.value.replace(/.*#/, '')]), [['40', 'streamOptimized'], ['20', 'sparse']]);
      const check = await runCli(['validate', 'web01.ovf'], { cwd: dir });
      assert.equal(check.stdout, '');
      assert.equal(check.code, 0);
    });
  }

  test('name, cpus, memory and network options; an existing descriptor is kept unless --force', async () => {
    const dir = disks();
    const args = ['new', '-t', 'vcloud', '-n', 'a much longer virtual machine name', '--cpus', '4', '--memory', '8192', '--network', 'Prod', 'web01-disk1.vmdk'];
    assert.equal((await runCli(args, { cwd: dir })).code, 0);
    const ovf = path.join(dir, 'a much longer virtual machine name.ovf');
    const doc = parseDescriptor(readFileSync(ovf, 'utf8'));
    const vs = doc.virtualSystems[0];
    assert.equal(vs.id?.value, 'a-much-longer');
    assert.equal(vs.name?.value, 'a much longer virtual machine name');
    const items = vs.hardware[0].items;
    assert.equal(items.find((i) => i.resourceType?.value === '3')?.virtualQuantity?.value, '4');
    assert.equal(items.find((i) => i.resourceType?.value === '4')?.virtualQuantity?.value, '8192');
    assert.equal(items.find((i) => i.resourceType?.value === '10')?.connections[0].value, 'Prod');

    writeFileSync(ovf, 'mine');
    const again = await runCli(args, { cwd: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    assert.equal(readFileSync(ovf, 'utf8'), 'mine');
    assert.equal((await runCli([...args, '--force'], { cwd: dir })).code, 0);
    assert.notEqual(readFileSync(ovf, 'utf8'), 'mine');
  });

  test('a text-descriptor VMDK is described, with a warning that its data lives elsewhere', async () => {
    const dir = makeTempDir('ovfkit-new-');
    writeFileSync(path.join(dir, 'flat.vmdk'), '# Disk DescriptorFile\nversion=1\ncreateType="monolithicFlat"\nRW 20971520 FLAT "flat-flat.vmdk" 0\n');
    const r = await runCli(['new', '--target', 'generic', 'flat.vmdk'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^warning: flat\.vmdk is a monolithicFlat disk descriptor whose data is in other files/);
    assert.ok(existsSync(path.join(dir, 'flat.ovf')));
  });

  test('bad usage exits 2; a disk outside the first disk\'s folder or no VMDK at all exits 1', async () => {
    const dir = disks();
    const noTarget = await runCli(['new', 'web01-disk1.vmdk'], { cwd: dir });
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /missing --target/);
    assert.equal((await runCli(['new', '--target', 'aws', 'web01-disk1.vmdk'], { cwd: dir })).code, 2);
    assert.equal((await runCli(['new', '--target', 'vcloud', '--cpus', 'two', 'web01-disk1.vmdk'], { cwd: dir })).code, 2);
    assert.equal((await runCli(['new', '--target', 'vcloud'], { cwd: dir })).code, 2);

    const outside = await runCli(['new', '--target', 'vcloud', 'data/web01-disk2.vmdk', 'web01-disk1.vmdk'], { cwd: dir });
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /web01-disk1\.vmdk is not in .*data/);
    writeFileSync(path.join(dir, 'notes.vmdk'), 'hello');
    const notVmdk = await runCli(['new', '--target', 'vcloud', 'notes.vmdk'], { cwd: dir });
    assert.equal(notVmdk.code, 1);
    assert.match(notVmdk.stderr, /notes\.vmdk is not a VMDK disk/);
    assert.ok(!existsSync(path.join(dir, 'notes.ovf')));
  });
});
