// Descriptor bytes to text. XML 1.0 (appendix F) tells the encoding from the first bytes: a
// byte-order mark, or `<?` written in UTF-16 without one. OVF descriptors are UTF-8 in practice,
// but Windows tools write UTF-16 (with a BOM); reading those as UTF-8 would see binary junk.
// The BOM, if any, is kept as U+FEFF at the start: the XML reader skips it.

export type XmlEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function detectXmlEncoding(bytes: Uint8Array): XmlEncoding {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  // '<' then any ASCII character, in UTF-16 without a BOM ('<?xml' or '<Envelope').
  if (a === 0x3c && b === 0x00 && c !== 0x00 && d === 0x00) return 'utf-16le';
  if (a === 0x00 && b === 0x3c && c === 0x00 && d !== 0x00) return 'utf-16be';
  return 'utf-8';
}

export function decodeXmlBytes(bytes: Buffer): string {
  const encoding = detectXmlEncoding(bytes);
  if (encoding === 'utf-8') return bytes.toString('utf8');
  // An odd trailing byte cannot be a UTF-16 unit: it decodes as U+FFFD, which the reader reports.
  const even = bytes.subarray(0, bytes.length & ~1);
  const units = encoding === 'utf-16le' ? even : Buffer.from(even).swap16();
  return units.toString('utf16le') + (bytes.length & 1 ? '\uFFFD' : '');
}
