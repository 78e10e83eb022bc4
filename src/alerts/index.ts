/** alerts/: detections → deduplicated alerts → incidents (grouping, ATT&CK timeline, workflow). */
export type { Alert, Incident, IncidentNote, IncidentPatch, IncidentStatus, TimelineEntry } from './types.js';
export { INCIDENT_STATUSES } from './types.js';
export { AlertEngine } from './engine.js';
export type { AlertEngineOptions, AlertChange } from './engine.js';
export { TACTICS, attackFromTags, tacticRank, sortTactics, techniqueUrl } from './attack.js';
export { detectionUser, detectionHost, isGenericUser, userKey, toPortable, fromPortable, eventFieldsOf } from './build.js';
export type { PortableDetection } from './build.js';
export { validatePatch, applyPatch } from './workflow.js';
export { HostDirectory, addressFacts } from './hosts.js';
