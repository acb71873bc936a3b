/**
 * Several workers racing for one opportunity, on PostgreSQL with real Tryton: whatever the
 * interleaving, exactly one sale is confirmed and invoiced.
 */
import { bookOpportunity } from '../../src/booking/bookOpportunity';
import { startCloseloop } from '../../src/closeloop';
import { createTrytonConnector } from '../../src/erp/tryton';
import { silentLogger } from '../../src/log';
import { money } from '../../src/money';
import { Salesforce } from '../../src/salesforce/salesforce';
import { createPostgresStore } from '../../src/store/db';
import { API_TOKEN, seedDeal, startHarness, type Harness } from '../support/harness';
import { postgresDatabase, type TestDatabase } from '../support/stores';
import { startTryton, TrytonAdmin, type RunningTryton } from '../support/tryton';

let db: TestDatabase;
let tryton: RunningTryton;
let admin: TrytonAdmin;
let h: Harness;
const CODE = `RACE-${Date.now().toString(36).toUpperCase()}`;
const trytonConfig = () => ({
  url: tryton.url,
  database: tryton.database,
  user: tryton.user,
  password: tryton.password,
});

beforeAll(async () => {
  [db, tryton] = await Promise.all([postgresDatabase(), startTryton()]);
  admin = new TrytonAdmin(tryton);
  await admin.ensureProduct(CODE, 'Race product', money('100.00', 'USD'));
  const erp = createTrytonConnector(trytonConfig());
  h = await startHarness({
    store: db.store,
    erp: {
      erp,
      currency: 'USD',
      ensureProduct: async () => undefined,
      setCreditLimit: async () => undefined,
      payInvoice: async () => undefined,
      issueInvoice: async () => Promise.reject(new Error('not used here')),
      setOutage: async () => undefined,
      close: () => erp.close(),
    },
  });
});
afterAll(async () => {
  await h?.close();
  await h?.erp.close();
  await admin?.close();
  await tryton?.stop();
  await db?.drop();
});

test('two backend instances on one PostgreSQL, each told twice, book the deal once', async () => {
  const second = await startCloseloop(h.config, silentLogger, {
    store: createPostgresStore(db.url),
    erp: createTrytonConnector(trytonConfig()),
    schedules: false,
  });
  try {
    const { opportunityId } = seedDeal(h.sf, { lines: [{ code: CODE, quantity: 3, unitPrice: 100 }] });
    const post = (base: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const event = { type: 'opportunity.closed_won', opportunityId };
    await Promise.all([
      post(h.closeloop.url, '/v1/events', event),
      post(second.url, '/v1/events', event),
      post(h.closeloop.url, `/v1/opportunities/${opportunityId}/book`, {}),
      post(second.url, `/v1/opportunities/${opportunityId}/book`, {}),
    ]);
    // A retry asked for while the job runs makes it run once more afterwards: that run finds the
    // deal booked. Either way the job ends done, and the deal is booked once.
    await h.waitForBooking(opportunityId);
    await new Promise((r) => setTimeout(r, 500));
    expect(['booked', 'already_booked']).toContain((await h.waitForBooking(opportunityId)).outcome);
    const sales = await h.salesFor(opportunityId);
    expect(sales).toHaveLength(1);
    expect(['processing', 'done']).toContain(sales[0]!.state);
    expect(h.sf.org.get('Opportunity', opportunityId)?.Booking_Status__c).toBe('Booked');
  } finally {
    await second.close();
    await second.store.close();
    await second.erp.close();
  }
});

test('three runs that bypass the queue entirely: one books, the others are told to come back, one sale and one invoice', async () => {
  const { opportunityId } = seedDeal(h.sf, { lines: [{ code: CODE, quantity: 2, unitPrice: 100 }] });
  const runs = Array.from({ length: 3 }, () => {
    const erp = createTrytonConnector(trytonConfig());
    const salesforce = new Salesforce(h.config.salesforce);
    const run = bookOpportunity(
      { sql: db.store, erp, salesforce, log: silentLogger },
      { opportunityId, trigger: 'manual' },
    );
    return { erp, salesforce, run };
  });
  const results = await Promise.allSettled(runs.map((r) => r.run));
  const booked = results.filter((r) => r.status === 'fulfilled' && r.value === 'booked');
  const refused = results.filter((r) => r.status === 'rejected');
  expect(booked).toHaveLength(1);
  for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'BOOKING_IN_PROGRESS' });

  // A refused run, retried as the queue would, finds the booking done.
  const retry = await bookOpportunity(
    { sql: db.store, erp: runs[0]!.erp, salesforce: runs[0]!.salesforce, log: silentLogger },
    { opportunityId, trigger: 'manual' },
  );
  expect(retry).toBe('already_booked');
  await Promise.all(runs.map((r) => r.erp.close()));

  const live = await h.salesFor(opportunityId);
  expect(live).toHaveLength(1);
  expect(live[0]!.invoiceIds).toHaveLength(1);
  expect(h.sf.org.get('Opportunity', opportunityId)).toMatchObject({
    Booking_Status__c: 'Booked',
    ERP_Order_Id__c: live[0]!.id,
  });
});
