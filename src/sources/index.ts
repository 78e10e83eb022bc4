/**
 * sources/: read and parse inputs into SourceItems. Readers register by the name users write;
 * see registry.ts. Each format lives in its own folder (json/, evtx/, syslog/, fhir/, …).
 */
export type { SourceItem, SourceReader, ReadOptions, LineScreen } from './types.js';
export { registerReader, getReader, listReaders, sniffReader } from './registry.js';
export { parseSyslog, syslogRecord, syslogReader } from './syslog/index.js';
export type { SyslogMessage, SyslogResult, SyslogParseOptions } from './syslog/index.js';
import { syslogReader as syslogReaderForRegistry } from './syslog/index.js';
import { registerReader as registerSyslogReader } from './registry.js';
registerSyslogReader(syslogReaderForRegistry);
// Health sources (FHIR AuditEvent, DICOM/ATNA, HL7 v2, EHR access logs). They sniff content, so
// they are safe ahead of generic JSON/CSV readers; ATNA-over-syslog also works through the
// syslog reader (the `atna` layout parses the XML in its message).
export { fhirAuditReader, readLines, Batcher, extOf } from './fhir/index.js';
export type { Line } from './fhir/index.js';
export { atnaReader, parseAuditMessage, findAuditPayload, syslogLineItem } from './atna/index.js';
export type { AtnaMessage, AtnaParticipant, AtnaObject, AtnaResult, CodedValue } from './atna/index.js';
export { hl7Reader, parseHl7, unescapeHl7, escapeHl7, component, repetitions, hl7Time, splitMessages, startMllpListener, mllpFrame, DEFAULT_ENCODING } from './hl7/index.js';
export type { Hl7Encoding, Hl7Message, Hl7Segment, Hl7Result, MllpOptions, MllpListener } from './hl7/index.js';
export { ehrAccessReader, mappingFor, parseCsvRecord } from './ehr/index.js';
import { fhirAuditReader as healthFhirReader } from './fhir/index.js';
import { atnaReader as healthAtnaReader } from './atna/index.js';
import { hl7Reader as healthHl7Reader } from './hl7/index.js';
import { ehrAccessReader as healthEhrReader } from './ehr/index.js';
import { registerReader as registerHealthReader } from './registry.js';
registerHealthReader(healthFhirReader);
registerHealthReader(healthAtnaReader);
registerHealthReader(healthHl7Reader);
registerHealthReader(healthEhrReader);
// EVTX (MS-EVEN6 BinXml): evtx/index.ts registers the `evtx` reader (sniffs "ElfFile\0") on import.
export { evtxReader, readEvtx, walkEvtxFileSync, evtxChunkCount, renderJson as renderEvtxJson, renderXml as renderEvtxXml } from './evtx/index.js';
export type { EvtxFileSummary, EvtxVisitor, RElement as EvtxElement } from './evtx/index.js';
// Generic JSON (JSONL/NDJSON, arrays, concatenated objects): tried after every specific reader.
export { jsonReader, JsonLineScanner, JsonStringReader, type JsonScanSink, DECLINE, INVALID, jsonEscape, skipJsonString } from './json/index.js';
import { jsonReader as genericJsonReader } from './json/index.js';
import { registerReader as registerJsonReader } from './registry.js';
registerJsonReader(genericJsonReader);
export { dumpEvtx, type DumpFormat, type DumpInput, type DumpOptions, type DumpTotals } from './evtx/index.js';
export { splitInputs as splitEvtxInputs } from './evtx/index.js';
