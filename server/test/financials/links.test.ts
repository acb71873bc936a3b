/**
 * Which account carries which ERP customer, as people change it in Salesforce — and changes that
 * must not be lost between sweeps (a failed push, a reversed payment).
 */
import { accountPulseView } from '../../src/financials/views';
import { money } from '../../src/money';
import { sandboxFixture } from '../support/erpFixtures';
import { seedDeal, startHarness, type Harness } from '../support/harness';
import { pgliteStore } from '../support/stores';

const SERVICE = 'LINK-SVC';
const CLEARED = {
  Outstanding_Balance__c: null,
  Overdue_Balance__c: null,
  Credit_Limit__c: null,
  Available_Credit__c: null,
  Credit_Hold__c: false,
  Last_Payment_Date__c: null,
  Days_Sales_Outstanding__c: null,
  Finance_Synced_At__c: null,
};

let h: Harness;
let erp: ReturnType<typeof sandboxFixture>;

beforeAll(async () => {
  const store = await pgliteStore();
  erp = sandboxFixture(store);
  await erp.ensureProduct(SERVICE, 'Linked service', money('100.00', 'USD'));
  h = await startHarness({ store, erp });
});
afterAll(async () => {
  await h?.close();
  await h?.store.close();
});

async function bookedDeal(quantity: number) {
  const deal = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity, unitPrice: 100 }] });
  await h.api('POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId: deal.opportunityId });
  expect(await h.waitForBooking(deal.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
  const [sale] = await h.salesFor(deal.opportunityId);
  return { ...deal, customerId: sale!.customerId, invoiceId: sale!.invoiceIds[0]! };
}
async function sweep() {
  const result = await h.closeloop.sweepFinancials();
  if (result.status !== 'done') throw new Error(`sweep ${result.status}: ${result.reason}`);
  return result;
}
const account = (id: string) => h.sf.org.get('Account', id);
const newAccount = (name: string) => h.sf.org.insert('Account', { Name: name, BillingCountry: 'United States' });
async function pulse(accountId: string) {
  return accountPulseView.parse((await h.api('GET', `/v1/accounts/${accountId}/pulse`)).body);
}
/** What the Account trigger sends, then waits for the relink jobs to finish. */
async function accountsChanged(...accountIds: string[]) {
  const events = accountIds.map((accountId) => ({ type: 'account.erp_customer_changed', accountId }));
  expect((await h.api('POST', '/v1/events', { events })).status).toBe(202);
  for (const id of accountIds) {
    for (;;) {
      const job = await h.closeloop.queue.getByKey(`relink:${id}`);
      if (job?.status === 'dead') throw new Error(`relink ${id} died: ${job.lastError}`);
      if (job?.status === 'done') break;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
/** Lets the hourly link poll come due now, as if the last one ran two hours ago. */
async function makeLinkPollDue() {
  await h.store.query(
    `UPDATE sync_cursors SET value = jsonb_set(value::jsonb, '{checkedAt}', to_jsonb((now() - interval '2 hours')::text))::text
      WHERE name = 'salesforce.account_links'`,
  );
}

describe('account links follow Salesforce', () => {
  test('an admin moves the ERP customer to another account: the old one is cleared, the new one gets the figures', async () => {
    const deal = await bookedDeal(5);
    await sweep();
    expect(account(deal.accountId)?.Outstanding_Balance__c).toBe(500);

    const successor = newAccount('Successor Holdings');
    h.sf.org.update('Account', deal.accountId, { ERP_Customer_Id__c: null });
    h.sf.org.update('Account', successor, { ERP_Customer_Id__c: deal.customerId });
    await accountsChanged(deal.accountId, successor);

    expect(account(deal.accountId)).toMatchObject(CLEARED);
    expect((await pulse(deal.accountId)).linked).toBe(false);
    await sweep();
    expect(account(successor)).toMatchObject({ Outstanding_Balance__c: 500, Overdue_Balance__c: 0 });
    expect(await pulse(successor)).toMatchObject({ linked: true, erpCustomerId: deal.customerId });

    // Finance's next payment lands on the successor only.
    await erp.payInvoice(deal.invoiceId, money('200.00', 'USD'));
    await sweep();
    expect(account(successor)?.Outstanding_Balance__c).toBe(300);
    expect(account(deal.accountId)?.Outstanding_Balance__c).toBeNull();
  });

  test('an admin clears the id: figures cleared, and later ERP changes leave the account alone', async () => {
    const deal = await bookedDeal(2);
    await sweep();
    h.sf.org.update('Account', deal.accountId, { ERP_Customer_Id__c: null });
    await accountsChanged(deal.accountId);
    expect(account(deal.accountId)).toMatchObject(CLEARED);

    await erp.payInvoice(deal.invoiceId);
    await sweep();
    expect(account(deal.accountId)).toMatchObject(CLEARED);
    // The deal's own invoice still reports on the opportunity.
    expect(h.sf.org.get('Opportunity', deal.opportunityId)).toMatchObject({ Invoice_Status__c: 'Paid' });
  });

  test('a missed event: the hourly poll reads changed accounts and applies the move', async () => {
    const deal = await bookedDeal(3);
    await sweep();
    const successor = newAccount('Quiet Move Inc');
    h.sf.org.update('Account', deal.accountId, { ERP_Customer_Id__c: null });
    h.sf.org.update('Account', successor, { ERP_Customer_Id__c: deal.customerId });

    const notDue = await sweep();
    expect(notDue.linksPolled).toBeNull();
    expect(account(successor)?.Outstanding_Balance__c).toBeNull();

    await makeLinkPollDue();
    const polled = await sweep();
    expect(polled.linksPolled).toBeGreaterThanOrEqual(2);
    expect(account(successor)?.Outstanding_Balance__c).toBe(300);
    expect(account(deal.accountId)).toMatchObject(CLEARED);
  });

  test('a relink event whose id is not an Account Id is rejected naming the field', async () => {
    const bad = await h.api('POST', '/v1/events', {
      type: 'account.erp_customer_changed',
      accountId: '006000000000001AAA',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: expect.stringContaining('accountId') } } });
  });
});

describe('changes are not lost between sweeps', () => {
  test('Salesforce down during the push: the next sweep pushes what the failed one pulled', async () => {
    const deal = await bookedDeal(4);
    await sweep();
    await erp.payInvoice(deal.invoiceId);
    h.sf.failNext(1, {
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Service temporarily unavailable',
      match: { path: /composite\/sobjects/ },
    });
    await expect(h.closeloop.sweepFinancials()).rejects.toThrow();
    expect(account(deal.accountId)?.Outstanding_Balance__c).toBe(400);

    const next = await sweep();
    expect(next.pulled.invoices).toBe(0); // already pulled by the failed sweep
    expect(account(deal.accountId)?.Outstanding_Balance__c).toBe(0);
  });

  test('a payment the ERP reverses: the balance is owed again and the payment is gone from the pulse', async () => {
    const deal = await bookedDeal(1);
    await erp.payInvoice(deal.invoiceId);
    await sweep();
    const today = new Date().toISOString().slice(0, 10);
    expect(account(deal.accountId)).toMatchObject({ Outstanding_Balance__c: 0, Last_Payment_Date__c: today });
    expect((await pulse(deal.accountId)).payments.total).toBe(1);

    await erp.erp.reversePayment(deal.invoiceId);
    await sweep();
    expect(account(deal.accountId)).toMatchObject({ Outstanding_Balance__c: 100, Last_Payment_Date__c: null });
    const after = await pulse(deal.accountId);
    expect(after.payments.total).toBe(0);
    expect(after.invoices.items[0]).toMatchObject({ status: 'Open' });
    expect(h.sf.org.get('Opportunity', deal.opportunityId)).toMatchObject({
      Invoice_Status__c: 'Open',
      Amount_Paid__c: 0,
    });
  });
});
