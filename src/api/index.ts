/** api/: REST /api/v1 (Hono), auth, OpenAPI; TAXII 2.1 lives in taxii/. */
export { createApiApp } from './app.js';
export type { ApiDeps, Principal, IngestSink, IngestRecord, RawLines, Admission, RuleCatalog, RuleInfo, IncidentWorkflow, Metrics, IngestLimits } from './deps.js';
export { DEFAULT_LIMITS } from './deps.js';
export { hashPassword, verifyPassword, newToken, hashToken, tokenPrefix, passwordProblem } from './auth.js';
export { parseBatch, parseBatchBytes, readBody, readBodyBytes } from './batch.js';
export type { BatchError, BatchResult, BytesBatchResult } from './batch.js';
export { openApiDocument } from './openapi.js';
// TAXII 2.1 server (api/taxii), renamed where names would collide with the REST API's.
export { createTaxiiApp, StoreTaxiiAuth, startTaxiiServer, openTaxiiStore, TAXII_DB, randomAdminToken, TAXII_MEDIA, STIX_MEDIA } from './taxii/index.js';
export { hashSecret as hashTaxiiSecret, newToken as newTaxiiToken } from './taxii/index.js';
export type { TaxiiAppOptions, TaxiiAuth, Principal as TaxiiPrincipal, TaxiiServerOptions, RunningTaxiiServer } from './taxii/index.js';
