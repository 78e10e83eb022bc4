/** share/: TAXII 2.1 client, incremental pull and guarded push. */
export { TaxiiClient, TaxiiClientError, filterParams, TAXII_MEDIA } from './client.js';
export type { TaxiiCredentials, TaxiiFilter, TaxiiPage, ManifestRecord, StixObj } from './client.js';
export { pull } from './pull.js';
export type { PullOptions, PullResult } from './pull.js';
export { push, preparePush } from './push.js';
export type { PushOptions, PushResult, PreparedPush } from './push.js';
export { PullState, STATE_FILE } from './state.js';
export * from './rules-fetch/index.js';
