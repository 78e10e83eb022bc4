export type {
  AddOutcome, CollectionRight, ManifestEntry, NewCollection, ObjectQuery, StixPage, StixObject, StixStore, StoredVersion,
  TaxiiCollection, TaxiiToken, TaxiiUser,
} from './types.js';
export { openSqliteStixStore } from './sqlite.js';
export { openPostgresStixStore } from './postgres.js';
export { MAX_LIMIT } from './query.js';
export { toMicros, fromMicros, versionKey } from './time.js';
