export { PhiGuard, formatFindings } from './guard.js';
export type { PhiFinding, PhiResult } from './guard.js';
export { DEFAULT_MRN_PATTERNS } from './detectors.js';
export type { PhiConfig, PhiKind } from './detectors.js';
export { anonymize, anonymousIdentity, ANONYMOUS_IDENTITY_ID } from './anonymize.js';
