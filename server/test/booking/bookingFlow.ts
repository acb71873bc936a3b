/**
 * The booking loop end to end, written once and run against every ERP (sandbox, Tryton) and
 * store: local Salesforce over real HTTP → backend → ERP → confirmation back on the opportunity.
 */
import { auditTrail } from '../../src/audit/audit';
import { money } from '../../src/money';
import type { Store } from '../../src/store/db';
import { eventually, seedDeal, startHarness, type ErpFixture, type Harness } from '../support/harness';

export function describeBookingFlow(
  name: string,
  open: () => Promise<{ store: Store; erp: ErpFixture; close(): Promise<void> }>,
) {
  describe(`booking loop: ${name}`, () => {
    let h: Harness;
    let parts: Awaited<ReturnType<typeof open>>;
    const run = Math.random().toString(36).slice(2, 8).toUpperCase();
    const LICENSE = `BK-LIC-${run}`;
    const SERVICE = `BK-SVC-${run}`;

    beforeAll(async () => {
      parts = await open();
      await parts.erp.ensureProduct(LICENSE, 'Annual licence', money('1200.00', parts.erp.currency));
      await parts.erp.ensureProduct(SERVICE, 'Onboarding service', money('150.00', parts.erp.currency));
      h = await startHarness({ store: parts.store, erp: parts.erp });
    });
    afterAll(async () => {
      await h?.close();
      await parts?.close();
    });

    const closedWon = (opportunityId: string) =>
      h.api('POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId });

    test('Closed Won → customer, confirmed sale, posted invoice, and the confirmation on the opportunity', async () => {
      const { accountId, opportunityId } = seedDeal(h.sf, {
        account: { Name: `Happy Path Industries ${run}`, BillingCity: 'San Francisco' },
        lines: [
          { code: LICENSE, quantity: 2, unitPrice: 1200 },
          { code: SERVICE, quantity: 3, unitPrice: 150, discount: 10 },
        ],
      });
      expect((await closedWon(opportunityId)).status).toBe(202);
      expect(await h.waitForBooking(opportunityId)).toEqual({ status: 'done', outcome: 'booked' });

      const opp = h.sf.org.get('Opportunity', opportunityId);
      const account = h.sf.org.get('Account', accountId);
      const [sale] = await h.salesFor(opportunityId);
      expect(sale).toBeDefined();
      expect(sale!.untaxedAmount).toEqual(money('2805.00', parts.erp.currency)); // 2×1200 + 3×135
      expect(['confirmed', 'processing']).toContain(sale!.state);
      const invoice = await parts.erp.erp.getInvoice(sale!.invoiceIds[0]!);
      expect(invoice.state).toBe('posted');

      expect(opp).toMatchObject({
        Booking_Status__c: 'Booked',
        Booking_Error__c: null,
        ERP_Order_Id__c: sale!.id,
        ERP_Invoice_Number__c: invoice.number,
        Invoice_Status__c: 'Open',
        Amount_Invoiced__c: 2805,
      });
      expect(Date.parse(String(opp?.Booked_At__c))).toBeGreaterThan(Date.now() - 60_000);
      expect(account?.ERP_Customer_Id__c).toBe(sale!.customerId);
      await expect(parts.erp.erp.getCustomer(sale!.customerId)).resolves.toMatchObject({ externalRef: accountId });

      const trail = await auditTrail(h.store, 'opportunity', opportunityId);
      expect(trail.at(-1)).toMatchObject({
        action: 'booking.booked',
        trigger: 'event',
        before: { Booking_Status__c: 'Not Booked', ERP_Order_Id__c: null },
        after: { Booking_Status__c: 'Booked', ERP_Order_Id__c: sale!.id, ERP_Invoice_Number__c: invoice.number },
      });
      const [link] = await auditTrail(h.store, 'account', accountId);
      expect(link).toMatchObject({
        before: { ERP_Customer_Id__c: null },
        after: { ERP_Customer_Id__c: sale!.customerId },
      });
      const actions = trail.map((a) => a.action);
      expect(actions).toEqual([
        'erp.customer_created',
        'erp.sale_created',
        'erp.sale_confirmed',
        'erp.invoice_posted',
        'booking.booked',
      ]);
      const [snapshotRow] = await h.store.query<{ snapshot: { lines: Array<{ netUnitPrice: { amount: string } }> } }>(
        'SELECT snapshot FROM bookings WHERE opportunity_id = $1',
        [opportunityId],
      );
      expect(snapshotRow?.snapshot.lines.map((l) => l.netUnitPrice.amount)).toEqual(['1200', '135']);
    });

    test('the same event five times → one sale; a later deal for the same account reuses its customer', async () => {
      const { accountId, opportunityId } = seedDeal(h.sf, { lines: [{ code: LICENSE, quantity: 1, unitPrice: 1200 }] });
      await Promise.all(Array.from({ length: 5 }, () => closedWon(opportunityId)));
      await h.waitForBooking(opportunityId);
      await closedWon(opportunityId);
      await h.waitForBooking(opportunityId);
      expect(await h.salesFor(opportunityId)).toHaveLength(1);

      const second = seedDeal(h.sf, { accountId, lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      await closedWon(second.opportunityId);
      await h.waitForBooking(second.opportunityId);
      const [first] = await h.salesFor(opportunityId);
      const [again] = await h.salesFor(second.opportunityId);
      expect(again!.customerId).toBe(first!.customerId);
    });

    test('an unknown product code fails the booking, names the code, and creates nothing in the ERP', async () => {
      const { opportunityId } = seedDeal(h.sf, {
        lines: [
          { code: LICENSE, quantity: 1, unitPrice: 1200 },
          { code: `NOPE-${run}`, quantity: 1, unitPrice: 10 },
        ],
      });
      await closedWon(opportunityId);
      expect(await h.waitForBooking(opportunityId)).toEqual({ status: 'done', outcome: 'failed' });
      const opp = h.sf.org.get('Opportunity', opportunityId);
      expect(opp?.Booking_Status__c).toBe('Failed');
      expect(String(opp?.Booking_Error__c)).toContain(`"NOPE-${run}"`);
      expect(await h.salesFor(opportunityId)).toEqual([]);
    });

    test('an Amount that disagrees with the lines fails showing both figures', async () => {
      const { opportunityId } = seedDeal(h.sf, {
        lines: [{ code: SERVICE, quantity: 2, unitPrice: 150 }],
        forceAmount: 299.99,
      });
      await closedWon(opportunityId);
      await h.waitForBooking(opportunityId);
      const error = String(h.sf.org.get('Opportunity', opportunityId)?.Booking_Error__c);
      expect(error).toContain(`${parts.erp.currency} 300.00`);
      expect(error).toContain(`${parts.erp.currency} 299.99`);
      expect(await h.salesFor(opportunityId)).toEqual([]);
    });

    test('over the credit limit → Credit Hold with the reason; releasing it confirms that same sale', async () => {
      const first = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      await closedWon(first.opportunityId);
      expect(await h.waitForBooking(first.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      const customerId = String(h.sf.org.get('Account', first.accountId)?.ERP_Customer_Id__c);
      await parts.erp.setCreditLimit(customerId, money('1000.00', parts.erp.currency));

      const big = seedDeal(h.sf, {
        accountId: first.accountId,
        lines: [{ code: LICENSE, quantity: 1, unitPrice: 1200 }],
      });
      await closedWon(big.opportunityId);
      expect(await h.waitForBooking(big.opportunityId)).toEqual({ status: 'done', outcome: 'credit_hold' });
      const held = h.sf.org.get('Opportunity', big.opportunityId);
      expect(held?.Booking_Status__c).toBe('Credit Hold');
      expect(String(held?.Booking_Error__c)).toMatch(/credit/i);
      const [heldSale] = await h.salesFor(big.opportunityId);
      expect(heldSale?.state).toBe('quotation');
      expect(held?.ERP_Order_Id__c).toBe(heldSale?.id);

      // Events and polls do not retry a hold; a person does, after finance raised the limit.
      await closedWon(big.opportunityId);
      await h.closeloop.pollBookings();
      expect((await h.closeloop.queue.getByKey(`book:${big.opportunityId}`))?.status).toBe('done');
      await parts.erp.setCreditLimit(customerId, money('10000.00', parts.erp.currency));
      expect((await h.api('POST', `/v1/opportunities/${big.opportunityId}/book`, {})).status).toBe(202);
      expect(await h.waitForBooking(big.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      const sales = await h.salesFor(big.opportunityId);
      expect(sales.map((s) => s.id)).toEqual([heldSale!.id]);
      expect(h.sf.org.get('Opportunity', big.opportunityId)?.Booking_Status__c).toBe('Booked');
    });

    test('a Salesforce session that expires mid-run is renewed once and the booking completes', async () => {
      const { opportunityId } = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      await closedWon(opportunityId);
      await h.waitForBooking(opportunityId);
      h.sf.expireAllTokens();
      const tokensBefore = h.sf.tokenRequests;
      const next = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 2, unitPrice: 150 }] });
      await closedWon(next.opportunityId);
      expect(await h.waitForBooking(next.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      expect(h.sf.tokenRequests - tokensBefore).toBe(1);
    });

    test('ERP unreachable → retries → dead letter shown on the opportunity → replay books it once the ERP is back', async () => {
      const { opportunityId } = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      await parts.erp.setOutage(true);
      try {
        await closedWon(opportunityId);
        expect(await h.waitForBooking(opportunityId)).toEqual({ status: 'dead', outcome: null });
      } finally {
        await parts.erp.setOutage(false);
      }
      const job = await h.closeloop.queue.getByKey(`book:${opportunityId}`);
      expect(job).toMatchObject({ attempts: 3, lastErrorClass: expect.stringMatching(/ERP_UNAVAILABLE|NETWORK/) });
      // The dead letter is shown on the opportunity right after the job is parked.
      await eventually(() => h.sf.org.get('Opportunity', opportunityId)?.Booking_Status__c === 'Failed', 'the notice');
      expect(String(h.sf.org.get('Opportunity', opportunityId)?.Booking_Error__c)).toContain(`dead letter #${job!.id}`);

      const list = (await h.api('GET', '/v1/sync/dead-letters')).body as { items: Array<{ id: number }> };
      expect(list.items.map((i) => i.id)).toContain(job!.id);
      expect((await h.api('POST', `/v1/sync/dead-letters/${job!.id}/replay`)).status).toBe(202);
      expect(await h.waitForBooking(opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      expect(await h.salesFor(opportunityId)).toHaveLength(1);
      expect(h.sf.org.get('Opportunity', opportunityId)?.Booking_Status__c).toBe('Booked');
    });

    test('the poll books won deals the event missed, and leaves Failed, lost and open deals alone', async () => {
      const missed = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      const lost = seedDeal(h.sf, { stage: 'Closed Lost', lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      const open = seedDeal(h.sf, {
        stage: 'Proposal/Price Quote',
        lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }],
      });
      const failed = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      h.sf.org.update('Opportunity', failed.opportunityId, { Booking_Status__c: 'Failed' });
      const old = seedDeal(h.sf, { closeDate: '2019-12-31', lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });

      const result = await h.closeloop.pollBookings();
      expect(result.enqueued).toBeGreaterThanOrEqual(1);
      expect(await h.waitForBooking(missed.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      for (const untouched of [lost, open, failed, old]) {
        expect(await h.closeloop.queue.getByKey(`book:${untouched.opportunityId}`)).toBeNull();
      }
      const status = (await h.api('GET', '/v1/sync/status')).body as { bookings: { lastPoll: { found: number } } };
      expect(status.bookings.lastPoll.found).toBe(result.found);
    });

    test('four deals of one new account booked at once make one ERP customer', async () => {
      const first = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      const others = [2, 3, 4].map((q) =>
        seedDeal(h.sf, { accountId: first.accountId, lines: [{ code: SERVICE, quantity: q, unitPrice: 150 }] }),
      );
      const ids = [first, ...others].map((d) => d.opportunityId);
      await h.api('POST', '/v1/events', {
        events: ids.map((opportunityId) => ({ type: 'opportunity.closed_won', opportunityId })),
      });
      for (const id of ids) expect(await h.waitForBooking(id)).toEqual({ status: 'done', outcome: 'booked' });
      const customers = new Set((await Promise.all(ids.map((id) => h.salesFor(id)))).map(([sale]) => sale!.customerId));
      expect(customers.size).toBe(1);
      await expect(parts.erp.erp.findCustomersByExternalRef(first.accountId)).resolves.toHaveLength(1);
    });

    test('a deal changed while held for credit is booked as it is now, never at the old amount', async () => {
      const seeded = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }] });
      await closedWon(seeded.opportunityId);
      await h.waitForBooking(seeded.opportunityId);
      const customerId = String(h.sf.org.get('Account', seeded.accountId)?.ERP_Customer_Id__c);
      await parts.erp.setCreditLimit(customerId, money('200.00', parts.erp.currency));
      const deal = seedDeal(h.sf, {
        accountId: seeded.accountId,
        lines: [{ code: LICENSE, quantity: 1, unitPrice: 1200 }],
      });
      await closedWon(deal.opportunityId);
      expect(await h.waitForBooking(deal.opportunityId)).toEqual({ status: 'done', outcome: 'credit_hold' });
      const [held] = await h.salesFor(deal.opportunityId);

      // The rep doubles the quantity; finance raises the limit; someone clicks Retry.
      const [line] = h.sf.org.query(
        `SELECT Id FROM OpportunityLineItem WHERE OpportunityId = '${deal.opportunityId}'`,
      ).records;
      h.sf.org.update('OpportunityLineItem', String(line?.Id), { Quantity: 2 });
      await parts.erp.setCreditLimit(customerId, money('100000.00', parts.erp.currency));
      await h.api('POST', `/v1/opportunities/${deal.opportunityId}/book`, {});
      expect(await h.waitForBooking(deal.opportunityId)).toEqual({ status: 'done', outcome: 'booked' });

      const live = await h.salesFor(deal.opportunityId);
      expect(live).toHaveLength(1);
      expect(live[0]!.id).not.toBe(held!.id);
      expect(live[0]!.untaxedAmount).toEqual(money('2400.00', parts.erp.currency));
      await expect(parts.erp.erp.getSale(held!.id)).resolves.toMatchObject({ state: 'cancelled' });
      expect(h.sf.org.get('Opportunity', deal.opportunityId)).toMatchObject({
        Booking_Status__c: 'Booked',
        Amount_Invoiced__c: 2400,
      });
      const actions = (await auditTrail(h.store, 'opportunity', deal.opportunityId)).map((a) => a.action);
      expect(actions).toContain('erp.stale_quotation_cancelled');
    });

    test('an event that came before the deal was won does not stop it being booked once it is', async () => {
      const { opportunityId } = seedDeal(h.sf, {
        stage: 'Negotiation/Review',
        lines: [{ code: SERVICE, quantity: 1, unitPrice: 150 }],
      });
      await closedWon(opportunityId);
      expect(await h.waitForBooking(opportunityId)).toEqual({ status: 'done', outcome: 'not_won' });
      h.sf.org.update('Opportunity', opportunityId, { StageName: 'Closed Won' });
      await h.closeloop.pollBookings();
      await eventually(
        async () => (await h.closeloop.queue.getByKey(`book:${opportunityId}`))?.outcome === 'booked',
        'the booking',
      );
      expect(await h.salesFor(opportunityId)).toHaveLength(1);
    });

    test('two unconfirmed sales carrying the deal (left by an old race) → the oldest is booked, the other cancelled', async () => {
      const { accountId, opportunityId } = seedDeal(h.sf, { lines: [{ code: SERVICE, quantity: 2, unitPrice: 150 }] });
      const customer = await parts.erp.erp.createCustomer({
        name: `Race Leftover ${run}`,
        externalRef: accountId,
        countryCode: 'US',
      });
      const sale = () =>
        parts.erp.erp.createSale({
          reference: opportunityId,
          customerId: customer.id,
          currency: parts.erp.currency,
          saleDate: new Date().toISOString().slice(0, 10),
          description: 'left over',
          lines: [
            { productCode: SERVICE, description: 'svc', quantity: '2', unitPrice: money('150', parts.erp.currency) },
          ],
        });
      const older = await sale();
      const younger = await sale();
      await closedWon(opportunityId);
      expect(await h.waitForBooking(opportunityId)).toEqual({ status: 'done', outcome: 'booked' });
      expect((await h.salesFor(opportunityId)).map((s) => s.id)).toEqual([older.id]);
      await expect(parts.erp.erp.getSale(younger.id)).resolves.toMatchObject({ state: 'cancelled' });
    });

    test('an unknown opportunity id is recorded, not retried', async () => {
      const ghost = '006000000000999AAA';
      await closedWon(ghost);
      expect(await h.waitForBooking(ghost)).toEqual({ status: 'done', outcome: 'not_found' });
    });
  });
}
