/** MISP interop: MISP events and feeds → STIX 2.1, and STIX → MISP event. */
export { mispEventToStix, unwrapMispEvent, isMispEvent, type MispImportReport, type MispImportResult } from './import.js';
export { stixToMispEvent, type MispExportReport } from './export.js';
export { mispFeedToStix, parseMispHashesCsv, type MispFeedInput, type MispFeedResult, type MispFeedProblem } from './feed.js';
export { MISP_TYPE_PATHS, PATH_TO_MISP_TYPE, attributePaths } from './mapping.js';
export type { MispEvent, MispAttribute, MispObject, MispTag } from './types.js';
