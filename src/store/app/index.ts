export * from './types.js';
export { alertSearchText, incidentSearchText, likePattern, newId } from './search.js';
export { summarizeAlerts } from './stats.js';
