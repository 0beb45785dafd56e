// Writes small VMDK files for tests: a sparse extent header (VMware Virtual Disk Format 5.0) with
// an embedded descriptor, optionally padded with a hole to a large apparent size.
import { closeSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';

export function writeSparseVmdk(file: string, capacitySectors: bigint, createType = 'streamOptimized', totalBytes = 4096): string {
  const head = Buffer.alloc(1024);
  head.write('KDMV', 0, 'latin1');
  head.writeUInt32LE(3, 4); // version
  head.writeUInt32LE(0x30001, 8); // flags: valid newline test, compressed grains, markers
  head.writeBigUInt64LE(capacitySectors, 12);
  head.writeBigUInt64LE(128n, 20); // grain size
  head.writeBigUInt64LE(1n, 28); // descriptor offset (sectors)
  head.writeBigUInt64LE(1n, 36); // descriptor size (sectors)
  head.write(`# Disk DescriptorFile\nversion=1\nCID=fffffffe\ncreateType="${createType}"\nRW ${capacitySectors} SPARSE "${path.basename(file)}"\n`, 512, 'latin1');
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    // A hole: a large file costs nothing on disk, but would not fit in memory if read whole.
    if (totalBytes > head.length) writeSync(fd, Buffer.from([1]), 0, 1, totalBytes - 1);
  } finally {
    closeSync(fd);
  }
  return file;
}
