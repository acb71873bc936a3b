/**
 * A whole Closeloop in one test: the local Salesforce (real HTTP), a real store, a real ERP, and
 * the backend started through the same composition root as `npm start`.
 */
import { randomUUID } from 'node:crypto';
import { startCloseloop, type Closeloop } from '../../src/closeloop';
import { loadConfig, type Config } from '../../src/config';
import type { ErpConnector, ErpSale } from '../../src/erp/connector';
import { silentLogger } from '../../src/log';
import type { Money } from '../../src/money';
import type { Store } from '../../src/store/db';
import { startLocalSalesforce, type LocalSalesforce, type LocalSalesforceOptions } from '../../src/emulator/salesforce';

export const API_TOKEN = 'test-api-token-0123456789';

/** What a test needs from an ERP besides the connector: the ERP-side admin steps. */
export interface ErpFixture {
  erp: ErpConnector;
  currency: string;
  ensureProduct(code: string, name: string, price: Money): Promise<void>;
  setCreditLimit(customerId: string, limit: Money | null): Promise<void>;
  /** Finance records a payment (the open amount unless a part is given). */
  payInvoice(invoiceId: string, amount?: Money, date?: string): Promise<void>;
  /** Finance bills the customer outside Closeloop, dated `invoiceDate` (due 30 days later). */
  issueInvoice(customerId: string, amount: Money, invoiceDate: string): Promise<string>;
  /** Makes the ERP unreachable (true) or reachable again (false). */
  setOutage(down: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface Harness {
  sf: LocalSalesforce;
  store: Store;
  erp: ErpFixture;
  closeloop: Closeloop;
  config: Config;
  /** POST to the backend's API with the test token. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Waits until the opportunity's booking job has finished (done or dead). */
  waitForBooking(opportunityId: string, timeoutMs?: number): Promise<{ status: string; outcome: string | null }>;
  salesFor(opportunityId: string): Promise<ErpSale[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  store: Store;
  erp: ErpFixture;
  salesforce?: LocalSalesforceOptions;
  env?: NodeJS.ProcessEnv;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const sf = await startLocalSalesforce(options.salesforce);
  const config = loadConfig({
    PORT: '0',
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: API_TOKEN,
    BOOKINGS_SINCE: '2020-01-01',
    JOB_BACKOFF_BASE_MS: '50',
    JOB_BACKOFF_MAX_MS: '200',
    JOB_MAX_ATTEMPTS: '3',
    JOB_LEASE_SECONDS: '10',
    ...options.env,
  });
  const closeloop = await startCloseloop(config, silentLogger, {
    store: options.store,
    erp: options.erp.erp,
    schedules: false,
  });
  const harness: Harness = {
    sf,
    store: options.store,
    erp: options.erp,
    closeloop,
    config,
    async api(method, path, body) {
      const res = await fetch(`${closeloop.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async waitForBooking(opportunityId, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await closeloop.queue.getByKey(`book:${opportunityId}`);
        if (job && (job.status === 'done' || job.status === 'dead'))
          return { status: job.status, outcome: job.outcome };
        if (Date.now() > deadline)
          throw new Error(`booking of ${opportunityId} did not finish: ${JSON.stringify(job)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    salesFor: (opportunityId) => options.erp.erp.findSalesByReference(opportunityId),
    async close() {
      await closeloop.close();
      await sf.close();
    },
  };
  return harness;
}

/** Polls `check` until it holds (for effects that follow a job's end, such as a dead-letter notice). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Seeds an account with a won (or open) opportunity and its lines; returns the ids. */
export function seedDeal(
  sf: LocalSalesforce,
  deal: {
    account?: Record<string, unknown>;
    accountId?: string;
    stage?: string;
    lines: Array<{ code: string | null; quantity: number; unitPrice: number; discount?: number }>;
    forceAmount?: number;
    closeDate?: string;
  },
): { accountId: string; opportunityId: string } {
  const tag = randomUUID().replace(/-/g, '').slice(0, 10);
  const accountId =
    deal.accountId ??
    sf.org.insert('Account', {
      Name: `${tag.toUpperCase()} Ltd`,
      BillingCountry: 'United States',
      BillingPostalCode: '94105',
      ...deal.account,
    });
  const opportunityId = sf.org.insert('Opportunity', {
    Name: `Deal ${tag}`,
    AccountId: accountId,
    StageName: 'Negotiation/Review',
    CloseDate: deal.closeDate ?? new Date().toISOString().slice(0, 10),
  });
  for (const [i, line] of deal.lines.entries()) {
    const productId = sf.org.insert('Product2', {
      Name: `Product ${line.code ?? 'none'} ${tag}`,
      ProductCode: line.code,
      IsActive: true,
    });
    sf.org.insert('OpportunityLineItem', {
      OpportunityId: opportunityId,
      Product2Id: productId,
      Quantity: line.quantity,
      UnitPrice: line.unitPrice,
      Discount: line.discount ?? null,
      SortOrder: i + 1,
    });
  }
  if (deal.forceAmount !== undefined)
    sf.org.update('Opportunity', opportunityId, { Amount: deal.forceAmount }, { force: true });
  sf.org.update('Opportunity', opportunityId, { StageName: deal.stage ?? 'Closed Won' });
  return { accountId, opportunityId };
}
