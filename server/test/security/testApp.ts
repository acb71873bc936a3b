/** The API's Express app on a PGlite store, its outside parts replaced by what each test needs. */
import type { Express, RequestHandler } from 'express';
import type { HttpLimits } from '../../src/config';
import { DEFAULT_HTTP_LIMITS } from '../../src/config';
import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import { createApp } from '../../src/http/app';
import type { SyncStatusExtras } from '../../src/http/routes/sync';
import { JobQueue } from '../../src/jobs/queue';
import { silentLogger, type Logger } from '../../src/log';
import { Metrics } from '../../src/metrics';
import { Salesforce } from '../../src/salesforce/salesforce';
import type { Store } from '../../src/store/db';

export const TOKENS = ['security-test-token-current-0123', 'security-test-token-next-456789'];

export interface TestAppOptions {
  limits?: Partial<HttpLimits>;
  status?: Partial<SyncStatusExtras>;
  preview?: RequestHandler;
  log?: Logger;
  /** The org's default currency (a hook for a request that waits on Salesforce). */
  defaultCurrency?: () => Promise<string>;
}

export function testApp(store: Store, options: TestAppOptions = {}): Express {
  const erp = new SandboxErp(store);
  // Never reached by these tests (no login happens until a call is made); present so /backfill is mounted.
  const salesforce = new Salesforce({
    loginUrl: 'http://127.0.0.1:9',
    apiVersion: '62.0',
    auth: { flow: 'client_credentials', clientId: 'x', clientSecret: 'y' },
  });
  return createApp({
    store,
    queue: new JobQueue(store, { leaseSeconds: 30, maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 5000 }),
    metrics: new Metrics(),
    refreshGauges: async () => undefined,
    pulse: { store, erp, defaultCurrency: options.defaultCurrency ?? (async () => 'USD') },
    backfill: { store, erp, salesforce },
    apiTokens: TOKENS,
    log: options.log ?? silentLogger,
    version: 'test',
    readiness: { store: async () => undefined },
    preview: options.preview,
    limits: { ...DEFAULT_HTTP_LIMITS, ...options.limits },
    status: {
      sweepFinancials: async () => ({ status: 'skipped', reason: 'not in this test' }),
      syncOpportunities: async () => ({ read: 0, deleted: 0, rates: 0 }),
      erpKind: 'sandbox',
      bookingsSince: '2026-01-01',
      schedules: { bookings: '* * * * *', financials: '* * * * *', opportunities: '*/5 * * * *' },
      salesforceApiUsage: () => undefined,
      ...options.status,
    },
  });
}
