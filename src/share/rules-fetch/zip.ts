/**
 * A small, defensive ZIP reader (PKWARE APPNOTE.TXT 6.3.x) for rule packages: reads the central
 * directory (§4.3.16 end of central directory, §4.3.12 central file header, §4.3.7 local file
 * header, §4.3.14/§4.3.15 ZIP64), inflates stored and deflated entries with node:zlib, checks every
 * CRC-32 and declared size, and refuses what a rule package never needs: encryption, other
 * compression methods, absolute or parent-escaping paths ("zip slip"), and sizes past the limits.
 * Every offset read is bounds-checked, so a truncated or hostile archive yields a ZipError naming
 * the byte offset, never an out-of-range read.
 */
import { inflateRawSync } from 'node:zlib';
import { WardError } from '../../util/index.js';

export class ZipError extends WardError {
  constructor(code: string, message: string, offset?: number) {
    super(code, message, offset === undefined ? undefined : { offset });
  }
}

export interface ZipEntry {
  /** path inside the archive, '/'-separated, validated (no absolute path, no '..') */
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** offset of the local file header */
  localOffset: number;
}

export interface ZipLimits {
  /** largest uncompressed entry accepted (default 32 MiB; rule files are a few KiB) */
  maxEntryBytes?: number;
  /** largest total uncompressed size (default 1 GiB) */
  maxTotalBytes?: number;
  /** most entries accepted (default 200 000) */
  maxEntries?: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOC = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

let crcTable: Uint32Array | undefined;
/** CRC-32 (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320), as APPNOTE §4.4.7 requires. */
export function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Checks an archive path and returns it normalised to '/' separators. Rejects what could write
 * outside the destination: absolute paths, drive letters, UNC prefixes, '..' segments, NUL bytes.
 */
export function safeEntryName(raw: string): string {
  if (raw.includes('\0')) throw new ZipError('zip.unsafe-path', `entry name contains a NUL byte: ${JSON.stringify(raw)}`);
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new ZipError('zip.unsafe-path', `entry has an absolute path: ${JSON.stringify(raw)}`);
  }
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new ZipError('zip.unsafe-path', `entry escapes the destination with '..': ${JSON.stringify(raw)}`);
  if (parts.length === 0) throw new ZipError('zip.unsafe-path', `entry has an empty name: ${JSON.stringify(raw)}`);
  return parts.join('/') + (name.endsWith('/') ? '/' : '');
}

export class ZipArchive {
  readonly entries: ZipEntry[];
  private readonly buf: Buffer;
  private readonly limits: Required<ZipLimits>;

  constructor(buf: Buffer, limits: ZipLimits = {}) {
    this.buf = buf;
    this.limits = { maxEntryBytes: 32 << 20, maxTotalBytes: 1 << 30, maxEntries: 200_000, ...limits };
    this.entries = this.readDirectory();
  }

  private need(offset: number, length: number, what: string): void {
    if (offset < 0 || length < 0 || offset + length > this.buf.length) {
      throw new ZipError('zip.truncated', `${what} runs past the end of the archive (${this.buf.length} bytes)`, offset);
    }
  }

  private u16(o: number): number {
    return this.buf.readUInt16LE(o);
  }

  private u32(o: number): number {
    return this.buf.readUInt32LE(o);
  }

  private u64(o: number, what: string): number {
    const v = this.buf.readBigUInt64LE(o);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('zip.corrupt', `${what} is too large`, o);
    return Number(v);
  }

  /** APPNOTE §4.3.16: the EOCD record is the last 22 bytes plus a comment of up to 65 535 bytes. */
  private findEocd(): number {
    const min = Math.max(0, this.buf.length - 22 - 0xffff);
    for (let o = this.buf.length - 22; o >= min; o--) {
      if (this.u32(o) === SIG_EOCD && o + 22 + this.u16(o + 20) === this.buf.length) return o;
    }
    throw new ZipError('zip.not-zip', 'not a ZIP archive: no end-of-central-directory record');
  }

  private readDirectory(): ZipEntry[] {
    if (this.buf.length < 22) throw new ZipError('zip.not-zip', `not a ZIP archive: only ${this.buf.length} bytes`);
    const eocd = this.findEocd();
    if (this.u16(eocd + 4) !== 0 || this.u16(eocd + 6) !== 0) throw new ZipError('zip.unsupported', 'multi-disk (spanned) archives are not supported', eocd);
    let count = this.u16(eocd + 10);
    let cdSize = this.u32(eocd + 12);
    let cdOffset = this.u32(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // ZIP64 (§4.3.14, §4.3.15): a locator right before the EOCD points to the ZIP64 EOCD record.
      const loc = eocd - 20;
      this.need(loc, 20, 'ZIP64 end-of-central-directory locator');
      if (this.u32(loc) !== SIG_EOCD64_LOC) throw new ZipError('zip.corrupt', 'ZIP64 locator missing', loc);
      const e64 = this.u64(loc + 8, 'ZIP64 EOCD offset');
      this.need(e64, 56, 'ZIP64 end-of-central-directory record');
      if (this.u32(e64) !== SIG_EOCD64) throw new ZipError('zip.corrupt', 'bad ZIP64 end-of-central-directory signature', e64);
      count = this.u64(e64 + 32, 'entry count');
      cdSize = this.u64(e64 + 40, 'central directory size');
      cdOffset = this.u64(e64 + 48, 'central directory offset');
    }
    if (count > this.limits.maxEntries) throw new ZipError('zip.limit', `archive has ${count} entries, more than the limit of ${this.limits.maxEntries}`);
    this.need(cdOffset, cdSize, 'central directory');
    const entries: ZipEntry[] = [];
    let total = 0;
    let o = cdOffset;
    for (let i = 0; i < count; i++) {
      this.need(o, 46, `central directory entry ${i + 1}`);
      if (this.u32(o) !== SIG_CENTRAL) throw new ZipError('zip.corrupt', `bad central directory signature for entry ${i + 1}`, o);
      const madeBy = this.u16(o + 4) >> 8;
      const flags = this.u16(o + 8);
      const method = this.u16(o + 10);
      const crc = this.u32(o + 16);
      let compressedSize = this.u32(o + 20);
      let size = this.u32(o + 24);
      const nameLen = this.u16(o + 28);
      const extraLen = this.u16(o + 30);
      const commentLen = this.u16(o + 32);
      const externalAttrs = this.u32(o + 38);
      let localOffset = this.u32(o + 42);
      this.need(o + 46, nameLen + extraLen + commentLen, `central directory entry ${i + 1} name/extra`);
      const nameBytes = this.buf.subarray(o + 46, o + 46 + nameLen);
      // §4.4.4 bit 11: UTF-8 names; otherwise IBM437, read here as latin1 (rule paths are ASCII).
      const rawName = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
      if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
        // §4.5.3 ZIP64 extended information: only the fields that overflowed, in this order.
        let e = o + 46 + nameLen;
        const end = e + extraLen;
        while (e + 4 <= end) {
          const id = this.u16(e);
          const len = this.u16(e + 2);
          if (e + 4 + len > end) throw new ZipError('zip.corrupt', `extra field of ${JSON.stringify(rawName)} overruns its entry`, e);
          if (id === 0x0001) {
            let p = e + 4;
            const take = (what: string): number => {
              if (p + 8 > e + 4 + len) throw new ZipError('zip.corrupt', `ZIP64 field ${what} of ${JSON.stringify(rawName)} is missing`, p);
              const v = this.u64(p, what);
              p += 8;
              return v;
            };
            if (size === 0xffffffff) size = take('size');
            if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
            if (localOffset === 0xffffffff) localOffset = take('local header offset');
          }
          e += 4 + len;
        }
      }
      const name = safeEntryName(rawName);
      if (flags & 0x1) throw new ZipError('zip.unsupported', `entry ${JSON.stringify(name)} is encrypted`, o);
      const isDirectory = name.endsWith('/');
      // Unix mode in the high 16 bits of the external attributes when made on Unix (§4.4.2, §4.4.15).
      const isSymlink = madeBy === 3 && ((externalAttrs >>> 16) & 0xf000) === 0xa000;
      if (!isDirectory) {
        if (size > this.limits.maxEntryBytes) throw new ZipError('zip.limit', `entry ${JSON.stringify(name)} is ${size} bytes, more than the limit of ${this.limits.maxEntryBytes}`, o);
        total += size;
        if (total > this.limits.maxTotalBytes) throw new ZipError('zip.limit', `archive expands to more than ${this.limits.maxTotalBytes} bytes`, o);
      }
      entries.push({ name, isDirectory, isSymlink, method, crc32: crc, compressedSize, size, localOffset });
      o += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  }

  /** The entry's bytes, inflated, with size and CRC-32 checked. */
  read(entry: ZipEntry): Buffer {
    const o = entry.localOffset;
    this.need(o, 30, `local header of ${JSON.stringify(entry.name)}`);
    if (this.u32(o) !== SIG_LOCAL) throw new ZipError('zip.corrupt', `bad local header signature for ${JSON.stringify(entry.name)}`, o);
    // The local name and extra lengths may differ from the central ones (§4.3.7): use the local ones.
    const start = o + 30 + this.u16(o + 26) + this.u16(o + 28);
    this.need(start, entry.compressedSize, `data of ${JSON.stringify(entry.name)}`);
    const raw = this.buf.subarray(start, start + entry.compressedSize);
    let out: Buffer;
    if (entry.method === 0) {
      out = raw;
    } else if (entry.method === 8) {
      try {
        // maxOutputLength one past the declared size: a lying header cannot inflate a bomb.
        out = inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
      } catch (err) {
        throw new ZipError('zip.corrupt', `cannot inflate ${JSON.stringify(entry.name)}: ${(err as Error).message}`, start);
      }
    } else {
      throw new ZipError('zip.unsupported', `entry ${JSON.stringify(entry.name)} uses compression method ${entry.method} (only stored and deflate are supported)`, o);
    }
    if (out.length !== entry.size) throw new ZipError('zip.corrupt', `${JSON.stringify(entry.name)} is ${out.length} bytes, the directory says ${entry.size}`, start);
    const crc = crc32(out);
    if (crc !== entry.crc32) {
      throw new ZipError('zip.crc', `CRC-32 mismatch for ${JSON.stringify(entry.name)}: ${crc.toString(16).padStart(8, '0')} != ${entry.crc32.toString(16).padStart(8, '0')}`, start);
    }
    return out;
  }
}
