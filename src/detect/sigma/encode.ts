/**
 * Byte-level encodings for Sigma's encoding modifiers (Sigma v2.1 §modifiers: base64,
 * base64offset, wide/utf16le, utf16be, utf16). Strings are held as "binary strings" (one char per
 * byte) between an encoding modifier and the base64 step that follows it.
 */
export function utf8Bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

export function binaryToBuffer(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

export function utf16le(s: string): string {
  return Buffer.from(s, 'utf16le').toString('latin1');
}

export function utf16be(s: string): string {
  const b = Buffer.from(s, 'utf16le');
  b.swap16();
  return b.toString('latin1');
}

/** `utf16`: UTF-16 with a byte-order mark (little endian, as Windows writes it). */
export function utf16bom(s: string): string {
  return '\xff\xfe' + utf16le(s);
}

/**
 * The three base64 spellings a byte string can take inside a longer base64 text, depending on its
 * offset modulo 3; the leading and trailing characters influenced by neighbouring bytes are cut.
 */
export function base64Offsets(bin: Buffer): string[] {
  const out: string[] = [];
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  for (let i = 0; i < 3; i++) {
    const padded = Buffer.concat([Buffer.alloc(i, 0x20), bin]);
    const enc = padded.toString('base64');
    const rem = (bin.length + i) % 3;
    const end = enc.length - endCut[rem];
    out.push(enc.slice(startCut[i], end));
  }
  return out;
}
