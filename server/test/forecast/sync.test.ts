/**
 * The opportunity sync under failure: Salesforce drops the query cursor in the middle of a paged load. What
 * was saved stays saved (cursor and the months it touched, marked stale), and the next run
 * finishes the load and brings the dashboard's cube up to date — nothing lost, nothing twice.
 */
import { loadConfig } from '../../src/config';
import { forecastVsActual } from '../../src/forecast/dashboard';
import { forecastQuery } from '../../src/forecast/periods';
import { OPPORTUNITY_CURSOR, syncOpportunities } from '../../src/forecast/sync';
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { Salesforce } from '../../src/salesforce/salesforce';
import type { Store } from '../../src/store/db';
import { pgliteStore } from '../support/stores';

let sf: LocalSalesforce;
let salesforce: Salesforce;
let store: Store;

beforeAll(async () => {
  store = await pgliteStore();
  sf = await startLocalSalesforce({ queryBatchSize: 2 }); // five deals: three pages
  const config = loadConfig({
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: 'a-token-of-sixteen-chars',
  });
  salesforce = new Salesforce(config.salesforce);
});
afterAll(async () => {
  await sf?.close();
  await store?.close();
});

const bookedIn = async (month: string) => {
  const view = await forecastVsActual(store, forecastQuery.parse({ from: month, to: month }));
  return view.groups.map((g) => ({ won: g.deals.won, booked: g.booked.amount }));
};

test('the cursor lost on the second page: the first page is kept, the next run completes the load', async () => {
  const account = sf.org.insert('Account', { Name: 'Paged Co' });
  for (let i = 1; i <= 5; i++) {
    sf.org.insert('Opportunity', {
      Name: `Deal ${i}`,
      AccountId: account,
      StageName: 'Closed Won',
      CloseDate: '2026-05-1' + i,
      Amount: 100 * i,
    });
  }
  // The query cursor expires mid-load (Salesforce drops idle cursors after 15 minutes).
  sf.failNext(1, {
    status: 400,
    errorCode: 'INVALID_QUERY_LOCATOR',
    message: 'invalid query locator',
    match: { path: /\/query(All)?\/01g/ },
  });
  await expect(syncOpportunities(store, salesforce)).rejects.toThrow();
  sf.clearFaults();
  const [kept] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM sf_opportunities');
  expect(kept?.n).toBe(2);
  expect(await store.query('SELECT value FROM sync_cursors WHERE name = $1', [OPPORTUNITY_CURSOR])).toHaveLength(1);
  const [stale] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM forecast_stale_months');
  expect(stale?.n).toBe(1); // May 2026 waits for its rebuild

  expect(await syncOpportunities(store, salesforce)).toMatchObject({ deleted: 0 });
  expect(await bookedIn('2026-05')).toEqual([{ won: 5, booked: '1500.00' }]);
  const [left] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM forecast_stale_months');
  expect(left?.n).toBe(0);

  // Run again: the overlap re-reads and re-applies all five recent changes, and nothing is counted twice.
  expect(await syncOpportunities(store, salesforce)).toMatchObject({ read: 5 });
  expect(await bookedIn('2026-05')).toEqual([{ won: 5, booked: '1500.00' }]);
});

test('a deal moved to another month leaves the old month', async () => {
  const [deal] = sf.org.query("SELECT Id FROM Opportunity WHERE Name = 'Deal 5'").records;
  sf.org.update('Opportunity', String(deal?.Id), { CloseDate: '2026-06-02' });
  await syncOpportunities(store, salesforce);
  expect(await bookedIn('2026-05')).toEqual([{ won: 4, booked: '1000.00' }]);
  expect(await bookedIn('2026-06')).toEqual([{ won: 1, booked: '500.00' }]);
});
