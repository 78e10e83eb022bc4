export { createTaxiiApp } from './app.js';
export type { TaxiiAppOptions } from './app.js';
export { StoreTaxiiAuth, principalFor } from './auth.js';
export type { Principal, TaxiiAuth, StoreAuthOptions } from './auth.js';
export { hashSecret, verifySecret, newToken, randomAdminToken } from './secrets.js';
export { TAXII_MEDIA, STIX_MEDIA } from './media.js';
export { checkObject } from './validate.js';
export { startTaxiiServer, openTaxiiStore, TAXII_DB } from './server.js';
export type { TaxiiServerOptions, RunningTaxiiServer } from './server.js';
