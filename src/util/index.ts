export { WardError, formatLocation, problemToString } from './errors.js';
export type { Location, Problem } from './errors.js';
export { packageRoot, dataPath } from './paths.js';
export { moduleWorker } from './worker.js';
export { unitsToString, appendAll } from './codes.js';
