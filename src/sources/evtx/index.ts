/**
 * Ward's EVTX reader (MS-EVEN6 BinXml), pure TypeScript. Registers the `evtx` SourceReader:
 * files starting with "ElfFile\0" yield evtx_dump-shaped JSON records.
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
export { dumpEvtx, EvtxWorkerPool, type DumpFormat, type DumpInput, type DumpOptions, type DumpTotals } from './parallel.js';
