/**
 * A small EVTX *writer* for tests: encodes BinXml templates, template instances with typed
 * substitution values, records, chunks (with both CRC-32s) and the file header, following
 * MS-EVEN6 and libyal's EVTX notes. It lets tests build exact fixtures (and damage them) without
 * third-party samples.
 */
import { crc32 } from '../../../src/sources/evtx/crc32.js';

export type XVal =
  | string
  | { sub: number; type: number; optional?: boolean }
  | { entity: string }
  | { charRef: number };

export interface XElement {
  name: string;
  attrs?: [string, XVal][];
  kids?: (XElement | XVal)[];
}

export type SubValue =
  | { type: 'string'; v: string }
  | { type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'hex32' | 'bool'; v: number }
  | { type: 'u64' | 'i64' | 'hex64' | 'filetime'; v: bigint }
  | { type: 'f64'; v: number }
  | { type: 'guid'; v: string }
  | { type: 'sid'; v: string }
  | { type: 'binary'; v: Buffer }
  | { type: 'systemtime'; v: Date }
  | { type: 'strings'; v: string[] }
  | { type: 'u16s'; v: number[] }
  | { type: 'null' }
  /** Any value type code with hand-made bytes (arrays of GUIDs, FILETIMEs, size_t …). */
  | { type: 'raw'; code: number; bytes: Buffer }
  /** Nested BinXml; `dependencyIds` writes the u16 that MS-EVEN6 omits there (libevtx expects it). */
  | { type: 'binxml'; v: XElement; dependencyIds?: boolean };

export const TYPE_CODE: Record<SubValue['type'], number> = {
  null: 0x00, string: 0x01, i8: 0x03, u8: 0x04, i16: 0x05, u16: 0x06, i32: 0x07, u32: 0x08, i64: 0x09, u64: 0x0a,
  f64: 0x0c, bool: 0x0d, binary: 0x0e, guid: 0x0f, filetime: 0x11, systemtime: 0x12, sid: 0x13, hex32: 0x14,
  hex64: 0x15, binxml: 0x21, strings: 0x81, u16s: 0x86, raw: -1,
};

class Bytes {
  parts: number[] = [];
  get length(): number {
    return this.parts.length;
  }
  u8(v: number) {
    this.parts.push(v & 0xff);
  }
  u16(v: number) {
    this.u8(v);
    this.u8(v >> 8);
  }
  u32(v: number) {
    for (let i = 0; i < 4; i++) this.u8(Math.floor(v / 2 ** (8 * i)));
  }
  bytes(b: Uint8Array | number[]) {
    for (const x of b) this.parts.push(x);
  }
  utf16(s: string) {
    this.bytes(Buffer.from(s, 'utf16le'));
  }
  patch32(at: number, v: number) {
    for (let i = 0; i < 4; i++) this.parts[at + i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
  }
  buffer(): Buffer {
    return Buffer.from(this.parts);
  }
}

/** Encodes BinXml at a known chunk offset (`base`), so inline names can point at themselves. */
class Encoder {
  out = new Bytes();
  constructor(
    readonly base: number,
    readonly inValue: boolean,
  ) {}

  private name(s: string) {
    // Name offset pointing at the current position means "defined inline right here".
    this.out.u32(this.base + this.out.length + 4);
    this.out.u32(0); // next name in hash chain
    this.out.u16(0); // hash (unused by readers)
    this.out.u16(s.length);
    this.out.utf16(s);
    this.out.u16(0);
  }

  private value(v: XVal) {
    if (typeof v === 'string') {
      this.out.u8(0x05);
      this.out.u8(0x01);
      this.out.u16(v.length);
      this.out.utf16(v);
    } else if ('sub' in v) {
      this.out.u8(v.optional ? 0x0e : 0x0d);
      this.out.u16(v.sub);
      this.out.u8(v.type);
    } else if ('entity' in v) {
      this.out.u8(0x09);
      this.name(v.entity);
    } else {
      this.out.u8(0x08);
      this.out.u16(v.charRef);
    }
  }

  element(e: XElement) {
    const attrs = e.attrs ?? [];
    this.out.u8(attrs.length ? 0x41 : 0x01);
    if (!this.inValue) this.out.u16(0xffff);
    const sizeAt = this.out.length;
    this.out.u32(0);
    this.name(e.name);
    if (attrs.length) {
      const listAt = this.out.length;
      this.out.u32(0);
      attrs.forEach(([n, v], i) => {
        this.out.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.name(n);
        this.value(v);
      });
      this.out.patch32(listAt, this.out.length - listAt - 4);
    }
    const kids = e.kids ?? [];
    if (kids.length === 0) this.out.u8(0x03);
    else {
      this.out.u8(0x02);
      for (const k of kids) {
        if (typeof k === 'object' && 'name' in k) this.element(k);
        else this.value(k);
      }
      this.out.u8(0x04);
    }
    this.out.patch32(sizeAt, this.out.length - sizeAt - 4);
  }

  fragment(root: XElement) {
    this.out.bytes([0x0f, 0x01, 0x01, 0x00]);
    this.element(root);
    this.out.u8(0x00);
  }
}

function guidBytes(g: string): Buffer {
  const h = g.replace(/[{}-]/g, '');
  const b = Buffer.from(h, 'hex');
  const out = Buffer.alloc(16);
  out.writeUInt32LE(b.readUInt32BE(0), 0);
  out.writeUInt16LE(b.readUInt16BE(4), 4);
  out.writeUInt16LE(b.readUInt16BE(6), 6);
  b.copy(out, 8, 8, 16);
  return out;
}

function sidBytes(s: string): Buffer {
  const [, rev, auth, ...subs] = s.split('-');
  const b = Buffer.alloc(8 + 4 * subs.length);
  b[0] = Number(rev);
  b[1] = subs.length;
  b.writeUIntBE(Number(auth), 2, 6);
  subs.forEach((x, i) => b.writeUInt32LE(Number(x), 8 + 4 * i));
  return b;
}

function encodeValue(v: SubValue, base = 0): Buffer {
  const b = Buffer.alloc(8);
  switch (v.type) {
    case 'null': return Buffer.alloc(0);
    case 'raw': return v.bytes;
    case 'string': return Buffer.from(v.v, 'utf16le');
    case 'u8': case 'i8': return Buffer.from([v.v & 0xff]);
    case 'u16': case 'i16': b.writeUInt16LE(v.v & 0xffff); return b.subarray(0, 2);
    case 'u32': case 'hex32': case 'bool': b.writeUInt32LE(v.v >>> 0); return b.subarray(0, 4);
    case 'i32': b.writeInt32LE(v.v); return b.subarray(0, 4);
    case 'u64': case 'hex64': case 'filetime': b.writeBigUInt64LE(v.v); return b;
    case 'i64': b.writeBigInt64LE(v.v); return b;
    case 'f64': b.writeDoubleLE(v.v); return b;
    case 'guid': return guidBytes(v.v);
    case 'sid': return sidBytes(v.v);
    case 'binary': return v.v;
    case 'systemtime': {
      const d = v.v;
      const s = Buffer.alloc(16);
      [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
        .forEach((x, i) => s.writeUInt16LE(x, i * 2));
      return s;
    }
    case 'strings': return Buffer.concat(v.v.map((s) => Buffer.from(s + '\0', 'utf16le')));
    case 'u16s': {
      const s = Buffer.alloc(2 * v.v.length);
      v.v.forEach((x, i) => s.writeUInt16LE(x, 2 * i));
      return s;
    }
    case 'binxml': {
      const e = new Encoder(base, !(v.dependencyIds ?? true));
      e.fragment(v.v);
      return e.out.buffer();
    }
  }
}

export interface RecordSpec {
  id: number;
  /** The template (shared by records that pass the same object). */
  template: XElement;
  values: SubValue[];
  /** FILETIME ticks when written. */
  written?: bigint;
}

/** Builds one 64 KiB chunk holding `records`; templates are defined inline on first use. */
export function buildChunk(records: RecordSpec[]): Buffer {
  const chunk = Buffer.alloc(65536);
  chunk.write('ElfChnk\0', 0, 'latin1');
  const defs = new Map<XElement, number>();
  let off = 512;
  let lastOff = 512;
  for (const r of records) {
    const start = off;
    const body = new Bytes();
    const at = () => start + 24 + body.length;
    body.bytes([0x0f, 0x01, 0x01, 0x00]);
    body.u8(0x0c);
    body.u8(0x01);
    body.u32(0x1234);
    const known = defs.get(r.template);
    if (known !== undefined) body.u32(known);
    else {
      const defOffset = at() + 4;
      body.u32(defOffset);
      defs.set(r.template, defOffset);
      const enc = new Encoder(defOffset + 24, false);
      enc.fragment(r.template);
      const data = enc.out.buffer();
      body.u32(0);
      body.bytes(Buffer.alloc(16, 0xab));
      body.u32(data.length);
      body.bytes(data);
    }
    // Sizes first (a nested fragment's size does not depend on where it lands), then the values
    // encoded at their real chunk offsets so inline names inside nested BinXml point at themselves.
    const sizes = r.values.map((v) => encodeValue(v).length);
    body.u32(sizes.length);
    r.values.forEach((v, i) => {
      body.u16(sizes[i]);
      body.u8(v.type === 'raw' ? v.code : TYPE_CODE[v.type]);
      body.u8(0);
    });
    for (const v of r.values) body.bytes(encodeValue(v, at()));
    body.u8(0x00);
    const data = body.buffer();
    const size = 24 + data.length + 4;
    if (off + size > 65536) throw new Error('records do not fit one chunk');
    chunk.writeUInt32LE(0x2a2a, off);
    chunk.writeUInt32LE(size, off + 4);
    chunk.writeBigUInt64LE(BigInt(r.id), off + 8);
    chunk.writeBigUInt64LE(r.written ?? 132000000000000000n, off + 16);
    data.copy(chunk, off + 24);
    chunk.writeUInt32LE(size, off + size - 4);
    lastOff = off;
    off += size;
  }
  const first = records[0]?.id ?? 0;
  const last = records[records.length - 1]?.id ?? 0;
  chunk.writeBigUInt64LE(BigInt(first), 8);
  chunk.writeBigUInt64LE(BigInt(last), 16);
  chunk.writeBigUInt64LE(BigInt(first), 24);
  chunk.writeBigUInt64LE(BigInt(last), 32);
  chunk.writeUInt32LE(128, 40);
  chunk.writeUInt32LE(lastOff, 44);
  chunk.writeUInt32LE(off, 48);
  fixChunkChecksums(chunk);
  return chunk;
}

/** Recomputes both chunk CRC-32s (records area, then header). */
export function fixChunkChecksums(chunk: Buffer): void {
  const free = chunk.readUInt32LE(48);
  chunk.writeUInt32LE(crc32(chunk.subarray(512, free)), 52);
  chunk.writeUInt32LE(crc32(chunk.subarray(128, 512), crc32(chunk.subarray(0, 120))), 124);
}

/** A complete file: 4096-byte header then the chunks. */
export function buildFile(chunks: Buffer[], nextRecordId = 1): Buffer {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks.length - 1)), 16);
  h.writeBigUInt64LE(BigInt(nextRecordId), 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(2, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(0, 120);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks]);
}
