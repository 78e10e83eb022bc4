/** fhir/: FHIR AuditEvent R4/R5 reader (resources, Bundles, NDJSON). */
export { fhirAuditReader, FHIR_AUDIT_FORMAT } from './reader.js';
export { readLines, Batcher, extOf } from './lines.js';
export type { Line } from './lines.js';
