/**
 * Local Salesforce: an HTTP server that answers jsforce like a real org (OAuth client
 * credentials, SOQL with paging, describe, sObject and sObject Collections writes, Salesforce's
 * error bodies), for tests, benchmarks and the demo. See README.md in this folder.
 */
export { startLocalSalesforce, defaultForceAppDir, type LocalSalesforce, type LocalSalesforceOptions } from './server';
export type { LocalOrg, SObjectRecord } from './org';
export type { ValidationRule, WriteOptions } from './dml';
export type { ApiCallCounts, ApiCategory, ApiCallRecord, FaultSpec } from './http/metering';
export { SalesforceError } from './errors';
export { normalizeId, checksum, KEY_PREFIX } from './ids';
