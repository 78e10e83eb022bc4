import { ChunkParser } from './binxml.js';
import { CHUNK_HEADER_SIZE, CHUNK_SIZE, isEmptyChunk, parseChunkHeader } from './chunk-header.js';
import { EvtxFormatError } from './cursor.js';
import type { RElement } from './model.js';
import { parseRecordHeader, type EvtxRecordHeader } from './record.js';
import { resolveRecord } from './resolve.js';

/** Receives what one chunk holds; offsets are absolute file offsets. */
export interface ChunkSink {
  record(root: RElement, header: EvtxRecordHeader, fileOffset: number): void;
  problem(code: string, message: string, fileOffset: number, record?: number): void;
}

export interface ChunkStats {
  records: number;
  badRecords: number;
  skipped: boolean;
}

function describe(err: unknown): { code: string; message: string; offset?: number } {
  if (err instanceof EvtxFormatError) return { code: err.code, message: err.message, offset: err.offset };
  if (err instanceof RangeError) return { code: 'evtx.truncated', message: err.message };
  return { code: 'evtx.internal', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Reads every record of one 64 KiB chunk (libyal EVTX notes "Chunk"). A damaged record is
 * reported and skipped; its size field (checked against the trailing copy) leads to the next one.
 * A bad checksum is reported but the records are still read: in dirty files the last chunk is
 * often written without an updated checksum, and each record is validated on its own.
 */
export function readChunk(buf: Buffer, chunkOffset: number, sink: ChunkSink): ChunkStats {
  const stats: ChunkStats = { records: 0, badRecords: 0, skipped: false };
  if (isEmptyChunk(buf)) {
    stats.skipped = true;
    return stats;
  }
  let header;
  try {
    header = parseChunkHeader(buf);
  } catch (err) {
    const d = describe(err);
    sink.problem(d.code, `chunk skipped: ${d.message}`, chunkOffset);
    stats.skipped = true;
    return stats;
  }
  if (!header.headerChecksumValid) {
    sink.problem('evtx.chunk-header-checksum', 'chunk header checksum mismatch (records are still read)', chunkOffset + 124);
  }
  const free = header.freeSpaceOffset;
  const limit = free >= CHUNK_HEADER_SIZE && free <= CHUNK_SIZE ? Math.min(free, buf.length) : buf.length;
  if (header.headerChecksumValid && !header.recordsChecksumValid) {
    sink.problem('evtx.chunk-records-checksum', 'chunk record data checksum mismatch (records are still read)', chunkOffset + 52);
  }
  const parser = new ChunkParser(buf);
  let off = CHUNK_HEADER_SIZE;
  while (off + 4 <= limit) {
    let rec: EvtxRecordHeader;
    try {
      rec = parseRecordHeader(buf, off, limit);
    } catch (err) {
      // Zero bytes after the last record are unused space, not damage.
      if (buf.readUInt32LE(off) === 0) break;
      const d = describe(err);
      sink.problem(d.code, `${d.message}; rest of the chunk skipped`, chunkOffset + off);
      stats.badRecords++;
      break;
    }
    try {
      const nodes = parser.parseRecord(rec.dataStart, rec.dataEnd);
      const root = resolveRecord(nodes);
      stats.records++;
      sink.record(root, rec, chunkOffset + off);
    } catch (err) {
      const d = describe(err);
      const at = d.offset !== undefined && d.offset >= off && d.offset < off + rec.size ? d.offset : off;
      sink.problem(d.code, `record ${rec.recordId}: ${d.message}`, chunkOffset + at, rec.recordId);
      stats.badRecords++;
    }
    off += rec.size;
  }
  return stats;
}
