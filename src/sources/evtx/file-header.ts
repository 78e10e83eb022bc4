import { EvtxFormatError } from './cursor.js';
import { crc32 } from './crc32.js';

/** "ElfFile\0" — the file signature (libyal EVTX notes, "File header"). */
export const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');
export const FILE_HEADER_SIZE = 4096;

/** The 4096-byte EVTX file header; only the first 128 bytes carry data. */
export interface EvtxFileHeader {
  firstChunkNumber: number;
  lastChunkNumber: number;
  nextRecordId: number;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  /** Header block size, i.e. offset of the first chunk (4096). */
  chunkDataOffset: number;
  chunkCount: number;
  /** 0x1 dirty (not cleanly closed), 0x2 full. */
  flags: number;
  checksum: number;
  /** CRC-32 of the first 120 bytes equals `checksum`. */
  checksumValid: boolean;
  isDirty: boolean;
  isFull: boolean;
}

export function hasFileMagic(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  for (let i = 0; i < 8; i++) if (head[i] !== FILE_MAGIC[i]) return false;
  return true;
}

/** Parses the file header from at least its first 128 bytes. Throws on a bad signature. */
export function parseFileHeader(buf: Buffer): EvtxFileHeader {
  if (!hasFileMagic(buf)) throw new EvtxFormatError('evtx.file-magic', 'not an EVTX file (signature "ElfFile\\0" missing)', 0);
  if (buf.length < 128) throw new EvtxFormatError('evtx.file-header', `file header needs 128 bytes, got ${buf.length}`, 0);
  const u64 = (o: number) => buf.readUInt32LE(o + 4) * 0x100000000 + buf.readUInt32LE(o);
  const flags = buf.readUInt32LE(120);
  const checksum = buf.readUInt32LE(124);
  return {
    firstChunkNumber: u64(8),
    lastChunkNumber: u64(16),
    nextRecordId: u64(24),
    headerSize: buf.readUInt32LE(32),
    minorVersion: buf.readUInt16LE(36),
    majorVersion: buf.readUInt16LE(38),
    chunkDataOffset: buf.readUInt16LE(40),
    chunkCount: buf.readUInt16LE(42),
    flags,
    checksum,
    checksumValid: crc32(buf.subarray(0, 120)) === checksum,
    isDirty: (flags & 1) !== 0,
    isFull: (flags & 2) !== 0,
  };
}
