/**
 * Forecast vs actual on a small data set whose every figure is worked out by hand below.
 * Opportunities come from the local Salesforce through the real sync (SOQL over HTTP); invoices
 * and payments are written straight into the read model, as the financial pull would leave them.
 *
 * Today is 2026-10-15. Q3 2026, by month (USD unless said):
 *   O1 Jul 10  Ana  Web               1000  Won   I1 issued Jul 12, due Aug 11, paid 400 Jul 20 + 600 Aug 1 (on time, 20 days)
 *   O2 Jul 20  Ben  Partner Referral  2000  Won   I2 issued Jul 25, due Aug 24, paid 500 Aug 30; 1500 open and overdue
 *   O3 Jul 25  Ana  Web                500  Lost
 *   O4 Aug 05  Ana  (none)       EUR  3000  Won   I4 issued Aug 10, due Sep 9, paid Sep 20 (late, 41 days)
 *   O5 Aug 15  Ben  Web               4000  open, 50 %
 *   O6 Sep 01  Ben  Web               1500  Won   I6 1500 + 150 tax issued Sep 30, due Oct 30, unpaid (not yet due); a draft of 700 (not revenue)
 *   O7 Sep 10  Ana  Partner Referral EUR 800  open, 10 %
 *   O8 Jun 30  Ana  Web               9999  Won   I8 paid — outside the range
 *
 * DSO weighs each amount by its days outstanding: a payment up to its date, open money up to today.
 * July: I1 400 × 8 + 600 × 20, I2 500 × 36 + 1500 × 82 → 156,200 / 3,000 = 52.1 days.
 */
import { loadConfig } from '../../src/config';
import { forecastVsActual } from '../../src/forecast/dashboard';
import { forecastQuery } from '../../src/forecast/periods';
import { refreshOpportunityRollups } from '../../src/forecast/rollups';
import { syncOpportunities } from '../../src/forecast/sync';
import { forecastVsActualView, type ForecastGroupView } from '../../src/forecast/view';
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { Salesforce } from '../../src/salesforce/salesforce';
import type { Store } from '../../src/store/db';
import { pgliteStore, postgresDatabase } from '../support/stores';

const TODAY = '2026-10-15';

describe.each([
  ['PGlite', async () => ({ store: await pgliteStore(), drop: async (s: Store) => s.close() })],
  [
    'PostgreSQL',
    async () => {
      const db = await postgresDatabase();
      return { store: db.store, drop: async () => db.drop() };
    },
  ],
])('forecast vs actual (%s)', (_name, open) => {
  let sf: LocalSalesforce;
  let salesforce: Salesforce;
  let store: Store;
  let drop: (s: Store) => Promise<void>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ store, drop } = await open());
    sf = await startLocalSalesforce({ multiCurrency: true });
    const config = loadConfig({
      SF_LOGIN_URL: sf.url,
      SF_CLIENT_ID: sf.clientId,
      SF_CLIENT_SECRET: sf.clientSecret,
      CLOSELOOP_API_TOKENS: 'a-token-of-sixteen-chars',
    });
    salesforce = new Salesforce(config.salesforce);
    ids.ana = sf.org.insert('User', {
      Username: 'ana@x.test',
      FirstName: 'Ana',
      LastName: 'Silva',
      Email: 'ana@x.test',
    });
    ids.ben = sf.org.insert('User', { Username: 'ben@x.test', FirstName: 'Ben', LastName: 'Cho', Email: 'ben@x.test' });
    const account = sf.org.insert('Account', { Name: 'Forecast Co' });
    const deal = (key: string, fields: Record<string, unknown>) => {
      ids[key] = sf.org.insert('Opportunity', { Name: key, AccountId: account, CurrencyIsoCode: 'USD', ...fields });
    };
    deal('O1', { CloseDate: '2026-07-10', OwnerId: ids.ana, LeadSource: 'Web', Amount: 1000, StageName: 'Closed Won' });
    deal('O2', {
      CloseDate: '2026-07-20',
      OwnerId: ids.ben,
      LeadSource: 'Partner Referral',
      Amount: 2000,
      StageName: 'Closed Won',
    });
    deal('O3', { CloseDate: '2026-07-25', OwnerId: ids.ana, LeadSource: 'Web', Amount: 500, StageName: 'Closed Lost' });
    deal('O4', {
      CloseDate: '2026-08-05',
      OwnerId: ids.ana,
      CurrencyIsoCode: 'EUR',
      Amount: 3000,
      StageName: 'Closed Won',
    });
    deal('O5', {
      CloseDate: '2026-08-15',
      OwnerId: ids.ben,
      LeadSource: 'Web',
      Amount: 4000,
      StageName: 'Value Proposition',
      Probability: 50,
    });
    deal('O6', { CloseDate: '2026-09-01', OwnerId: ids.ben, LeadSource: 'Web', Amount: 1500, StageName: 'Closed Won' });
    deal('O7', {
      CloseDate: '2026-09-10',
      OwnerId: ids.ana,
      LeadSource: 'Partner Referral',
      CurrencyIsoCode: 'EUR',
      Amount: 800,
      StageName: 'Prospecting',
      Probability: 10,
    });
    deal('O8', { CloseDate: '2026-06-30', OwnerId: ids.ana, LeadSource: 'Web', Amount: 9999, StageName: 'Closed Won' });

    const invoice = (
      id: string,
      opp: string,
      currency: string,
      state: string,
      total: string,
      open: string,
      issued: string | null,
      due: string | null,
      untaxed = total,
    ) =>
      store.query(
        `INSERT INTO erp_invoices (erp_id, number, erp_customer_id, opportunity_id, state, currency, total, untaxed, open_amount, issue_date, due_date)
         VALUES ($1, $1, 'C1', $2, $3, $4, $5, $9, $6, $7, $8)`,
        [id, ids[opp] as string, state, currency, total, open, issued, due, untaxed],
      );
    const payment = (id: string, invoiceId: string, currency: string, amount: string, on: string) =>
      store.query(
        `INSERT INTO erp_payments (erp_id, erp_invoice_id, erp_customer_id, currency, amount, paid_on) VALUES ($1, $2, 'C1', $3, $4, $5)`,
        [id, invoiceId, currency, amount, on],
      );
    await invoice('I1', 'O1', 'USD', 'paid', '1000', '0', '2026-07-12', '2026-08-11');
    await payment('P1a', 'I1', 'USD', '400', '2026-07-20');
    await payment('P1b', 'I1', 'USD', '600', '2026-08-01');
    await invoice('I2', 'O2', 'USD', 'posted', '2000', '1500', '2026-07-25', '2026-08-24');
    await payment('P2', 'I2', 'USD', '500', '2026-08-30');
    await invoice('I4', 'O4', 'EUR', 'paid', '3000', '0', '2026-08-10', '2026-09-09');
    await payment('P4', 'I4', 'EUR', '3000', '2026-09-20');
    await invoice('I6', 'O6', 'USD', 'posted', '1650', '1650', '2026-09-30', '2026-10-30', '1500');
    await invoice('I6d', 'O6', 'USD', 'draft', '700', '700', null, null);
    await invoice('I8', 'O8', 'USD', 'paid', '9999', '0', '2026-07-01', '2026-07-31');
    await payment('P8', 'I8', 'USD', '9999', '2026-07-02');

    expect(await syncOpportunities(store, salesforce)).toMatchObject({ read: 8, deleted: 0 });
    await refreshOpportunityRollups(store, 'all', TODAY);
  });
  afterAll(async () => {
    await sf?.close();
    await drop?.(store);
  });

  async function dashboard(query: Record<string, string>) {
    const view = await forecastVsActual(store, forecastQuery.parse(query));
    return forecastVsActualView.parse(view); // the contract, exactly
  }
  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const eur = (amount: string) => ({ amount, currency: 'EUR' });
  const find = (groups: ForecastGroupView[], key: string | null, currency: string) =>
    groups.find((g) => g.key === key && g.currency === currency);

  test('by month: each period per currency, with the hand-computed figures', async () => {
    const view = await dashboard({ from: '2026-07', to: '2026-09' });
    expect(view.periods.map((p) => p.label)).toEqual(['Jul 2026', 'Aug 2026', 'Sep 2026']);
    expect(view.currencies).toEqual(['EUR', 'USD']);
    expect(view.groups.map((g) => `${g.key} ${g.currency}`)).toEqual([
      '2026-07 USD',
      '2026-08 EUR',
      '2026-08 USD',
      '2026-09 EUR',
      '2026-09 USD',
    ]);
    expect(find(view.groups, '2026-07', 'USD')).toEqual({
      key: '2026-07',
      label: 'Jul 2026',
      currency: 'USD',
      deals: { open: 0, won: 2, lost: 1 },
      pipeline: usd('0.00'),
      weightedPipeline: usd('0.00'),
      booked: usd('3000.00'),
      invoiced: usd('3000.00'),
      paid: usd('1500.00'),
      openReceivable: usd('1500.00'),
      overdue: usd('1500.00'),
      bookedToInvoiced: 1,
      collectionRate: 0.5,
      avgDaysCloseToInvoice: 3.5,
      avgDaysInvoiceToPayment: 20,
      dso: 52.1, // 156,200 / 3,000 (see the top)
      paidOnTimeRate: 0.5, // I1 on time, I2 past due
      invoicesDue: 2,
    });
    expect(find(view.groups, '2026-08', 'EUR')).toMatchObject({
      deals: { open: 0, won: 1, lost: 0 },
      booked: eur('3000.00'),
      paid: eur('3000.00'),
      overdue: eur('0.00'),
      avgDaysInvoiceToPayment: 41,
      dso: 41,
      paidOnTimeRate: 0,
    });
    expect(find(view.groups, '2026-08', 'USD')).toMatchObject({
      deals: { open: 1, won: 0, lost: 0 },
      pipeline: usd('4000.00'),
      weightedPipeline: usd('2000.00'),
      booked: usd('0.00'),
      bookedToInvoiced: null,
      collectionRate: null,
      dso: null,
      paidOnTimeRate: null,
    });
    expect(find(view.groups, '2026-09', 'USD')).toMatchObject({
      booked: usd('1500.00'),
      invoiced: usd('1650.00'), // tax included; the 700 draft is not revenue
      openReceivable: usd('1650.00'),
      overdue: usd('0.00'),
      bookedToInvoiced: 1, // 1500 before tax of 1500 booked
      collectionRate: 0,
      avgDaysCloseToInvoice: 29,
      avgDaysInvoiceToPayment: null,
      dso: 15, // 1650 open for 15 days
      paidOnTimeRate: null, // not due yet
      invoicesDue: 0,
    });
    expect(find(view.groups, '2026-09', 'EUR')).toMatchObject({
      pipeline: eur('800.00'),
      weightedPipeline: eur('80.00'),
    });
  });

  test('by owner: collection rate and overdue exposure per rep', async () => {
    const view = await dashboard({ from: '2026-07', to: '2026-09', groupBy: 'owner' });
    expect(find(view.groups, ids.ben as string, 'USD')).toMatchObject({
      label: 'Ben Cho',
      deals: { open: 1, won: 2, lost: 0 },
      booked: usd('3500.00'),
      invoiced: usd('3650.00'),
      paid: usd('500.00'),
      openReceivable: usd('3150.00'),
      overdue: usd('1500.00'),
      bookedToInvoiced: 1,
      collectionRate: 0.137, // 500 / 3650
      avgDaysCloseToInvoice: 17,
      dso: 45.4, // (500 × 36 + 1500 × 82 + 1650 × 15) / 3650
      paidOnTimeRate: 0,
    });
    expect(find(view.groups, ids.ana as string, 'USD')).toMatchObject({
      label: 'Ana Silva',
      deals: { open: 0, won: 1, lost: 1 },
      collectionRate: 1,
      paidOnTimeRate: 1,
    });
    expect(find(view.groups, ids.ana as string, 'EUR')).toMatchObject({
      deals: { open: 1, won: 1, lost: 0 },
      pipeline: eur('800.00'),
      paid: eur('3000.00'),
    });
    expect(view.groups).toHaveLength(3);
  });

  test('by lead source: which channels bring customers who pay', async () => {
    const view = await dashboard({ from: '2026-07', to: '2026-09', groupBy: 'leadSource' });
    expect(find(view.groups, 'Web', 'USD')).toMatchObject({
      deals: { open: 1, won: 2, lost: 1 },
      booked: usd('2500.00'),
      paid: usd('1000.00'),
      paidOnTimeRate: 1,
    });
    expect(find(view.groups, 'Partner Referral', 'USD')).toMatchObject({ paid: usd('500.00'), paidOnTimeRate: 0 });
    expect(find(view.groups, null, 'EUR')).toMatchObject({ label: 'No lead source', paid: eur('3000.00') });
  });

  test('filters by owner and lead source; quarters', async () => {
    const ben = await dashboard({ from: '2026-07', to: '2026-09', groupBy: 'leadSource', ownerId: ids.ben as string });
    expect(ben.groups.map((g) => g.key).sort()).toEqual(['Partner Referral', 'Web']);
    expect(ben.filters.ownerId).toBe(ids.ben);
    const web = await dashboard({ from: '2026-Q3', to: '2026-Q3', grain: 'quarter', leadSource: 'Web' });
    expect(web.periods).toEqual([{ key: '2026-Q3', label: 'Q3 2026' }]);
    expect(web.groups).toHaveLength(1);
    expect(web.groups[0]).toMatchObject({ key: '2026-Q3', booked: usd('2500.00'), pipeline: usd('4000.00') });
  });

  test("converted with the org's stored rates (EUR 0.92 per USD) into one currency per period", async () => {
    const view = await dashboard({ from: '2026-08', to: '2026-08', convert: 'true' });
    expect(view.conversion).toEqual({
      currency: 'USD',
      rates: expect.arrayContaining([{ currency: 'EUR', rate: '0.92' }]),
    });
    expect(view.groups).toHaveLength(1);
    expect(view.groups[0]).toMatchObject({
      currency: 'USD',
      pipeline: usd('4000.00'),
      booked: usd('3260.87'), // 3000 / 0.92
      paid: usd('3260.87'),
      collectionRate: 1,
    });
  });

  test('a missing rate is a clear error, never a silent mix', async () => {
    await store.query(`DELETE FROM currency_rates WHERE currency = 'EUR'`);
    try {
      await expect(dashboard({ from: '2026-07', to: '2026-09', convert: 'true' })).rejects.toThrow(
        'no conversion rate for EUR',
      );
    } finally {
      await syncOpportunities(store, salesforce); // the rates come back with the next sync
    }
    expect((await dashboard({ from: '2026-08', to: '2026-08', convert: 'true' })).groups).toHaveLength(1);
  });

  test('the sync follows Salesforce: a won deal, a deleted deal', async () => {
    sf.org.update('Opportunity', ids.O5 as string, { StageName: 'Closed Won' });
    sf.org.delete('Opportunity', ids.O3 as string);
    expect(await syncOpportunities(store, salesforce)).toMatchObject({ deleted: 1 });
    const view = await dashboard({ from: '2026-07', to: '2026-08' });
    expect(find(view.groups, '2026-07', 'USD')?.deals).toEqual({ open: 0, won: 2, lost: 0 });
    expect(find(view.groups, '2026-08', 'USD')).toMatchObject({
      deals: { open: 0, won: 1, lost: 0 },
      pipeline: usd('0.00'),
      booked: usd('4000.00'),
    });
  });

  test('an empty range answers every period and no groups', async () => {
    const view = await dashboard({ from: '2025-01', to: '2025-03' });
    expect(view.periods).toHaveLength(3);
    expect(view.groups).toEqual([]);
    expect(view.currencies).toEqual([]);
  });
});
