import { EvtxFormatError } from './cursor.js';
import { crc32 } from './crc32.js';

/** "ElfChnk\0" — the chunk signature (libyal EVTX notes, "Chunk header"). */
export const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;

/** The 512-byte chunk header: record range, free-space offset, checksums, string/template tables. */
export interface EvtxChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  headerSize: number;
  lastRecordOffset: number;
  /** End of the record area (relative to the chunk start). */
  freeSpaceOffset: number;
  recordsChecksum: number;
  flags: number;
  headerChecksum: number;
  /** CRC-32 of bytes 0..120 and 128..512 equals `headerChecksum`. */
  headerChecksumValid: boolean;
  /** CRC-32 of the record area 512..freeSpaceOffset equals `recordsChecksum`. */
  recordsChecksumValid: boolean;
}

export function hasChunkMagic(buf: Uint8Array, off = 0): boolean {
  for (let i = 0; i < 8; i++) if (buf[off + i] !== CHUNK_MAGIC[i]) return false;
  return true;
}

/** True when the chunk is all zero bytes: pre-allocated, never written (not damage). */
export function isEmptyChunk(buf: Buffer): boolean {
  // Compare 4 bytes at a time; chunks are 64 KiB so this is cheap next to parsing one.
  const n = buf.length & ~3;
  for (let i = 0; i < n; i += 4) if (buf.readUInt32LE(i) !== 0) return false;
  for (let i = n; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

export function parseChunkHeader(buf: Buffer): EvtxChunkHeader {
  if (buf.length < CHUNK_HEADER_SIZE) {
    throw new EvtxFormatError('evtx.chunk-truncated', `chunk header needs 512 bytes, got ${buf.length}`, 0);
  }
  if (!hasChunkMagic(buf)) throw new EvtxFormatError('evtx.chunk-magic', 'bad chunk signature (expected "ElfChnk\\0")', 0);
  const u64 = (o: number) => buf.readUInt32LE(o + 4) * 0x100000000 + buf.readUInt32LE(o);
  const freeSpaceOffset = buf.readUInt32LE(48);
  const recordsChecksum = buf.readUInt32LE(52);
  const headerChecksum = buf.readUInt32LE(124);
  const headerCrc = crc32(buf.subarray(128, 512), crc32(buf.subarray(0, 120)));
  const recEnd = Math.min(Math.max(freeSpaceOffset, CHUNK_HEADER_SIZE), buf.length);
  return {
    firstRecordNumber: u64(8),
    lastRecordNumber: u64(16),
    firstRecordId: u64(24),
    lastRecordId: u64(32),
    headerSize: buf.readUInt32LE(40),
    lastRecordOffset: buf.readUInt32LE(44),
    freeSpaceOffset,
    recordsChecksum,
    flags: buf.readUInt32LE(120),
    headerChecksum,
    headerChecksumValid: headerCrc === headerChecksum,
    recordsChecksumValid: crc32(buf.subarray(CHUNK_HEADER_SIZE, recEnd)) === recordsChecksum,
  };
}
