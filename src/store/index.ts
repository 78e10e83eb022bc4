/** store/: storage interfaces and implementations (application store; STIX store under stix/). */
export * from './app/index.js';
export { SqliteAppStore } from './sqlite-app/index.js';
export type { SqliteStoreOptions } from './sqlite-app/index.js';
export * from './stix/index.js';
export { PostgresAppStore } from './pg-app/index.js';
