export { SqliteAppStore } from './store.js';
export type { SqliteStoreOptions } from './store.js';
