/**
 * Issue #8, the financial sweep: every step of a sweep × every fault that step can suffer, against
 * real Tryton, a local Salesforce and PostgreSQL, with the real backend process. After each fault
 * the failure shows while it lasts, the next sweep recovers, and each payment is counted exactly
 * once in the account's and the deal's figures (hand-computed: two payments of 100 and 50).
 *
 * Each fault point has a local Salesforce of its own (Tryton is shared): a sweep links and pushes
 * every account of its org, so two fault points sharing one org would push each other's figures.
 */
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { money } from '../../src/money';
import { faultCases, inject, erpCall, type FaultKind, type Step } from '../support/faults';
import { jobs, storeShownDown, sweepUntilDone } from '../support/faultChecks';
import { FaultTally } from '../support/faultResults';
import { startFaultWorld, startRig, type FaultWorld, type Rig } from '../support/faultRig';
import { seedDeal } from '../support/harness';

const COMPOSITE = '/services/data/v62.0/composite/sobjects';

const STEPS: Step[] = [
  { name: 'erp.pullInvoices', via: 'erp', matches: erpCall('model.account.invoice.search_read', '["type","=","out"]') },
  { name: 'erp.pullPayments', via: 'erp', matches: erpCall('model.account.move.line.search_read', 'invoice_payments') },
  { name: 'erp.pullCredit', via: 'erp', matches: erpCall('model.party.party.search_read', 'credit_limit_amount') },
  { name: 'sf.readLinks', via: 'salesforce', matches: (m, p) => m === 'GET' && p.includes('FROM%20Account') },
  { name: 'sf.pushFigures', via: 'salesforce', matches: (m, p) => m === 'PATCH' && p === COMPOSITE },
  { name: 'store.keepPayments', via: 'store', matches: (sql) => sql.startsWith('INSERT INTO erp_payments') },
  {
    name: 'store.recordPush',
    via: 'store',
    matches: (sql) => sql.startsWith('INSERT INTO salesforce_pushes (object, record_id, accepted'),
  },
  { name: 'store.clearDirty', via: 'store', matches: (sql) => sql.startsWith('DELETE FROM financial_dirty') },
];
const CASES = faultCases(STEPS);

let worldReady: Promise<FaultWorld> | undefined;
const shared = () => (worldReady ??= startFaultWorld('FLTS'));
const tally = new FaultTally('sweep');

afterAll(async () => {
  tally.write();
  await (await worldReady)?.close();
});

test('the table covers every step × fault', () => {
  expect(CASES).toHaveLength(36);
});

test.concurrent.each(CASES)(
  '$title: each payment counted once, the failure shown until the next sweep',
  async ({ step, fault }) => {
    await tally.run(step.name, fault, async () => {
      const world = await shared();
      const sf = await startLocalSalesforce();
      // Each local Salesforce numbers its records from the same start: burn a few ids so this
      // deal's Opportunity Id (the ERP sale's reference, in the shared Tryton) is its own.
      for (let i = 0; i <= CASES.findIndex((c) => c.step === step && c.fault === fault); i++)
        sf.org.insert('Account', { Name: `Spacer ${i}` });
      const rig = await startRig(world, sf);
      try {
        const deal = await paidDeal(world, sf);
        const injecting = inject(rig, sf, step, fault);
        const first = rig.api('POST', '/v1/sync/financials').catch(() => null); // a killed backend never answers
        const injected = await injecting;
        if (injected.lasting) await failureShown(rig, fault, first);
        await injected.lift();
        await first;
        await sweepUntilDone(rig);
        await countedOnce(rig, sf, deal);
      } catch (e) {
        if (e instanceof Error) e.message += `\nbackend log:\n${rig.tail()}`;
        throw e;
      } finally {
        await rig.close();
        await sf.close();
      }
    });
  },
  // Generous: concurrent tests queue for a slot (five at a time) inside this budget.
  600_000,
);

interface PaidDeal {
  accountId: string;
  opportunityId: string;
  invoiceId: string;
  total: number;
}

/** A deal invoiced in the ERP (2 × 250) and paid 100 then 50 by finance; its account linked by id. */
async function paidDeal(world: FaultWorld, sf: LocalSalesforce): Promise<PaidDeal> {
  const { accountId, opportunityId } = seedDeal(sf, {
    lines: [{ code: world.productCode, quantity: 2, unitPrice: 250 }],
  });
  const customer = await world.erp.createCustomer({
    name: `Sweep fault ${accountId}`,
    externalRef: accountId,
    countryCode: 'US',
    postalCode: '94105',
  });
  sf.org.update('Account', accountId, { ERP_Customer_Id__c: customer.id });
  const sale = await world.erp.createSale({
    reference: opportunityId,
    customerId: customer.id,
    currency: 'USD',
    saleDate: new Date().toISOString().slice(0, 10),
    description: 'Sweep fault deal',
    lines: [{ productCode: world.productCode, description: 'Item', quantity: '2', unitPrice: money('250.00', 'USD') }],
  });
  const confirmed = await world.erp.confirmSale(sale.id);
  if (confirmed.status !== 'confirmed') throw new Error(`the sale was not confirmed: ${confirmed.reason}`);
  const invoice = await world.erp.postInvoice(confirmed.sale.invoiceIds[0]!);
  await world.admin.payInvoice(invoice.id, money('100.00', 'USD'));
  await world.admin.payInvoice(invoice.id, money('50.00', 'USD'));
  return { accountId, opportunityId, invoiceId: invoice.id, total: Number(invoice.totalAmount.amount) };
}

/** While the fault lasts the sweep fails visibly: its answer, its run in /v1/sync/status, or /readyz. */
async function failureShown(rig: Rig, fault: FaultKind, first: Promise<{ status: number } | null>): Promise<void> {
  if (fault === 'pgRestart') return storeShownDown(rig);
  const answer = await first;
  expect(answer?.status).toBeGreaterThanOrEqual(500);
  const status = await rig.api('GET', '/v1/sync/status');
  const lastSweep = (status.body as { financials: { lastSweep: { error: string | null } | null } }).financials
    .lastSweep;
  expect(lastSweep?.error).toEqual(expect.any(String));
}

async function countedOnce(rig: Rig, sf: LocalSalesforce, deal: PaidDeal): Promise<void> {
  const payments = await rig.db.store.query<{ amount: string }>(
    'SELECT amount FROM erp_payments WHERE erp_invoice_id = $1 ORDER BY amount',
    [deal.invoiceId],
  );
  expect(payments.map((p) => Number(p.amount))).toEqual([50, 100]);
  expect(sf.org.get('Account', deal.accountId)).toMatchObject({
    Outstanding_Balance__c: deal.total - 150,
    Last_Payment_Date__c: new Date().toISOString().slice(0, 10),
  });
  expect(sf.org.get('Opportunity', deal.opportunityId)).toMatchObject({
    Amount_Invoiced__c: deal.total,
    Amount_Paid__c: 150,
    Invoice_Status__c: 'Partially Paid',
  });
  // Nothing left behind: no customer still marked for a push, no rejection waiting on its records,
  // the last sweep clean, no job.
  expect(await rig.db.store.query('SELECT erp_customer_id FROM financial_dirty')).toEqual([]);
  // (Only this deal's records: the shared Tryton also holds other fault points' deals, unknown here.)
  expect(
    await rig.db.store.query(
      'SELECT record_id FROM salesforce_pushes WHERE error IS NOT NULL AND record_id = ANY($1)',
      [[deal.accountId, deal.opportunityId]],
    ),
  ).toEqual([]);
  const [run] = await rig.db.store.query<{ error: string | null }>(
    `SELECT error FROM sync_runs WHERE kind = 'financials' ORDER BY id DESC LIMIT 1`,
  );
  expect(run?.error).toBeNull();
  expect(await jobs(rig)).toEqual([]);
}
