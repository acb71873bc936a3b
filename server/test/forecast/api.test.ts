/**
 * The forecast end to end through the running backend: a deal closes won, is booked, invoiced
 * and paid in the ERP; after a sweep and an opportunity sync the dashboard shows the cash.
 */
import { forecastVsActualView } from '../../src/forecast/view';
import { money } from '../../src/money';
import { sandboxFixture } from '../support/erpFixtures';
import { API_TOKEN, seedDeal, startHarness, type Harness } from '../support/harness';
import { pgliteStore } from '../support/stores';

let h: Harness;
let erp: ReturnType<typeof sandboxFixture>;
const month = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  const store = await pgliteStore();
  erp = sandboxFixture(store);
  await erp.ensureProduct('FVA-1', 'Forecast item', money('250.00', 'USD'));
  h = await startHarness({ store, erp });
});
afterAll(async () => {
  await h?.close();
  await h?.store.close();
});

const dashboard = (query: string) => h.api('GET', `/v1/dashboards/forecast-vs-actual?${query}`);

test('closed won → booked → paid: the month shows it booked, invoiced and collected', async () => {
  const won = seedDeal(h.sf, { lines: [{ code: 'FVA-1', quantity: 4, unitPrice: 250 }] });
  seedDeal(h.sf, { stage: 'Prospecting', lines: [{ code: 'FVA-1', quantity: 2, unitPrice: 250 }] });
  await h.api('POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId: won.opportunityId });
  expect(await h.waitForBooking(won.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
  const [sale] = await h.salesFor(won.opportunityId);
  await erp.payInvoice(sale!.invoiceIds[0]!, money('400.00', 'USD'));
  await h.closeloop.sweepFinancials();
  const synced = await h.api('POST', '/v1/sync/opportunities');
  expect(synced).toMatchObject({ status: 200, body: { read: 2 } });

  const res = await dashboard(`from=${month}&to=${month}`);
  expect(res.status).toBe(200);
  const view = forecastVsActualView.parse(res.body);
  expect(view.groups).toHaveLength(1);
  expect(view.groups[0]).toMatchObject({
    key: month,
    currency: 'USD',
    deals: { open: 1, won: 1, lost: 0 },
    pipeline: { amount: '500.00', currency: 'USD' },
    weightedPipeline: { amount: '50.00', currency: 'USD' },
    booked: { amount: '1000.00', currency: 'USD' },
    invoiced: { amount: '1000.00', currency: 'USD' },
    paid: { amount: '400.00', currency: 'USD' },
    openReceivable: { amount: '600.00', currency: 'USD' },
    collectionRate: 0.4,
  });
  expect(view.opportunitiesAsOf).not.toBeNull();
  expect(view.financialsAsOf).not.toBeNull();

  const status = (await h.api('GET', '/v1/sync/status')).body as { opportunities: { lastSync: { found: number } } };
  expect(status.opportunities.lastSync.found).toBe(2);

  // Finance collects the rest: the sweep alone brings it to the dashboard, no new opportunity sync.
  await erp.payInvoice(sale!.invoiceIds[0]!, money('600.00', 'USD'));
  await h.closeloop.sweepFinancials();
  const after = forecastVsActualView.parse((await dashboard(`from=${month}&to=${month}`)).body);
  expect(after.groups[0]).toMatchObject({
    paid: { amount: '1000.00', currency: 'USD' },
    openReceivable: { amount: '0.00', currency: 'USD' },
    collectionRate: 1,
    paidOnTimeRate: 1,
  });
});

test.each([
  ['from=2026-13&to=2026-12', 'from'],
  ['from=2026-07', 'to'],
  ['from=2026-09&to=2026-07', 'to'],
  ['from=2026-Q3&to=2026-Q4', 'from'], // quarters need grain=quarter
  ['from=2020-01&to=2026-12', 'to'], // over 60 periods
  ['from=0000-01&to=0000-02', 'from'], // not a date PostgreSQL (or anyone) keeps
  ['from=2026-07&to=2026-09&grain=week', 'grain'],
  ['from=2026-07&to=2026-09&groupBy=region', 'groupBy'],
  ['from=2026-07&to=2026-09&ownerId=001000000000001AAA', 'ownerId'],
  ["from=2026-07&to=2026-09&ownerId=' OR Name != '", 'ownerId'],
  ['from=2026-07&to=2026-09&leadSource=Web%00', 'leadSource'],
  ['from=2026-07&to=2026-09&convert=yes', 'convert'],
  ['from=2026-07&to=2026-09&bogus=1', ''],
])('%s → 400 naming %s', async (query, field) => {
  const res = await dashboard(query);
  expect(res.status).toBe(400);
  expect((res.body as { error: { field: string } }).error.field).toBe(field || 'query');
});

test('convert in a single-currency org: 422 that says why', async () => {
  const res = await dashboard(`from=${month}&to=${month}&convert=true`);
  expect(res).toMatchObject({ status: 422, body: { error: { code: 'NO_RATES', field: 'convert' } } });
});

test('no token, no dashboard', async () => {
  const res = await fetch(`${h.closeloop.url}/v1/dashboards/forecast-vs-actual?from=2026-07&to=2026-09`);
  expect(res.status).toBe(401);
  const wrong = await fetch(`${h.closeloop.url}/v1/dashboards/forecast-vs-actual?from=2026-07&to=2026-09`, {
    headers: { Authorization: `Bearer ${API_TOKEN}x` },
  });
  expect(wrong.status).toBe(401);
});
