/** ehr/: EHR access logs (CSV/TSV/JSON Lines) with a column mapping given as YAML. */
export { ehrAccessReader, EHR_FORMAT } from './reader.js';
export { mappingFor, defaultMapping, resolveColumns, ehrTime, EHR_FIELDS } from './mapping.js';
export type { EhrMapping, EhrField } from './mapping.js';
export { parseCsvRecord } from './csv.js';
