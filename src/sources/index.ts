/**
 * sources/: read and parse inputs into SourceItems. Readers register by the name users write;
 * see registry.ts. Each format lives in its own folder (json/, evtx/, syslog/, fhir/, …).
 */
export type { SourceItem, SourceReader, ReadOptions } from './types.js';
export { registerReader, getReader, listReaders, sniffReader } from './registry.js';
export { parseSyslog, syslogRecord, syslogReader } from './syslog/index.js';
export type { SyslogMessage, SyslogResult, SyslogParseOptions } from './syslog/index.js';
import { syslogReader as syslogReaderForRegistry } from './syslog/index.js';
import { registerReader as registerSyslogReader } from './registry.js';
registerSyslogReader(syslogReaderForRegistry);
// EVTX (MS-EVEN6 BinXml): evtx/index.ts registers the `evtx` reader (sniffs "ElfFile\0") on import.
export { evtxReader, readEvtx, walkEvtxFileSync, evtxChunkCount, renderJson as renderEvtxJson, renderXml as renderEvtxXml } from './evtx/index.js';
export type { EvtxFileSummary, EvtxVisitor, RElement as EvtxElement } from './evtx/index.js';
