export { PostgresAppStore } from './store.js';
