import { EvtxFormatError } from './cursor.js';

/** "**\0\0" — event record signature (libyal EVTX notes, "Event record"). */
export const RECORD_MAGIC = 0x00002a2a;
export const RECORD_HEADER_SIZE = 24;

/** One event record header; the BinXml event lies between `dataStart` and `dataEnd`. */
export interface EvtxRecordHeader {
  /** Offset of the record within its chunk. */
  offset: number;
  size: number;
  recordId: number;
  /** FILETIME the record was written, as 100 ns ticks (may lose precision above 2^53). */
  writtenTime: number;
  dataStart: number;
  /** Exclusive: the trailing copy of `size` follows. */
  dataEnd: number;
}

/**
 * Validates and reads a record header at `off` within a chunk whose record area ends at `limit`.
 * The size field must be plausible and repeated at the record's end (the "copy of size"), which
 * is what lets a reader trust the size to find the next record.
 */
export function parseRecordHeader(chunk: Buffer, off: number, limit: number): EvtxRecordHeader {
  if (off + RECORD_HEADER_SIZE > limit) {
    throw new EvtxFormatError('evtx.record-truncated', `record header at ${off} runs past the record area end ${limit}`, off);
  }
  const magic = chunk.readUInt32LE(off);
  if (magic !== RECORD_MAGIC) {
    throw new EvtxFormatError('evtx.record-magic', `bad record signature 0x${magic.toString(16)} (expected 0x2a2a)`, off);
  }
  const size = chunk.readUInt32LE(off + 4);
  if (size < RECORD_HEADER_SIZE + 4 || off + size > limit) {
    throw new EvtxFormatError('evtx.record-size', `record size ${size} at ${off} does not fit the chunk (area ends at ${limit})`, off);
  }
  const copy = chunk.readUInt32LE(off + size - 4);
  if (copy !== size) {
    throw new EvtxFormatError('evtx.record-size-copy', `record size ${size} at ${off} differs from its trailing copy ${copy}`, off);
  }
  const recordId = chunk.readUInt32LE(off + 12) * 0x100000000 + chunk.readUInt32LE(off + 8);
  const writtenTime = chunk.readUInt32LE(off + 20) * 0x100000000 + chunk.readUInt32LE(off + 16);
  return { offset: off, size, recordId, writtenTime, dataStart: off + RECORD_HEADER_SIZE, dataEnd: off + size - 4 };
}
