import { open, stat } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Problem } from '../../util/index.js';
import type { ReadOptions, SourceItem } from '../types.js';
import { CHUNK_SIZE } from './chunk-header.js';
import { readChunk, type ChunkSink } from './chunk.js';
import { EvtxFormatError } from './cursor.js';
import { FILE_HEADER_SIZE, parseFileHeader, type EvtxFileHeader } from './file-header.js';
import { renderJson } from './json.js';
import type { RElement } from './model.js';
import type { EvtxRecordHeader } from './record.js';

export interface EvtxFileSummary {
  header?: EvtxFileHeader;
  records: number;
  badRecords: number;
  problems: number;
  chunks: number;
}

export interface EvtxVisitor {
  record(root: RElement, header: EvtxRecordHeader, fileOffset: number): void;
  problem(problem: Problem): void;
}

const READ_CHUNKS = 16;

function chunkBase(header: EvtxFileHeader): number {
  // The header block size says where chunks start; anything but 4096 is damage, so fall back.
  return header.chunkDataOffset >= 128 && header.chunkDataOffset <= FILE_HEADER_SIZE ? header.chunkDataOffset : FILE_HEADER_SIZE;
}

function sinkFor(file: string, v: EvtxVisitor, summary: EvtxFileSummary): ChunkSink {
  return {
    record: v.record,
    problem(code, message, offset, record) {
      summary.problems++;
      v.problem({ code, message, location: record === undefined ? { file, offset } : { file, offset, record } });
    },
  };
}

/**
 * Synchronous streaming walk over one file, chunk by chunk from the file descriptor: memory stays
 * one 64 KiB chunk plus that chunk's caches, whatever the file size. `chunkFrom`/`chunkTo` select
 * a chunk range, so workers can split one big file.
 */
export function walkEvtxFileSync(
  file: string,
  v: EvtxVisitor,
  range?: { chunkFrom: number; chunkTo: number },
): EvtxFileSummary {
  const summary: EvtxFileSummary = { records: 0, badRecords: 0, problems: 0, chunks: 0 };
  const sink = sinkFor(file, v, summary);
  // File-level problems are reported by the range that starts the file, not once per range.
  const firstRange = !range || range.chunkFrom === 0;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(FILE_HEADER_SIZE);
    const got = readSync(fd, head, 0, FILE_HEADER_SIZE, 0);
    let header: EvtxFileHeader;
    try {
      header = parseFileHeader(head.subarray(0, got));
    } catch (err) {
      if (firstRange) sink.problem((err as EvtxFormatError).code ?? 'evtx.file-header', (err as Error).message, 0);
      return summary;
    }
    summary.header = header;
    if (!header.checksumValid && firstRange) sink.problem('evtx.file-header-checksum', 'file header checksum mismatch (chunks are still read)', 124);
    const base = chunkBase(header);
    const total = Math.ceil(Math.max(0, size - base) / CHUNK_SIZE);
    const from = range?.chunkFrom ?? 0;
    const to = Math.min(range?.chunkTo ?? total, total);
    // Read 16 chunks (1 MiB) per system call; memory stays constant whatever the file size.
    const block = Buffer.allocUnsafe(CHUNK_SIZE * READ_CHUNKS);
    for (let i = from; i < to; i += READ_CHUNKS) {
      const count = Math.min(READ_CHUNKS, to - i);
      const got = readSync(fd, block, 0, count * CHUNK_SIZE, base + i * CHUNK_SIZE);
      for (let k = 0; k < count; k++) {
        const off = base + (i + k) * CHUNK_SIZE;
        const buf = block.subarray(k * CHUNK_SIZE, (k + 1) * CHUNK_SIZE);
        const n = Math.max(0, Math.min(CHUNK_SIZE, got - k * CHUNK_SIZE));
        if (n < CHUNK_SIZE) {
          buf.fill(0, n);
          sink.problem('evtx.file-truncated', `file ends ${n} bytes into chunk ${i + k} (a chunk is ${CHUNK_SIZE} bytes)`, off + n);
        }
        const st = readChunk(buf, off, sink);
        summary.chunks++;
        summary.records += st.records;
        summary.badRecords += st.badRecords;
      }
    }
  } finally {
    closeSync(fd);
  }
  return summary;
}

/** Number of chunk slots in a file (for splitting work). */
export async function evtxChunkCount(file: string): Promise<number> {
  const size = (await stat(file)).size;
  return Math.max(0, Math.ceil((size - FILE_HEADER_SIZE) / CHUNK_SIZE));
}

/**
 * The SourceReader body: yields batches of `{kind:'record', data: <evtx_dump JSON>}` and
 * `{kind:'problem'}` items. Reads asynchronously, one chunk at a time.
 */
export async function* readEvtx(file: string, options: ReadOptions = {}): AsyncGenerator<SourceItem[]> {
  const batchSize = options.batchSize ?? 512;
  let batch: SourceItem[] = [];
  const summary: EvtxFileSummary = { records: 0, badRecords: 0, problems: 0, chunks: 0 };
  const sink = sinkFor(
    file,
    {
      record(root, header, fileOffset) {
        batch.push({ kind: 'record', data: renderJson(root), loc: { file, record: header.recordId, offset: fileOffset }, format: 'evtx' });
      },
      problem(problem) {
        batch.push({ kind: 'problem', problem });
      },
    },
    summary,
  );
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    yield [{ kind: 'problem', problem: { code: 'evtx.open', message: (err as Error).message, location: { file } } }];
    return;
  }
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(FILE_HEADER_SIZE);
    const { bytesRead } = await fh.read(head, 0, FILE_HEADER_SIZE, 0);
    let header: EvtxFileHeader;
    try {
      header = parseFileHeader(head.subarray(0, bytesRead));
    } catch (err) {
      sink.problem((err as EvtxFormatError).code ?? 'evtx.file-header', (err as Error).message, 0);
      yield batch;
      return;
    }
    if (!header.checksumValid) sink.problem('evtx.file-header-checksum', 'file header checksum mismatch (chunks are still read)', 124);
    const base = chunkBase(header);
    const block = Buffer.allocUnsafe(CHUNK_SIZE * READ_CHUNKS);
    for (let blockOff = base; blockOff < size; blockOff += block.length) {
      if (options.signal?.aborted) break;
      const { bytesRead } = await fh.read(block, 0, block.length, blockOff);
      for (let k = 0; k * CHUNK_SIZE < Math.min(block.length, size - blockOff); k++) {
        const off = blockOff + k * CHUNK_SIZE;
        const buf = block.subarray(k * CHUNK_SIZE, (k + 1) * CHUNK_SIZE);
        const n = Math.max(0, Math.min(CHUNK_SIZE, bytesRead - k * CHUNK_SIZE));
        if (n < CHUNK_SIZE) {
          buf.fill(0, n);
          sink.problem('evtx.file-truncated', `file ends ${n} bytes into a chunk (a chunk is ${CHUNK_SIZE} bytes)`, off + n);
        }
        readChunk(buf, off, sink);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length) yield batch;
  } finally {
    await fh.close();
  }
}
