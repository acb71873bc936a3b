/**
 * Issue #8, booking: every step of a booking × every fault that step can suffer, against real
 * Tryton, the local Salesforce and PostgreSQL, with the real backend process. After each fault the
 * system recovers (restart, fault lifted, dead letter replayed, retry asked for) and the deal is
 * booked exactly once, no job is lost, and the failure was visible while it lasted.
 * The step list was taken from recording a booking's traffic through the proxies.
 */
import { faultCases, inject, erpCall, type FaultKind, type Step } from '../support/faults';
import { jobByKey, jobs, storeShownDown } from '../support/faultChecks';
import { FaultTally } from '../support/faultResults';
import { startFaultWorld, startRig, type FaultWorld, type Rig } from '../support/faultRig';
import { eventually, seedDeal } from '../support/harness';

const COMPOSITE = '/services/data/v62.0/composite/sobjects';

const STEPS: Step[] = [
  {
    name: 'sf.readOpportunity',
    via: 'salesforce',
    matches: (m, p) => m === 'GET' && p.includes('/query?') && p.includes('Booking_Status__c'),
  },
  { name: 'erp.findSale', via: 'erp', matches: erpCall('model.sale.sale.search_read', '"reference","="') },
  { name: 'erp.findProducts', via: 'erp', matches: erpCall('model.product.product.search_read') },
  { name: 'erp.findCustomer', via: 'erp', matches: erpCall('model.party.party.search_read', '"identifiers","where"') },
  { name: 'erp.createCustomer', via: 'erp', matches: erpCall('model.party.party.create') },
  { name: 'erp.createSale', via: 'erp', matches: erpCall('model.sale.sale.create') },
  { name: 'erp.quoteSale', via: 'erp', matches: erpCall('model.sale.sale.quote') },
  { name: 'erp.confirmSale', via: 'erp', matches: erpCall('model.sale.sale.confirm') },
  { name: 'erp.postInvoice', via: 'erp', matches: erpCall('model.account.invoice.post') },
  { name: 'sf.writeBack', via: 'salesforce', matches: (m, p) => m === 'PATCH' && p === COMPOSITE },
  { name: 'store.saveBooking', via: 'store', matches: (sql) => sql.startsWith('INSERT INTO bookings') },
  { name: 'store.recordLink', via: 'store', matches: (sql) => sql.startsWith('INSERT INTO account_links') },
  { name: 'store.completeJob', via: 'store', matches: (sql) => sql.includes("ELSE 'done' END") },
];
const CASES = faultCases(STEPS);

// Concurrent tests may start before beforeAll hooks: every test awaits the one shared world.
let world: FaultWorld;
let worldReady: Promise<FaultWorld> | undefined;
const shared = () => (worldReady ??= startFaultWorld('FLTB').then((w) => (world = w)));
const tally = new FaultTally('booking');

afterAll(async () => {
  tally.write();
  await (await worldReady)?.close();
});

test('the table covers every step × fault', () => {
  expect(CASES).toHaveLength(61);
});

test.concurrent.each(CASES)(
  '$title: booked exactly once, no job lost, the failure shown until resolved',
  async ({ step, fault }) => {
    await tally.run(step.name, fault, async () => {
      await shared();
      const rig = await startRig(world);
      try {
        const { opportunityId } = seedDeal(world.sf, {
          lines: [{ code: world.productCode, quantity: 2, unitPrice: 250 }],
        });
        const injecting = inject(rig, world.sf, step, fault);
        const event = await rig.api('POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId });
        expect(event.status).toBe(202);
        const injected = await injecting;
        if (injected.lasting) await failureShown(rig, step, fault, opportunityId);
        await injected.lift();
        await resolve(rig, fault, opportunityId);
        await bookedExactlyOnce(rig, opportunityId);
      } catch (e) {
        if (e instanceof Error) e.message += `\nbackend log:\n${rig.tail()}`;
        throw e;
      } finally {
        await rig.close();
      }
    });
  },
  // Generous: concurrent tests queue for a slot (five at a time) inside this budget.
  600_000,
);

/** While the fault lasts, the failure shows: a dead letter (and Failed on the deal), the job's error, or /readyz. */
async function failureShown(rig: Rig, step: Step, fault: FaultKind, opportunityId: string): Promise<void> {
  const key = `book:${opportunityId}`;
  if (fault === 'pgRestart') return storeShownDown(rig);
  if (fault === 'sfRequestLimit') {
    await eventually(async () => (await jobByKey(rig, key))?.last_error_class === 'SALESFORCE_LIMIT', 'the limit');
    expect((await jobByKey(rig, key))?.status).toBe('queued'); // waiting out Salesforce's pause, not lost
    return;
  }
  await eventually(async () => (await jobByKey(rig, key))?.status === 'dead', 'the dead letter', 60_000);
  const letters = await rig.api('GET', '/v1/sync/dead-letters');
  expect(JSON.stringify(letters.body)).toContain(key);
  const [booking] = await rig.db.store.query<{ status: string; error_code: string }>(
    'SELECT status, error_code FROM bookings WHERE opportunity_id = $1',
    [opportunityId],
  );
  expect(booking).toMatchObject({ status: 'Failed', error_code: 'DEAD_LETTER' });
  // Salesforce shows it too, unless Salesforce's own writes are what fails.
  if (!(step.via === 'salesforce' && step.matches('PATCH', COMPOSITE, ''))) {
    await eventually(
      () => world.sf.org.get('Opportunity', opportunityId)?.Booking_Status__c === 'Failed',
      'Failed on the opportunity',
    );
    expect(String(world.sf.org.get('Opportunity', opportunityId)?.Booking_Error__c)).toContain('dead letter');
  }
}

/** What a person does once the cause is fixed: replay the dead letter, or retry a deal waiting out a limit. */
async function resolve(rig: Rig, fault: FaultKind, opportunityId: string): Promise<void> {
  const job = await jobByKey(rig, `book:${opportunityId}`);
  if (job?.status === 'dead') {
    expect((await rig.api('POST', `/v1/sync/dead-letters/${job.id}/replay`)).status).toBe(202);
  } else if (fault === 'sfRequestLimit') {
    expect((await rig.api('POST', `/v1/opportunities/${opportunityId}/book`, {})).status).toBe(202);
  }
}

async function bookedExactlyOnce(rig: Rig, opportunityId: string): Promise<void> {
  const key = `book:${opportunityId}`;
  await eventually(async () => (await jobByKey(rig, key))?.status === 'done', 'the booking job to be done', 60_000);
  const sales = await world.erp.findSalesByReference(opportunityId);
  expect(sales).toHaveLength(1);
  const sale = sales[0]!;
  expect(sale.state).toBe('processing');
  expect(sale.invoiceIds).toHaveLength(1);
  const invoice = await world.erp.getInvoice(sale.invoiceIds[0]!);
  expect(invoice.state).toBe('posted');
  const opp = world.sf.org.get('Opportunity', opportunityId);
  expect(opp).toMatchObject({
    Booking_Status__c: 'Booked',
    ERP_Order_Id__c: sale.id,
    ERP_Invoice_Number__c: invoice.number,
  });
  expect(opp?.Booking_Error__c ?? null).toBeNull();
  // No job lost, none stuck: the store holds this one job, done.
  expect((await jobs(rig)).map((j) => [j.key, j.status])).toEqual([[key, 'done']]);
  const [booking] = await rig.db.store.query<{ status: string; erp_order_id: string }>(
    'SELECT status, erp_order_id FROM bookings WHERE opportunity_id = $1',
    [opportunityId],
  );
  expect(booking).toEqual({ status: 'Booked', erp_order_id: sale.id });
}
