/**
 * The financial pulse end to end, written once and run against every ERP: book a deal, let the
 * ERP's finance people act (payments, back-dated invoices, credit limits), sweep, and check what
 * Salesforce shows and what the API serves.
 */
import { accountPulseView, opportunityBillingView } from '../../src/financials/views';
import { money } from '../../src/money';
import type { Store } from '../../src/store/db';
import { seedDeal, startHarness, type ErpFixture, type Harness } from '../support/harness';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export function describeFinancialFlow(
  name: string,
  open: () => Promise<{ store: Store; erp: ErpFixture; close(): Promise<void> }>,
) {
  describe(`financial pulse: ${name}`, () => {
    let h: Harness;
    let parts: Awaited<ReturnType<typeof open>>;
    const run = Math.random().toString(36).slice(2, 8).toUpperCase();
    const SERVICE = `FP-SVC-${run}`;

    beforeAll(async () => {
      parts = await open();
      await parts.erp.ensureProduct(SERVICE, 'Consulting service', money('100.00', parts.erp.currency));
      h = await startHarness({ store: parts.store, erp: parts.erp });
    });
    afterAll(async () => {
      await h?.close();
      await parts?.close();
    });

    /** A booked deal of `quantity` × 100.00 for a new account; returns ids and its invoice. */
    async function bookedDeal(quantity: number) {
      const deal = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity, unitPrice: 100 }] });
      await h.api('POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId: deal.opportunityId });
      expect(await h.waitForBooking(deal.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      const [sale] = await h.salesFor(deal.opportunityId);
      return { ...deal, customerId: sale!.customerId, invoiceId: sale!.invoiceIds[0]! };
    }
    const sweep = async () => {
      const result = await h.closeloop.sweepFinancials();
      expect(result.status).toBe('done');
      return result;
    };
    const account = (id: string) => h.sf.org.get('Account', id);
    const opportunity = (id: string) => h.sf.org.get('Opportunity', id);

    test('a payment in the ERP shows on the account and the opportunity after one sweep', async () => {
      const deal = await bookedDeal(5);
      await sweep();
      expect(account(deal.accountId)).toMatchObject({
        Outstanding_Balance__c: 500,
        Overdue_Balance__c: 0,
        Last_Payment_Date__c: null,
        Credit_Hold__c: false,
      });
      expect(Date.parse(String(account(deal.accountId)?.Finance_Synced_At__c))).toBeGreaterThan(Date.now() - 60_000);

      await parts.erp.payInvoice(deal.invoiceId, undefined, daysAgo(0));
      await sweep();
      expect(account(deal.accountId)).toMatchObject({ Outstanding_Balance__c: 0, Last_Payment_Date__c: daysAgo(0) });
      expect(opportunity(deal.opportunityId)).toMatchObject({
        Invoice_Status__c: 'Paid',
        Amount_Invoiced__c: 500,
        Amount_Paid__c: 500,
      });
    });

    test('a part payment → Partially Paid, and the rest still outstanding', async () => {
      const deal = await bookedDeal(4);
      await parts.erp.payInvoice(deal.invoiceId, money('150.00', parts.erp.currency), daysAgo(0));
      const swept = await sweep();
      expect(swept).toMatchObject({ pulled: { invoices: 1, payments: 1 } });
      expect(opportunity(deal.opportunityId)).toMatchObject({
        Invoice_Status__c: 'Partially Paid',
        Amount_Paid__c: 150,
      });
      expect(account(deal.accountId)).toMatchObject({ Outstanding_Balance__c: 250 });
    });

    test('an invoice 15 days past due → Overdue, in the 1–30 bucket, and DSO from the last 90 days', async () => {
      const deal = await bookedDeal(1);
      await parts.erp.issueInvoice(deal.customerId, money('300.00', parts.erp.currency), daysAgo(45));
      await sweep();
      expect(account(deal.accountId)).toMatchObject({ Outstanding_Balance__c: 400, Overdue_Balance__c: 300 });
      const pulse = await h.api('GET', `/v1/accounts/${deal.accountId}/pulse`);
      expect(pulse.status).toBe(200);
      const view = accountPulseView.strict().parse(pulse.body);
      expect(view.summary?.aging).toEqual({
        current: money('100.00', parts.erp.currency),
        days1to30: money('300.00', parts.erp.currency),
        days31to60: money('0', parts.erp.currency),
        days61to90: money('0', parts.erp.currency),
        over90: money('0', parts.erp.currency),
      });
      // DSO = outstanding 400 / invoiced in 90 days 400 × 90 = 90.0
      expect(view.summary?.dso).toBe(90);
      const overdue = view.invoices.items.find((i) => i.status === 'Overdue');
      expect(overdue).toMatchObject({ daysOverdue: 15, openAmount: money('300.00', parts.erp.currency) });
    });

    test('a second sweep with nothing new makes no Salesforce call at all', async () => {
      await bookedDeal(2);
      await sweep();
      h.sf.resetApiCalls();
      const quiet = await sweep();
      expect(h.sf.apiCalls.log).toEqual([]);
      if (quiet.status === 'done') expect(quiet.push.sent).toBe(0);
    });

    test('a credit limit from the ERP: limit, available credit, and the hold once it is used up', async () => {
      const deal = await bookedDeal(3);
      await parts.erp.setCreditLimit(deal.customerId, money('1000.00', parts.erp.currency));
      await sweep();
      expect(account(deal.accountId)).toMatchObject({
        Credit_Limit__c: 1000,
        Available_Credit__c: 700,
        Credit_Hold__c: false,
      });
      await parts.erp.issueInvoice(deal.customerId, money('800.00', parts.erp.currency), daysAgo(1));
      const swept = await sweep();
      expect(swept).toMatchObject({ pulled: { invoices: expect.any(Number) }, push: { rejected: 0 } });
      if (swept.status === 'done') expect([swept.pulled.invoices, swept.push.sent]).toEqual([1, 1]);
      expect(account(deal.accountId)).toMatchObject({
        Outstanding_Balance__c: 1100,
        Available_Credit__c: -100,
        Credit_Hold__c: true,
      });

      // The billing endpoint warns the rep before closing the next deal.
      const billing = await h.api(
        'GET',
        `/v1/opportunities/006000000000123AAA/billing?accountId=${deal.accountId}&amount=250.00&currency=${parts.erp.currency}`,
      );
      expect(billing.status).toBe(200);
      expect(opportunityBillingView.strict().parse(billing.body).creditCheck).toMatchObject({
        creditHold: true,
        exceedsAvailableCredit: true,
      });
    });

    test('one record Salesforce rejects does not hold back the others, and is retried alone', async () => {
      const ok = await bookedDeal(1);
      const bad = await bookedDeal(1);
      await sweep();
      const remove = h.sf.rejectRecords('Account', (r) =>
        r.Id === bad.accountId && r.Outstanding_Balance__c === 0
          ? 'Accounts with nothing owed are locked by finance'
          : null,
      );
      try {
        await parts.erp.payInvoice(ok.invoiceId);
        await parts.erp.payInvoice(bad.invoiceId);
        await sweep();
        expect(account(ok.accountId)?.Outstanding_Balance__c).toBe(0);
        expect(account(bad.accountId)?.Outstanding_Balance__c).toBe(100);
        const status = (await h.api('GET', '/v1/sync/status')).body as { financials: { rejectedRecords: number } };
        expect(status.financials.rejectedRecords).toBeGreaterThanOrEqual(1);
      } finally {
        remove();
      }
      h.sf.resetApiCalls();
      const retry = await sweep();
      expect(account(bad.accountId)?.Outstanding_Balance__c).toBe(0);
      if (retry.status === 'done') expect(retry.push.sent).toBe(1);
      expect(h.sf.apiCalls.byCategory.composite).toBe(1);
    });

    test('the pulse and billing endpoints: the contract shapes, paging, 404 for the unknown, 400 for bad input', async () => {
      const deal = await bookedDeal(2);
      await parts.erp.payInvoice(deal.invoiceId, money('50.00', parts.erp.currency), daysAgo(0));
      await sweep();
      const pulse = await h.api('GET', `/v1/accounts/${deal.accountId}/pulse?invoicesLimit=1&paymentsLimit=1`);
      const view = accountPulseView.strict().parse(pulse.body);
      expect(view).toMatchObject({
        linked: true,
        erpCustomerId: deal.customerId,
        currency: parts.erp.currency,
        invoices: { total: 1, limit: 1 },
        payments: { total: 1 },
      });
      expect(view.asOf).not.toBeNull();

      const billing = opportunityBillingView
        .strict()
        .parse((await h.api('GET', `/v1/opportunities/${deal.opportunityId}/billing`)).body);
      expect(billing).toMatchObject({
        bookingStatus: 'Booked',
        canRetry: false,
        amountInvoiced: money('200.00', parts.erp.currency),
        amountPaid: money('50.00', parts.erp.currency),
      });
      expect(billing.invoice).toMatchObject({ status: 'Partially Paid' });

      expect((await h.api('GET', '/v1/accounts/001000000000999AAA/pulse')).status).toBe(404);
      expect((await h.api('GET', '/v1/opportunities/006000000000999AAA/billing')).status).toBe(404);
      const bad = await h.api('GET', `/v1/accounts/${deal.opportunityId}/pulse`);
      expect(bad).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
      expect((await h.api('GET', `/v1/accounts/${deal.accountId}/pulse?invoicesLimit=5000`)).body).toMatchObject({
        error: { field: 'invoicesLimit' },
      });
      expect((await h.api('GET', `/v1/accounts/${deal.accountId}/pulse?bogus=1`)).status).toBe(400);
      expect((await h.api('GET', `/v1/opportunities/${deal.opportunityId}/billing?amount=12`)).body).toMatchObject({
        error: { field: 'amount' },
      });
    });

    test('refresh pulls one customer live; with the ERP down it answers from the read model and says so', async () => {
      const deal = await bookedDeal(1);
      await sweep();
      await parts.erp.payInvoice(deal.invoiceId);
      const live = accountPulseView.parse(
        (await h.api('GET', `/v1/accounts/${deal.accountId}/pulse?refresh=true`)).body,
      );
      expect(live.refresh).toEqual({ live: true, reason: null });
      expect(live.summary?.outstanding).toEqual(money('0', parts.erp.currency));

      const other = await bookedDeal(1);
      await sweep();
      await parts.erp.setOutage(true);
      try {
        const started = Date.now();
        const fallback = accountPulseView.parse(
          (await h.api('GET', `/v1/accounts/${other.accountId}/pulse?refresh=true`)).body,
        );
        expect(fallback.refresh?.live).toBe(false);
        expect(fallback.refresh?.reason).toMatch(/last sync/);
        expect(fallback.summary?.outstanding).toEqual(money('100.00', parts.erp.currency));
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await parts.erp.setOutage(false);
      }
    });

    test('/metrics counts sweeps, pulled and pushed records', async () => {
      await sweep();
      const res = await fetch(`${h.closeloop.url}/metrics`);
      const text = await res.text();
      expect(text).toMatch(/closeloop_sync_runs_total\{kind="financials",result="ok"\} \d+/);
      expect(text).toMatch(/closeloop_records_pulled_total\{feed="invoices"\} [1-9]/);
      expect(text).toMatch(/closeloop_records_pushed_total\{result="accepted"\} [1-9]/);
      expect(text).toContain('closeloop_queue_depth{status="done"}');
      expect(text).toMatch(/closeloop_freshness_lag_seconds \d/);
      expect(text).toContain('closeloop_order_to_invoice_seconds_bucket');
    });
  });
}
