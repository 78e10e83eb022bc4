export * from './ids.js';
export * from './policy.js';
export * from './reshare.js';
