/** detect/intel: IOC matching of STIX indicators on WardEvents (issue 3). */
export { createIntelDetector, type IntelDetector, type IntelOptions, type IntelStats } from './detector.js';
export { compileIndicator, levelOf, tagsOf, type CompiledIndicator, type IntelProblem, type SimpleTerm } from './compile.js';
export { defaultMapping, compileMapping, pathKey, parseObjectPath, type PathMapping, type FieldSource, type Normalizer } from './mapping.js';
export { eventObservation, EventValues } from './observe.js';
export { detectionsToSightings, detectionToSighting, detectionEvidence, type SightingOptions } from './sighting.js';
export { retroHunt, retroHuntAsync } from './retro.js';
export { loadIntel, type LoadIntelResult } from './load.js';
export { IpIndex, DomainIndex, ValueIndex } from './sets.js';
