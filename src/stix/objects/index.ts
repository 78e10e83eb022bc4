/** STIX 2.1 objects: types, validation, deterministic SCO ids, versions. */
export type * from './types.js';
export { validateObject, validateBundle, formatIssue, isTimestamp, isIdentifier, type ValidationIssue, type ValidationResult } from './validate.js';
export { scoId, uuidv5, SCO_NAMESPACE, ID_CONTRIBUTING_PROPERTIES } from './scoid.js';
export { canonicalize } from './jcs.js';
export { TYPES as STIX_TYPES, SDO_TYPE_NAMES, type TypeSpec } from './schema.js';
export { isIndicator, isSighting, isRelationship, isObservedData, isReport, isMarkingDefinition, isBundle, isStixObject, isSdo, isSro, isSco } from './guards.js';
export { latestVersions, compareVersions, versionKey, isRevoked, isValidAt } from './versions.js';
export { upgradeFrom20, isStix20 } from './upgrade.js';
