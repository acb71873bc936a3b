/**
 * Dates finance sets in the sandbox ERP (the demo loads past quarters and the preview makes
 * invoices overdue this way): an invoice posted on a past day, and a posted invoice's due date
 * moved — which the change feed carries again, so after one sweep the account counts it overdue.
 */
import { money } from '../../src/money';
import type { Store } from '../../src/store/db';
import { sandboxFixture } from '../support/erpFixtures';
import { seedDeal, startHarness, type Harness } from '../support/harness';
import { pgliteStore } from '../support/stores';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('sandbox ERP: dates finance sets', () => {
  let store: Store;
  let fixture: ReturnType<typeof sandboxFixture>;
  let h: Harness;

  beforeAll(async () => {
    store = await pgliteStore();
    fixture = sandboxFixture(store);
    await fixture.ensureProduct('DUE-SVC', 'Consulting service', money('100.00', 'USD'));
    h = await startHarness({ store, erp: fixture });
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });

  async function bookedInvoice() {
    const deal = seedDeal(h.sf, { lines: [{ code: 'DUE-SVC', quantity: 3, unitPrice: 100 }] });
    await h.api('POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId: deal.opportunityId });
    expect(await h.waitForBooking(deal.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
    const [sale] = await h.salesFor(deal.opportunityId);
    return { ...deal, invoiceId: sale!.invoiceIds[0]! };
  }

  test('the invoice comes back in the change feed with its new due date and is overdue after one sweep', async () => {
    const deal = await bookedInvoice();
    await h.closeloop.sweepFinancials();
    expect(h.sf.org.get('Account', deal.accountId)).toMatchObject({
      Outstanding_Balance__c: 300,
      Overdue_Balance__c: 0,
    });
    const before = await drainFeed(null);

    await fixture.erp.setInvoiceDueDate(deal.invoiceId, daysAgo(10));

    const changed = await fixture.erp.invoicesChangedSince(before, 100);
    expect(changed.items.map((i) => [i.id, i.dueDate])).toEqual([[deal.invoiceId, daysAgo(10)]]);
    await h.closeloop.sweepFinancials();
    expect(h.sf.org.get('Account', deal.accountId)).toMatchObject({
      Outstanding_Balance__c: 300,
      Overdue_Balance__c: 300,
    });
    expect(h.sf.org.get('Opportunity', deal.opportunityId)).toMatchObject({ Invoice_Status__c: 'Overdue' });
  });

  test('a bad date or an unknown invoice is refused, and the due date stays', async () => {
    const deal = await bookedInvoice();
    await expect(fixture.erp.setInvoiceDueDate(deal.invoiceId, '2026-02-30')).rejects.toThrow(/not a date/);
    await expect(fixture.erp.setInvoiceDueDate(deal.invoiceId, 'yesterday')).rejects.toThrow(/not a date/);
    await expect(fixture.erp.setInvoiceDueDate('999999', daysAgo(1))).rejects.toThrow(/does not exist/);
    const invoice = await fixture.erp.getInvoice(deal.invoiceId);
    expect(invoice.dueDate).not.toBe('2026-02-30');
    expect(Date.parse(String(invoice.dueDate))).toBeGreaterThan(Date.now() - 86_400_000);
  });

  test('postInvoiceOn posts a draft on a past day: its number, its date and the due date 30 days later', async () => {
    const customer = await fixture.erp.createCustomer({ name: 'Back Dated Ltd', externalRef: '' });
    const sale = await fixture.erp.createSale({
      reference: '006000000000777AAA',
      customerId: customer.id,
      currency: 'USD',
      saleDate: '2025-03-30',
      description: 'Last year',
      lines: [{ productCode: 'DUE-SVC', description: 'Service', quantity: '2', unitPrice: money('100.00', 'USD') }],
    });
    const confirmed = await fixture.erp.confirmSale(sale.id);
    expect(confirmed.status).toBe('confirmed');
    const [draftId] = (await fixture.erp.getSale(sale.id)).invoiceIds;
    await expect(fixture.erp.postInvoiceOn(draftId!, '2025-13-01')).rejects.toThrow(/not a date/);
    expect((await fixture.erp.getInvoice(draftId!)).state).toBe('draft');

    const posted = await fixture.erp.postInvoiceOn(draftId!, '2025-04-01');
    expect(posted).toMatchObject({ state: 'posted', invoiceDate: '2025-04-01', dueDate: '2025-05-01' });
    expect(posted.number).toMatch(/^INV-2025-\d{5}$/);
  });

  /** The feed's cursor once everything so far has been read. */
  async function drainFeed(cursor: string | null): Promise<string | null> {
    for (;;) {
      const page = await fixture.erp.invoicesChangedSince(cursor, 100);
      cursor = page.cursor;
      if (!page.more) return cursor;
    }
  }
});
