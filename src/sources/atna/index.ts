/** atna/: DICOM PS3.15 A.5 / IHE ATNA audit messages (XML parser independent of syslog framing). */
export { parseAuditMessage, findAuditPayload } from './xml.js';
export type { AtnaMessage, AtnaParticipant, AtnaObject, AtnaResult, CodedValue } from './xml.js';
export { atnaReader, syslogLineItem, ATNA_FORMAT } from './reader.js';
