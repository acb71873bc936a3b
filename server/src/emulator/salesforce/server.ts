/** Starts the local Salesforce org on a real port and hands back its controls. */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { QueryCursors } from './cursors';
import type { ValidationRule } from './dml';
import { Tokens } from './http/auth';
import { createApp } from './http/app';
import { Faults, Meter, type ApiCallCounts, type FaultSpec } from './http/metering';
import { Org, type LocalOrg } from './org';

export interface LocalSalesforceOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Accepted client credentials (defaults 'closeloop-local' / 'closeloop-local-secret'). */
  clientId?: string;
  clientSecret?: string;
  /** Access tokens answer INVALID_SESSION_ID after this long (default 2 h). */
  tokenTtlMs?: number;
  /** When true, Account, Opportunity and OpportunityLineItem have CurrencyIsoCode (default false). */
  multiCurrency?: boolean;
  /** Organization.DefaultCurrencyIsoCode (default 'USD'). */
  defaultCurrency?: string;
  /** Currencies of a multi-currency org (default USD, EUR, GBP, CAD, AUD, JPY, CHF plus the default). */
  currencies?: string[];
  /** Records per query page before nextRecordsUrl (default 2000). */
  queryBatchSize?: number;
  /** SFDX source whose custom fields and objects the org has (default: the repository's force-app). */
  forceAppDir?: string;
  /** Daily API request limit reported in Sforce-Limit-Info (default 15000). */
  dailyApiLimit?: number;
  /** The org's clock: timestamps, token expiry, date literals (default: real time). */
  clock?: () => Date;
}

export interface LocalSalesforce {
  /** Base URL (http://127.0.0.1:PORT): both the login URL and the instance URL. */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seeding and inspection in-process (no API calls counted). */
  readonly org: LocalOrg;
  /** REST API calls under /services/data since start or the last resetApiCalls(). */
  readonly apiCalls: ApiCallCounts;
  /** POSTs to /services/oauth2/token since start or the last resetApiCalls(). */
  readonly tokenRequests: number;
  resetApiCalls(): void;
  /** Every access token issued so far now answers 401 INVALID_SESSION_ID. */
  expireAllTokens(): void;
  /** The next `count` matching data requests fail with this status and error body. */
  failNext(count: number, fault: FaultSpec): void;
  /** While on, every data request answers 403 REQUEST_LIMIT_EXCEEDED. */
  setRequestLimitExceeded(on: boolean): void;
  /** A validation rule: writes whose resulting record makes `predicate` return a message fail with FIELD_CUSTOM_VALIDATION_EXCEPTION. Returns a function that removes the rule. */
  rejectRecords(type: string, predicate: ValidationRule): () => void;
  /** Drops pending failNext faults and the request-limit switch. */
  clearFaults(): void;
  close(): Promise<void>;
}

const DEFAULT_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF'];

/** `<repo>/force-app`, found by walking up from this file (works from src/ under ts and from dist/). */
export function defaultForceAppDir(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'force-app');
    if (existsSync(path.join(dir, 'sfdx-project.json')) && existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`local Salesforce: no force-app found above ${start}`);
  }
}

export async function startLocalSalesforce(options: LocalSalesforceOptions = {}): Promise<LocalSalesforce> {
  const clock = options.clock ?? (() => new Date());
  const defaultCurrency = options.defaultCurrency ?? 'USD';
  const currencies = [...new Set([defaultCurrency, ...(options.currencies ?? DEFAULT_CURRENCIES)])];
  const org = new Org({
    multiCurrency: options.multiCurrency ?? false,
    defaultCurrency,
    currencies,
    forceAppDir: options.forceAppDir ?? defaultForceAppDir(),
    clock,
  });
  const clientId = options.clientId ?? 'closeloop-local';
  const clientSecret = options.clientSecret ?? 'closeloop-local-secret';
  const tokens = new Tokens(
    { clientId, clientSecret, tokenTtlMs: options.tokenTtlMs ?? 2 * 60 * 60 * 1000, clock },
    org.orgId,
  );
  const meter = new Meter();
  const faults = new Faults();
  const app = createApp({
    org,
    tokens,
    meter,
    faults,
    cursors: new QueryCursors(org.ids),
    queryBatchSize: options.queryBatchSize ?? 2000,
    dailyApiLimit: options.dailyApiLimit ?? 15000,
  });
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    clientId,
    clientSecret,
    org,
    get apiCalls() {
      return meter.snapshot();
    },
    get tokenRequests() {
      return meter.tokenRequests;
    },
    resetApiCalls: () => meter.reset(),
    expireAllTokens: () => tokens.expireAll(),
    failNext: (count, fault) => faults.add(count, fault),
    setRequestLimitExceeded: (on) => {
      faults.limitExceeded = on;
    },
    rejectRecords: (type, predicate) => org.addRule(type, predicate),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
