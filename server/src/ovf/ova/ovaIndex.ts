// Reads an OVA's table of contents in place: only the 512-byte headers are read, member data is
// skipped by offset, so a 100 GB OVA is indexed in milliseconds and never unpacked. An OVA is
// somebody else's file: every member must be a plain file with a safe relative name, once, whose
// data lies inside the OVA. Anything else refuses the whole OVA before a byte of it is used.
import { constants } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { BLOCK, isZeroBlock, paddingAfter, parseHeader, parsePaxRecords, TarFormatError } from './tarHeader';

export interface OvaMember {
  /** Name inside the OVA, normalised (no leading './'). */
  name: string;
  size: number;
  /** Offset of the member's first data byte in the OVA. */
  dataOffset: number;
  /** Modification time, seconds since the epoch. */
  mtime: number;
}

export interface OvaIndex {
  path: string;
  /** Size of the OVA file. */
  size: number;
  /** Plain-file members in archive order. */
  members: OvaMember[];
}

/** The OVA is malformed or holds an unsafe member; `member` names it when there is one. */
export class OvaError extends Error {
  constructor(message: string, readonly member?: string) {
    super(message);
  }
}

/** Caps on what a header may make us read or keep. */
const MAX_EXTENDED_HEADER = 1024 * 1024;
const MAX_MEMBERS = 100_000;

/** Opens an OVA for reading: a regular file, not followed through a final symlink swap. */
export async function openOva(ovaPath: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(ovaPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw new OvaError(`${ovaPath} is a symbolic link; give the OVA file itself`);
    throw err;
  });
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new OvaError(`${ovaPath} is not a regular file`);
  }
  return { handle, size: stat.size };
}

export async function indexOva(ovaPath: string): Promise<OvaIndex> {
  const { handle, size } = await openOva(ovaPath);
  try {
    return { path: ovaPath, size, members: await readMembers(handle, size) };
  } finally {
    await handle.close();
  }
}

/** Reads the headers from an open OVA of `size` bytes. */
export async function readMembers(handle: FileHandle, size: number): Promise<OvaMember[]> {
  const members: OvaMember[] = [];
  const seen = new Set<string>();
  const block = Buffer.alloc(BLOCK);
  let at = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  for (;;) {
    if (at + BLOCK > size) {
      if (at === size && members.length > 0) break; // no end-of-archive blocks: accepted, as GNU tar does
      throw new OvaError(at === 0 ? 'the file is empty or too short to be a tar archive (OVA)' : `the OVA is truncated at byte ${at}`);
    }
    await readFully(handle, block, at);
    if (isZeroBlock(block)) break;
    let header;
    try {
      header = parseHeader(block);
    } catch (err) {
      if (err instanceof TarFormatError) throw new OvaError(at === 0 ? `not a tar archive (OVA): ${err.message}` : `at byte ${at}: ${err.message}`);
      throw err;
    }
    const dataOffset = at + BLOCK;
    const memberSize = pax.has('size') ? paxNumber(pax.get('size')!, 'size') : header.size;
    if (dataOffset + memberSize > size) {
      throw new OvaError(`member '${printable(header.name)}' says it holds ${memberSize} bytes, past the end of the OVA (${size} bytes)`, header.name);
    }
    at = dataOffset + memberSize + paddingAfter(memberSize);

    if (header.type === 'pax-header' || header.type === 'pax-global' || header.type === 'gnu-long-name' || header.type === 'gnu-long-link') {
      if (memberSize > MAX_EXTENDED_HEADER) throw new OvaError(`an extended tar header of ${memberSize} bytes (more than ${MAX_EXTENDED_HEADER}) is not accepted`);
      const data = Buffer.alloc(memberSize);
      await readFully(handle, data, dataOffset);
      if (header.type === 'pax-header') pax = parsePaxRecordsOrFail(data);
      else if (header.type === 'gnu-long-name') longName = data.toString('utf8').replace(/\0+$/, '');
      continue; // global PAX headers and long link names change nothing we use
    }

    const rawName = pax.get('path') ?? longName ?? header.name;
    pax = new Map();
    longName = undefined;
    // A directory entry (GNU tar writes './' for `tar -C dir .`) carries no data: checked, skipped.
    if (header.type === 'directory' && /^(\.\/?)*$/.test(rawName)) continue;
    const name = safeMemberName(rawName);
    if (header.type === 'directory') continue;
    if (header.type !== 'file') {
      const what = header.type === 'symlink' || header.type === 'hardlink' ? `a link (to '${printable(header.linkName)}')`
        : header.type === 'device' ? 'a device' : header.type === 'fifo' ? 'a FIFO' : `an entry of tar type '${printable(header.typeflag)}'`;
      throw new OvaError(`member '${printable(name)}' is ${what}; an OVA holds only plain files`, name);
    }
    if (seen.has(name)) throw new OvaError(`member '${printable(name)}' appears twice in the OVA`, name);
    seen.add(name);
    members.push({ name, size: memberSize, dataOffset, mtime: header.mtime });
    if (members.length > MAX_MEMBERS) throw new OvaError(`more than ${MAX_MEMBERS} members: not an OVA`);
  }
  return members;
}

/** The member name, normalised, or an OvaError when it could leave the folder it is unpacked to. */
export function safeMemberName(raw: string): string {
  const name = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (name === '' || name === '.') throw new OvaError('a member has an empty name');
  if (/[\0-\x1f\x7f]/.test(name)) throw new OvaError(`member '${printable(name)}' has control characters in its name`, name);
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\\')) {
    throw new OvaError(`member '${printable(name)}' has an absolute or Windows path; OVA members must be relative names`, name);
  }
  if (name.split('/').some((s) => s === '..' || s === '')) {
    throw new OvaError(`member '${printable(name)}' leaves the folder it would be unpacked to ('..')`, name);
  }
  return name;
}

function paxNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new OvaError(`PAX ${what} '${printable(text)}' is not a number`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new OvaError(`PAX ${what} ${text} is too large`);
  return n;
}

function parsePaxRecordsOrFail(data: Buffer): Map<string, string> {
  try {
    return parsePaxRecords(data);
  } catch (err) {
    if (err instanceof TarFormatError) throw new OvaError(err.message);
    throw err;
  }
}

async function readFully(handle: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new OvaError(`the OVA ends early at byte ${position + done}`);
    done += bytesRead;
  }
}

/** Reads a small member (descriptor, manifest, certificate) whole, refusing one over `cap` bytes. */
export async function readMember(handle: FileHandle, member: OvaMember, cap: number): Promise<Buffer> {
  if (member.size > cap) throw new OvaError(`member '${member.name}' is ${member.size} bytes, more than the ${cap} read for it`, member.name);
  const data = Buffer.alloc(member.size);
  await readFully(handle, data, member.dataOffset);
  return data;
}

/** A name from the archive, safe to print (control characters shown as '?'). */
function printable(s: string): string {
  return s.replace(/[\0-\x1f\x7f\x9b]/g, '?');
}
