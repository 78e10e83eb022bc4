/** STIX 2.1 library: objects, patterns, TLP, PHI guard, MISP (no I/O). Append exports below. */
export * from './tlp/index.js';
export * from './phi/index.js';
export * from './pattern/index.js';
export * from './objects/index.js';
export * from './misp/index.js';
