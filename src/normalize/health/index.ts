/** normalize/health: layouts for FHIR AuditEvent, ATNA, HL7 v2 and EHR access logs. */
export { fhirAuditLayout } from './fhir.js';
export { atnaLayout } from './atna.js';
export { hl7Layout } from './hl7.js';
export { ehrAccessLayout } from './ehr.js';
export { networkScope } from './common.js';
