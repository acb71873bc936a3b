/**
 * The real Closeloop backend for the plugin's tests, in this process: the local Salesforce (real
 * HTTP, from server/dist/emulator), the sandbox ERP on an in-memory PGlite store, and the backend
 * started through the same composition root as `npm start` (server/dist/closeloop.js), as
 * server/test/support/harness.ts does. The server is CommonJS built by globalSetup; only the few
 * members the tests use are typed here.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const API_TOKEN = 'plugin-test-token-0123456789abcd';

interface Money {
  amount: string;
  currency: string;
}

interface LocalOrg {
  insert(type: string, fields: Record<string, unknown>): string;
  update(type: string, id: string, fields: Record<string, unknown>, options?: { force?: boolean }): void;
  get(type: string, id: string): Record<string, unknown> | undefined;
}

interface LocalSalesforce {
  url: string;
  clientId: string;
  clientSecret: string;
  org: LocalOrg;
  close(): Promise<void>;
}

interface Store {
  close(): Promise<void>;
}

interface SandboxErp {
  upsertProduct(product: { code: string; name: string; listPrice: Money }): Promise<void>;
  createCustomer(customer: { name: string; externalRef: string; countryCode?: string }): Promise<{ id: string }>;
  /** false: every ERP call fails as an outage would. */
  setAvailable(available: boolean): void;
}

interface Closeloop {
  url: string;
  close(): Promise<void>;
}

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'server', 'dist');
const load = <T>(file: string) => import(path.join(dist, file)) as Promise<T>;

/** The backend's API with the test token; null for a 404. */
async function api(url: string, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${API_TOKEN}` } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<unknown>;
}

/** Polls until `check` holds, or fails the test after 20 s. */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TestBackend {
  url: string;
  token: string;
  sf: LocalSalesforce;
  erp: SandboxErp;
  /** A Closed-Won deal with one line of `productCode`; returns the Opportunity Id. */
  seedWonDeal(productCode: string, amount?: number): string;
  /** A product the ERP sells (a deal for a code it lacks fails: unknown product). */
  addProduct(code: string, price?: string): Promise<void>;
  /** A booking that failed every attempt while the ERP was down (the ERP is back after). */
  makeDeadLetter(productCode: string): Promise<{ jobId: number; opportunityId: string }>;
  /** The deal's booking status as the backend reports it (GET /v1/opportunities/{id}/billing). */
  bookingStatus(opportunityId: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function startTestBackend(): Promise<TestBackend> {
  const { startLocalSalesforce } = await load<{ startLocalSalesforce(): Promise<LocalSalesforce> }>(
    'emulator/salesforce/index.js',
  );
  const { createPgliteStore } = await load<{ createPgliteStore(): Promise<Store> }>('store/db.js');
  const { migrate } = await load<{ migrate(store: Store): Promise<void> }>('store/migrate.js');
  const { SandboxErp } = await load<{ SandboxErp: new (store: Store) => SandboxErp }>('erp/sandbox/sandboxErp.js');
  const { loadConfig } = await load<{ loadConfig(env: Record<string, string>): unknown }>('config.js');
  const { silentLogger } = await load<{ silentLogger: unknown }>('log.js');
  const { startCloseloop } = await load<{
    startCloseloop(
      config: unknown,
      log: unknown,
      options: { store: Store; erp: SandboxErp; schedules: boolean },
    ): Promise<Closeloop>;
  }>('closeloop.js');

  const sf = await startLocalSalesforce();
  const store = await createPgliteStore();
  await migrate(store);
  const erp = new SandboxErp(store);
  const config = loadConfig({
    PORT: '0',
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: API_TOKEN,
    BOOKINGS_SINCE: '2020-01-01',
    // Quick retries so an ERP outage makes a dead letter within a second.
    JOB_BACKOFF_BASE_MS: '50',
    JOB_BACKOFF_MAX_MS: '200',
    JOB_MAX_ATTEMPTS: '2',
    JOB_LEASE_SECONDS: '10',
  });
  const closeloop = await startCloseloop(config, silentLogger, { store, erp, schedules: false });

  function seedWonDeal(productCode: string, amount = 1200): string {
    const tag = randomUUID().replace(/-/g, '').slice(0, 10);
    const accountId = sf.org.insert('Account', {
      Name: `${tag.toUpperCase()} Ltd`,
      BillingCountry: 'United States',
      BillingPostalCode: '94105',
    });
    const opportunityId = sf.org.insert('Opportunity', {
      Name: `Deal ${tag}`,
      AccountId: accountId,
      StageName: 'Negotiation/Review',
      CloseDate: new Date().toISOString().slice(0, 10),
    });
    const productId = sf.org.insert('Product2', { Name: `Product ${tag}`, ProductCode: productCode, IsActive: true });
    sf.org.insert('OpportunityLineItem', {
      OpportunityId: opportunityId,
      Product2Id: productId,
      Quantity: 1,
      UnitPrice: amount,
      SortOrder: 1,
    });
    sf.org.update('Opportunity', opportunityId, { StageName: 'Closed Won' });
    return opportunityId;
  }

  return {
    url: closeloop.url,
    token: API_TOKEN,
    sf,
    erp,
    seedWonDeal,
    async addProduct(code, price = '1200.00') {
      await erp.upsertProduct({ code, name: `Product ${code}`, listPrice: { amount: price, currency: 'USD' } });
    },
    async makeDeadLetter(productCode) {
      const opportunityId = seedWonDeal(productCode);
      erp.setAvailable(false);
      try {
        const booked = await api(closeloop.url, 'POST', `/v1/opportunities/${opportunityId}/book`);
        const jobId = (booked as { job: { id: number } }).job.id;
        await until(async () => {
          const page = (await api(closeloop.url, 'GET', '/v1/sync/dead-letters')) as { items: Array<{ id: number }> };
          return page.items.some((job) => job.id === jobId);
        }, `job ${jobId} to become a dead letter`);
        return { jobId, opportunityId };
      } finally {
        erp.setAvailable(true);
      }
    },
    async bookingStatus(opportunityId) {
      const billing = (await api(closeloop.url, 'GET', `/v1/opportunities/${opportunityId}/billing`)) as {
        bookingStatus?: string;
      } | null;
      return billing?.bookingStatus ?? null;
    },
    async close() {
      await closeloop.close();
      await store.close();
      await sf.close();
    },
  };
}
