/** hl7/: HL7 v2 parser, file reader and MLLP listener. */
export { parseHl7, unescapeHl7, escapeHl7, component, repetitions, hl7Time, DEFAULT_ENCODING } from './parse.js';
export type { Hl7Encoding, Hl7Message, Hl7Segment, Hl7Result } from './parse.js';
export { hl7Reader, splitMessages, HL7_FORMAT } from './reader.js';
export { startMllpListener, frame as mllpFrame } from './mllp.js';
export type { MllpOptions, MllpListener } from './mllp.js';
