// One 512-byte tar header, read and written. Reads ustar, GNU and PAX (the formats OVA producers
// use: ovftool and GNU tar write ustar/GNU, Python 3.8+ writes PAX); writes ustar, with GNU's
// base-256 size field for members of 8 GiB and more (GNU tar and Python's tarfile read it), since
// ovftool refuses PAX-headed OVAs (glennmatthews/cot#82). Pure: no file access.

export const BLOCK = 512;

/** Largest size an 11-digit octal field holds: 8 GiB - 1. */
const MAX_OCTAL_SIZE = 0o77777777777;

export type TarEntryType =
  | 'file'
  | 'directory'
  | 'hardlink'
  | 'symlink'
  | 'device'
  | 'fifo'
  | 'pax-header'
  | 'pax-global'
  | 'gnu-long-name'
  | 'gnu-long-link'
  | 'other';

export interface TarHeader {
  name: string;
  type: TarEntryType;
  /** The raw typeflag character, for messages. */
  typeflag: string;
  size: number;
  mtime: number;
  linkName: string;
}

export class TarFormatError extends Error {}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file',
  '1': 'hardlink', '2': 'symlink', '3': 'device', '4': 'device', '5': 'directory', '6': 'fifo',
  x: 'pax-header', g: 'pax-global', L: 'gnu-long-name', K: 'gnu-long-link',
};

/** True for an all-zero block: the end-of-archive marker. */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** A numeric field: octal ASCII (space/NUL padded), or GNU base-256 when the high bit is set. */
export function readNumber(block: Buffer, start: number, length: number, what: string): number {
  const first = block[start];
  if (first & 0x80) {
    if (first === 0xff) throw new TarFormatError(`negative ${what} in a tar header`);
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + block[i];
      if (value > Number.MAX_SAFE_INTEGER) throw new TarFormatError(`${what} too large in a tar header`);
    }
    return value;
  }
  const text = block.toString('latin1', start, start + length).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`${what} '${text.replace(/[^\x20-\x7e]/g, '?')}' in a tar header is not an octal number`);
  return parseInt(text, 8);
}

function checksumOf(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum;
}

/** Parses a header block; throws TarFormatError when it is not one (bad checksum, bad numbers). */
export function parseHeader(block: Buffer): TarHeader {
  if (block.length !== BLOCK) throw new TarFormatError('truncated tar header');
  const stored = readNumber(block, 148, 8, 'checksum');
  if (stored !== checksumOf(block)) throw new TarFormatError('tar header checksum does not match (not a tar file, or corrupted)');
  const typeflag = String.fromCharCode(block[156]);
  let name = cString(block, 0, 100);
  const magic = block.toString('latin1', 257, 263);
  // POSIX ustar splits long names into prefix/name; GNU's "ustar  " header has no prefix field.
  if (magic === 'ustar\0') {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    name,
    type: TYPES[typeflag] ?? 'other',
    typeflag,
    size: readNumber(block, 124, 12, 'size'),
    mtime: readNumber(block, 136, 12, 'mtime'),
    linkName: cString(block, 157, 100),
  };
}

/** PAX extended header records (`LEN key=value\n`), as a map. */
export function parsePaxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(data.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) throw new TarFormatError('malformed PAX extended header');
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/** Bytes of padding after `size` bytes of member data, up to the next block. */
export function paddingAfter(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function writeOctal(block: Buffer, start: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', start, length, 'latin1');
}

/** A ustar header for a regular file. Names over 100 bytes use the prefix field where they split at
 *  a '/'; sizes of 8 GiB and more use GNU's base-256 field. */
export function formatFileHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`bad size ${size} for ${name}`);
  const block = Buffer.alloc(BLOCK);
  const bytes = Buffer.from(name, 'utf8');
  let prefix = '';
  let rest = name;
  if (bytes.length > 100) {
    const cut = splitForUstar(name);
    if (!cut) throw new TarFormatError(`member name '${name}' is too long for a ustar header (100 bytes, or 155 + 100 split at a '/')`);
    [prefix, rest] = cut;
  }
  block.write(rest, 0, 100, 'utf8');
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  if (size <= MAX_OCTAL_SIZE) {
    writeOctal(block, 124, 12, size);
  } else {
    block[124] = 0x80;
    let v = size;
    for (let i = 124 + 11; i > 124; i--) {
      block[i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  writeOctal(block, 136, 12, Math.max(0, Math.floor(mtimeSeconds)));
  block[156] = 0x30; // '0': regular file
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  if (prefix) block.write(prefix, 345, 155, 'utf8');
  const sum = checksumOf(block);
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return block;
}

function splitForUstar(name: string): [string, string] | undefined {
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest) return [prefix, rest];
  }
  return undefined;
}
