// The virtual capacity of a VMDK, read from its first bytes only: disk images are many gigabytes
// and the capacity sits in the first sector (sparse/streamOptimized extents) or in a small text
// descriptor. VMware's Virtual Disk Format 5.0 spec gives the layouts read here.
import { open } from 'node:fs/promises';

export interface VmdkInfo {
  /** The virtual disk size the guest sees, in bytes. */
  capacityBytes: number;
  /** `createType` from the embedded or text descriptor (e.g. `streamOptimized`, `monolithicSparse`). */
  createType?: string;
  /** How the capacity was found. */
  layout: 'sparse-extent' | 'text-descriptor';
}

export class VmdkError extends Error {}

const SECTOR = 512;
/** Text descriptors are a few hundred bytes; a larger "text" file is not one. */
const MAX_TEXT_DESCRIPTOR = 64 * 1024;
/** Embedded descriptors are 20 sectors by default; more than this is not believed. */
const MAX_EMBEDDED_DESCRIPTOR = 1024 * 1024;

export async function readVmdkCapacity(file: string): Promise<VmdkInfo> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VmdkError(`${file}: cannot read: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    const head = await readAt(handle, 0, SECTOR);
    if (head.length >= 4 && head.toString('latin1', 0, 4) === 'KDMV') return await readSparse(file, handle, head);
    if (head.length >= 4 && head.toString('latin1', 0, 4) === 'COWD') {
      throw new VmdkError(`${file}: a disk in the old ESX 3 format, which clouds do not import; convert it with vmware-vdiskmanager or ovftool first`);
    }
    const text = (await readAt(handle, 0, MAX_TEXT_DESCRIPTOR + 1)).toString('latin1');
    if (text.length <= MAX_TEXT_DESCRIPTOR && /^\s*(#\s*Disk DescriptorFile|version\s*=)/m.test(text) && !text.includes('\0')) {
      return fromTextDescriptor(file, text);
    }
    throw new VmdkError(`${file} is not a VMDK disk: it starts neither like a VMware disk image nor like a disk descriptor. Export the disk as a VMDK first (e.g. qemu-img convert -O vmdk -o subformat=streamOptimized)`);
  } finally {
    await handle.close();
  }
}

type Handle = Awaited<ReturnType<typeof open>>;

async function readAt(handle: Handle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Parses a SparseExtentHeader (little-endian): capacity at 12, descriptor offset/size at 28/36, in sectors. */
async function readSparse(file: string, handle: Handle, head: Buffer): Promise<VmdkInfo> {
  if (head.length < 44) throw new VmdkError(`${file}: the disk's header is cut short (${head.length} of 512 bytes): the file is incomplete`);
  const capacitySectors = head.readBigUInt64LE(12);
  const capacityBytes = capacitySectors * BigInt(SECTOR);
  if (capacityBytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new VmdkError(`${file}: the disk's header gives an impossible size (${capacitySectors} sectors): the file is damaged`);
  const info: VmdkInfo = { capacityBytes: Number(capacityBytes), layout: 'sparse-extent' };
  const descriptorOffset = head.readBigUInt64LE(28) * BigInt(SECTOR);
  const descriptorSize = head.readBigUInt64LE(36) * BigInt(SECTOR);
  if (descriptorOffset > 0n && descriptorSize > 0n && descriptorSize <= BigInt(MAX_EMBEDDED_DESCRIPTOR)) {
    const text = (await readAt(handle, Number(descriptorOffset), Number(descriptorSize))).toString('latin1');
    info.createType = createTypeOf(text);
  }
  return info;
}

/** Sums the extent lines (`RW 83886080 VMFS "disk-flat.vmdk"`): the capacity is the total of their sectors. */
function fromTextDescriptor(file: string, text: string): VmdkInfo {
  let sectors = 0;
  let extents = 0;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(RW|RDONLY|NOACCESS)\s+(\d+)\s/.exec(line);
    if (!m) continue;
    sectors += Number(m[2]);
    extents++;
  }
  if (extents === 0) throw new VmdkError(`${file}: a text disk descriptor without extent lines ('RW <sectors> ...')`);
  return { capacityBytes: sectors * SECTOR, createType: createTypeOf(text), layout: 'text-descriptor' };
}

function createTypeOf(text: string): string | undefined {
  return /^\s*createType\s*=\s*"([^"]*)"/m.exec(text)?.[1];
}
