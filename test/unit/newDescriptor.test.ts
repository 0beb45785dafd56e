// New OVF descriptor: what it writes validates clean for its target and says what it was given;
// VMDK capacities come from the header (sparse) or the extent lines (text descriptor).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { documentSymbols } from '../../server/src/features/documentSymbols';
import { HARDWARE_VERSION, newDescriptor, NewDescriptorError, NewDescriptorOptions, NEW_DESCRIPTOR_TARGETS, virtualSystemId } from '../../server/src/ovf/authoring/newDescriptor';
import { readVmdkCapacity, VmdkError } from '../../server/src/ovf/authoring/vmdkCapacity';
import { parseDescriptor } from '../../server/src/ovf/model/descriptor';
import { indexOf } from '../../server/src/ovf/model/references';
import { toBytes } from '../../server/src/ovf/model/units';
import { validateFile, validateText } from '../../server/src/ovf/validate';
import { readNewDisks, writeNewDescriptor } from '../../server/src/ovf/authoring/writeNewDescriptor';
import { writeSparseVmdk } from '../support/vmdk';
import { makeTempDir } from '../support/tempDir';

const GiB = 2 ** 30;

function options(overrides: Partial<NewDescriptorOptions> = {}): NewDescriptorOptions {
  return {
    name: 'web01',
    target: 'vcloud',
    disks: [
      { fileName: 'web01-disk1.vmdk', fileSize: 1_234_567_890, capacityBytes: 40 * GiB },
      { fileName: 'web01-disk2.vmdk', fileSize: 70_000, capacityBytes: 10 * GiB + 2 ** 20 },
    ],
    cpus: 2,
    memoryMb: 4096,
    network: 'VM Network',
    ...overrides,
  };
}

describe('new OVF descriptor', () => {
  for (const target of NEW_DESCRIPTOR_TARGETS) {
    test(`${target}: validates with no finding at all, under its own directive and when checked for every cloud`, () => {
      const text = newDescriptor(options({ target }));
      assert.deepEqual(validateText(text).map((f) => `${f.severity} ${f.code}: ${f.message}`), []);
      assert.deepEqual(validateText(text, { targets: [target] }).map((f) => `${f.severity} ${f.code}`), []);
      // The directive names the target, so a user's settings do not drag other clouds' rules in.
      const doc = parseDescriptor(text);
      assert.deepEqual(doc.directives.targets?.names, [target]);
      assert.equal(doc.version, '1.0');
      const type = doc.virtualSystems[0].hardware[0].systemType?.value;
      assert.equal(type, `vmx-${String(HARDWARE_VERSION[target]).padStart(2, '0')}`);
      // Without the directive, every cloud's rules still pass.
      const plain = text.replace(/<!-- ovfkit:[^>]*-->\n/, '');
      assert.deepEqual(validateText(plain, { targets: ['vcloud', 'cloudcontrol'] }).map((f) => f.code), []);
    });
  }

  for (const target of NEW_DESCRIPTOR_TARGETS) {
    test(`${target}: the package as written opens with no finding for its target, files and manifest checked`, async () => {
      const dir = makeTempDir(`ovfkit-new-${target}-`);
      const disk = writeSparseVmdk(path.join(dir, 'web01-disk1.vmdk'), 40n * 2n ** 21n, 'streamOptimized', 70_000);
      const written = await writeNewDescriptor({ diskPaths: [disk], target, name: 'web01' });
      assert.equal(written.manifestPath !== undefined, target === 'cloudcontrol', 'CloudControl imports only packages with a manifest');
      // Default settings check both clouds; the descriptor's own directive narrows them to its target.
      const report = await validateFile(written.path);
      assert.deepEqual(report.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`), []);
    });
  }

  test('the disks are read before anything is written, and a file that is no VMDK is refused in plain words', async () => {
    const dir = makeTempDir('ovfkit-new-disks-');
    const notes = path.join(dir, 'notes.vmdk');
    writeFileSync(notes, 'just some text, no disk\n');
    await assert.rejects(readNewDisks([notes]), (e: Error) => /notes\.vmdk is not a VMDK disk/.test(e.message) && !/KDMV|magic|extent/.test(e.message));
    const disk = writeSparseVmdk(path.join(dir, 'a.vmdk'), 2n ** 21n);
    const read = await readNewDisks([disk]);
    assert.deepEqual(read.disks.map((d) => [d.fileName, d.capacityBytes]), [['a.vmdk', GiB]]);
  });

  test('one File, Disk and disk Item per VMDK, with the sizes, capacities and references given', () => {
    const doc = parseDescriptor(newDescriptor(options()));
    assert.deepEqual(doc.files.map((f) => [f.id?.value, f.href?.value, f.size?.value]), [
      ['file1', 'web01-disk1.vmdk', '1234567890'],
      ['file2', 'web01-disk2.vmdk', '70000'],
    ]);
    assert.deepEqual(doc.disks.map((d) => [d.diskId?.value, d.fileRef?.value, toBytes(d.capacity?.value, d.capacityUnits?.value)]), [
      ['vmdisk1', 'file1', 40 * GiB],
      ['vmdisk2', 'file2', 10 * GiB + 2 ** 20],
    ]);
    assert.deepEqual(doc.disks.map((d) => d.capacityUnits?.value), ['byte * 2^30', 'byte * 2^20']);
    assert.deepEqual(indexOf(doc).hostResources.map((r) => r.id), ['vmdisk1', 'vmdisk2']);
    const outline = documentSymbols(doc)[0].children!.at(-1)!;
    assert.equal(outline.name, 'web01');
    assert.deepEqual(outline.children!.map((c) => c.name), [
      'Hardware vmx-10', '2 vCPU', '4096 MB memory', 'SCSI controller lsilogic', 'Disk 1 — 40 GiB', 'Disk 2 — 10.0 GiB', 'NIC VmxNet3 → VM Network',
    ]);
  });

  test('the generic target gets the widely emulated E1000 and vmx-07; cpus, memory and network as given', () => {
    const doc = parseDescriptor(newDescriptor(options({ target: 'generic', cpus: 4, memoryMb: 2048, network: 'LAN & "DMZ"' })));
    const names = documentSymbols(doc)[0].children!.at(-1)!.children!.map((c) => c.name);
    assert.deepEqual(names, ['Hardware vmx-07', '4 vCPU', '2048 MB memory', 'SCSI controller lsilogic', 'Disk 1 — 40 GiB', 'Disk 2 — 10.0 GiB', 'NIC E1000 → LAN & "DMZ"']);
    assert.equal(doc.networks[0].name?.value, 'LAN & "DMZ"');
  });

  test('the VirtualSystem id is at most 13 characters; the full name stays in <Name>', () => {
    const name = 'Customer Portal <Production> 2024';
    const text = newDescriptor(options({ name }));
    const vs = parseDescriptor(text).virtualSystems[0];
    assert.equal(vs.id?.value, 'Customer-Port');
    assert.equal(vs.name?.value, name);
    assert.ok(!validateText(text).some((f) => f.code === 'vcloud/id-too-long'));
    assert.equal(virtualSystemId('résumé server'), 'resume-server');
    assert.equal(virtualSystemId('web01'), 'web01');
    assert.equal(virtualSystemId('日本語'), 'vm');
    assert.equal(virtualSystemId('abcdefghijkl-mnop'), 'abcdefghijkl');
  });

  test('sixteen disks need a second SCSI controller; unit 7 is never used by a disk', () => {
    const disks = Array.from({ length: 16 }, (_, i) => ({ fileName: `d${i + 1}.vmdk`, fileSize: 1024, capacityBytes: 20 * GiB }));
    const text = newDescriptor(options({ disks }));
    assert.deepEqual(validateText(text).map((f) => f.code), []);
    const items = parseDescriptor(text).virtualSystems[0].hardware[0].items;
    const controllers = items.filter((i) => i.resourceType?.value === '6').map((i) => i.instanceId?.value);
    assert.equal(controllers.length, 2);
    const diskItems = items.filter((i) => i.resourceType?.value === '17');
    assert.deepEqual(diskItems.map((i) => i.addressOnParent?.value), ['0', '1', '2', '3', '4', '5', '6', '8', '9', '10', '11', '12', '13', '14', '15', '0']);
    assert.deepEqual(new Set(diskItems.slice(0, 15).map((i) => i.parent?.value)), new Set([controllers[0]]));
    assert.equal(diskItems[15].parent?.value, controllers[1]);
  });

  test('bad input is refused with a message that says what is wrong', () => {
    const disk = { fileName: 'a.vmdk', fileSize: 1, capacityBytes: GiB };
    const refuses = (o: Partial<NewDescriptorOptions>, message: RegExp) => assert.throws(() => newDescriptor(options(o)), (e: Error) => e instanceof NewDescriptorError && message.test(e.message));
    refuses({ disks: [] }, /no disks/);
    refuses({ disks: [{ ...disk, fileName: '../a.vmdk' }] }, /'\.\.\/a\.vmdk'.*leaves the package folder/);
    refuses({ disks: [{ ...disk, fileName: '/abs/a.vmdk' }] }, /absolute path/);
    refuses({ disks: [disk, disk] }, /given twice/);
    refuses({ disks: [{ ...disk, capacityBytes: 0 }] }, /capacity must be a positive/);
    refuses({ name: '  ' }, /name is empty/);
    refuses({ cpus: 1.5 }, /CPU count/);
    refuses({ target: 'aws' as never }, /unknown target 'aws'/);
  });
});

describe('VMDK capacity', () => {
  const dir = makeTempDir('ovfkit-vmdk-');

  const sparseVmdk = (name: string, capacitySectors: bigint, createType: string, totalBytes?: number) =>
    writeSparseVmdk(path.join(dir, name), capacitySectors, createType, totalBytes);

  test('a streamOptimized header: capacity is the 64-bit little-endian sector count at offset 12', async () => {
    const info = await readVmdkCapacity(sparseVmdk('stream.vmdk', 83886080n, 'streamOptimized'));
    assert.deepEqual(info, { capacityBytes: 40 * GiB, createType: 'streamOptimized', layout: 'sparse-extent' });
  });

  test('capacities beyond 32 bits of sectors (over 2 TiB) are read whole', async () => {
    const info = await readVmdkCapacity(sparseVmdk('huge.vmdk', 2n ** 32n + 8n, 'monolithicSparse'));
    assert.equal(info.capacityBytes, (2 ** 32 + 8) * 512);
    assert.equal(info.createType, 'monolithicSparse');
  });

  test('a 5 GiB image is read by its header only', async () => {
    const info = await readVmdkCapacity(sparseVmdk('big.vmdk', 20971520n, 'streamOptimized', 5 * GiB));
    assert.equal(info.capacityBytes, 10 * GiB);
  });

  test('a text descriptor: the sum of its extent lines', async () => {
    const file = path.join(dir, 'split.vmdk');
    writeFileSync(file, [
      '# Disk DescriptorFile', 'version=1', 'CID=12345678', 'parentCID=ffffffff', 'createType="twoGbMaxExtentSparse"', '',
      '# Extent description', 'RW 4192256 SPARSE "split-s001.vmdk"', 'RW 4192256 SPARSE "split-s002.vmdk"', 'RW 1024 SPARSE "split-s003.vmdk"', '',
      'ddb.virtualHWVersion = "10"', 'ddb.geometry.cylinders = "522"',
    ].join('\n'));
    assert.deepEqual(await readVmdkCapacity(file), { capacityBytes: (4192256 * 2 + 1024) * 512, createType: 'twoGbMaxExtentSparse', layout: 'text-descriptor' });
  });

  test('files that are no VMDK, or not there, are refused clearly', async () => {
    const iso = path.join(dir, 'cd.vmdk');
    writeFileSync(iso, Buffer.concat([Buffer.from('CD001'), Buffer.alloc(2048)]));
    await assert.rejects(readVmdkCapacity(iso), (e: Error) => e instanceof VmdkError && /cd\.vmdk is not a VMDK disk: it starts neither like a VMware disk image/.test(e.message));
    const truncated = path.join(dir, 'short.vmdk');
    writeFileSync(truncated, Buffer.from('KDMV\x01\x00'));
    await assert.rejects(readVmdkCapacity(truncated), /header is cut short .*: the file is incomplete/);
    const noExtents = path.join(dir, 'empty-desc.vmdk');
    writeFileSync(noExtents, '# Disk DescriptorFile\nversion=1\n');
    await assert.rejects(readVmdkCapacity(noExtents), /without extent lines/);
    await assert.rejects(readVmdkCapacity(path.join(dir, 'missing.vmdk')), /missing\.vmdk: cannot read: no such file/);
  });
});
