/**
 * Ward's EVTX reader (MS-EVEN6 BinXml), pure TypeScript. Registers the `evtx` SourceReader:
 * files starting with "ElfFile\0" yield evtx_dump-shaped JSON records.
 *
 * One structure per file, in reading order:
 *   file-header.ts → chunk-header.ts (+ crc32.ts) → record.ts → binxml.ts (tokens.ts, cursor.ts,
 *   values.ts, format.ts; templates cached per chunk) → resolve.ts (template instantiation,
 *   array expansion) → json.ts (evtx_dump JSON) | xml.ts.
 * chunk.ts walks one 64 KiB chunk, reader.ts streams a file (sync walker and async SourceReader),
 * parallel.ts + dump-worker.ts spread files or chunk ranges over worker threads.
 */
import { registerReader } from '../registry.js';
import type { SourceReader } from '../types.js';
import { hasFileMagic } from './file-header.js';
import { readEvtx } from './reader.js';

export const evtxReader: SourceReader = {
  name: 'evtx',
  description: 'Windows XML Event Log (.evtx, MS-EVEN6 BinXml) → evtx_dump-style JSON records',
  sniff(_path, head) {
    return hasFileMagic(head);
  },
  read(path, options) {
    return readEvtx(path, options);
  },
};

registerReader(evtxReader);

export { readEvtx, walkEvtxFileSync, evtxChunkCount, type EvtxFileSummary, type EvtxVisitor } from './reader.js';
export { renderJson } from './json.js';
export { renderXml } from './xml.js';
export { parseFileHeader, hasFileMagic, type EvtxFileHeader } from './file-header.js';
export { readChunk } from './chunk.js';
export type { RElement } from './model.js';
export { dumpEvtx, splitInputs, EvtxWorkerPool, type DumpFormat, type DumpInput, type DumpOptions, type DumpTotals } from './parallel.js';
