/**
 * The connector conformance suite: the same expectations, unchanged, for every ERP behind
 * `ErpConnector`. Each ERP's test file supplies a kit and calls `describeErpConformance`.
 */
import { randomUUID } from 'node:crypto';
import type { ErpConnector, NewSale } from '../../src/erp/connector';
import { BusinessError, TransientError } from '../../src/errors';
import { money, type Money } from '../../src/money';

export interface ErpTestKit {
  connector: ErpConnector;
  /** The ERP company's currency; the suite books in it. */
  currency: string;
  /** Makes sure a sellable product with this code exists. */
  ensureProduct(code: string, name: string, listPrice: Money): Promise<void>;
  /** Sets (or with null removes) the customer's credit limit in the ERP. */
  setCreditLimit(customerId: string, limit: Money | null): Promise<void>;
  /** Records a customer payment on a posted invoice (the whole open amount by default). */
  payInvoice(invoiceId: string, amount?: Money, date?: string): Promise<void>;
  /**
   * Makes a posted invoice for the customer dated `invoiceDate` (its due date follows the ERP's
   * payment term, 30 days), the way finance would bill outside Closeloop. Returns its id.
   */
  issueInvoice(customerId: string, amount: Money, invoiceDate: string): Promise<string>;
  /** A connector of the same kind pointed at an ERP that does not answer. */
  unreachableConnector(): ErpConnector;
  close(): Promise<void>;
}

/** A fake but well-formed 18-character Salesforce id, unique per call. */
export function fakeSalesforceId(prefix: string): string {
  return (prefix + randomUUID().replace(/-/g, '')).slice(0, 15) + 'AAA';
}

export function describeErpConformance(name: string, makeKit: () => Promise<ErpTestKit>): void {
  describe(`ErpConnector conformance: ${name}`, () => {
    let kit: ErpTestKit;
    let erp: ErpConnector;
    const run = randomUUID().slice(0, 8);
    const widget = `CL-WIDGET-${run}`;
    const service = `CL-SERVICE-${run}`;

    beforeAll(async () => {
      kit = await makeKit();
      erp = kit.connector;
      await kit.ensureProduct(widget, 'Conformance widget', money('25.00', kit.currency));
      await kit.ensureProduct(service, 'Conformance service', money('1000.00', kit.currency));
    });
    afterAll(async () => {
      await kit?.close();
    });

    async function newCustomer(label: string) {
      return erp.createCustomer({
        name: `Conformance ${label} ${run}`,
        externalRef: fakeSalesforceId('001'),
        street: '1 Main Street',
        city: 'Springfield',
        postalCode: '12345',
        countryCode: 'US',
      });
    }

    function saleFor(customerId: string, lines: Array<[string, string, string]>): NewSale {
      return {
        reference: fakeSalesforceId('006'),
        customerId,
        currency: kit.currency,
        saleDate: new Date().toISOString().slice(0, 10),
        description: 'Conformance deal',
        lines: lines.map(([productCode, quantity, unitPrice]) => ({
          productCode,
          description: `Line for ${productCode}`,
          quantity,
          unitPrice: money(unitPrice, kit.currency),
        })),
      };
    }

    test('ping answers', async () => {
      await expect(erp.ping()).resolves.toBeUndefined();
    });

    test('an unreachable ERP is a TransientError, not a business failure', async () => {
      const down = kit.unreachableConnector();
      try {
        await expect(down.ping()).rejects.toBeInstanceOf(TransientError);
        await expect(down.getCustomer('1')).rejects.toBeInstanceOf(TransientError);
      } finally {
        await down.close();
      }
    });

    test('a created customer can be read back, found by its external ref and by name', async () => {
      const externalRef = fakeSalesforceId('001');
      const created = await erp.createCustomer({
        name: `Zanzibar Trading ${run}`,
        externalRef,
        city: 'Stone Town',
        postalCode: '71000',
        countryCode: 'TZ',
      });
      expect(created).toMatchObject({ name: `Zanzibar Trading ${run}`, externalRef });
      expect(created.id).toMatch(/^\S+$/);

      await expect(erp.getCustomer(created.id)).resolves.toMatchObject({
        id: created.id,
        name: `Zanzibar Trading ${run}`,
        externalRef,
        countryCode: 'TZ',
        postalCode: '71000',
      });
      await expect(erp.findCustomersByExternalRef(externalRef)).resolves.toEqual([
        expect.objectContaining({ id: created.id }),
      ]);
      await expect(erp.findCustomersByExternalRef(fakeSalesforceId('001'))).resolves.toEqual([]);

      const byName = await erp.searchCustomersByName(['zanzibar', `${run}`], 20);
      expect(byName.map((c) => c.id)).toContain(created.id);
    });

    test('an unknown customer id reads as null', async () => {
      await expect(erp.getCustomer('987654321')).resolves.toBeNull();
    });

    test('findProducts returns the known codes only', async () => {
      const found = await erp.findProducts([widget, `NO-SUCH-${run}`, service]);
      expect(found.map((p) => p.code).sort()).toEqual([service, widget].sort());
      await expect(erp.findProducts([])).resolves.toEqual([]);
    });

    test('sale → confirm → invoice → post, with exact amounts and the reference kept', async () => {
      const customer = await newCustomer('happy');
      const input = saleFor(customer.id, [
        [widget, '3', '19.99'],
        [service, '2', '750.00'],
      ]);
      const sale = await erp.createSale(input);
      expect(sale).toMatchObject({
        reference: input.reference,
        customerId: customer.id,
        state: 'quotation',
        untaxedAmount: money('1559.97', kit.currency),
        invoiceIds: [],
      });
      await expect(erp.findSalesByReference(input.reference)).resolves.toEqual([
        expect.objectContaining({ id: sale.id }),
      ]);

      const confirmed = await erp.confirmSale(sale.id);
      expect(confirmed.status).toBe('confirmed');
      if (confirmed.status !== 'confirmed') return;
      expect(['confirmed', 'processing']).toContain(confirmed.sale.state);
      expect(confirmed.sale.invoiceIds).toHaveLength(1);

      const invoiceId = confirmed.sale.invoiceIds[0] as string;
      const draft = await erp.getInvoice(invoiceId);
      expect(draft).toMatchObject({
        state: 'draft',
        number: null,
        customerId: customer.id,
        untaxedAmount: money('1559.97', kit.currency),
      });

      const posted = await erp.postInvoice(invoiceId);
      expect(posted.state).toBe('posted');
      expect(posted.number).toEqual(expect.any(String));
      expect(posted.amountToPay).toEqual(posted.totalAmount);
      expect(posted.invoiceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      // Idempotent steps: confirming or posting again changes nothing.
      const again = await erp.confirmSale(sale.id);
      expect(again.status).toBe('confirmed');
      if (again.status === 'confirmed') expect(again.sale.invoiceIds).toEqual([invoiceId]);
      await expect(erp.postInvoice(invoiceId)).resolves.toMatchObject({ number: posted.number });
      await expect(erp.findSalesByReference(input.reference)).resolves.toHaveLength(1);
    });

    test('a sale over the credit limit is held, stays unconfirmed, and the same sale confirms once released', async () => {
      const customer = await newCustomer('credit');
      await kit.setCreditLimit(customer.id, money('100.00', kit.currency));
      const sale = await erp.createSale(saleFor(customer.id, [[service, '1', '1000.00']]));

      const held = await erp.confirmSale(sale.id);
      expect(held.status).toBe('credit_hold');
      if (held.status === 'credit_hold') expect(held.reason).toMatch(/credit/i);
      await expect(erp.getSale(sale.id)).resolves.toMatchObject({ state: 'quotation', invoiceIds: [] });

      await kit.setCreditLimit(customer.id, money('5000.00', kit.currency));
      const released = await erp.confirmSale(sale.id);
      expect(released.status).toBe('confirmed');
      await expect(erp.findSalesByReference(sale.reference)).resolves.toEqual([
        expect.objectContaining({ id: sale.id }),
      ]);
    });

    test('a cancelled quotation is no longer found by its reference', async () => {
      const customer = await newCustomer('cancel');
      const sale = await erp.createSale(saleFor(customer.id, [[widget, '1', '25.00']]));
      await erp.cancelSale(sale.id);
      await expect(erp.findSalesByReference(sale.reference)).resolves.toEqual([]);
      await expect(erp.getSale(sale.id)).resolves.toMatchObject({ state: 'cancelled' });
    });

    test('a sale with an unknown product code is a BusinessError naming the code, and creates nothing', async () => {
      const customer = await newCustomer('unknown-sku');
      const input = saleFor(customer.id, [[`NO-SUCH-${run}`, '1', '10.00']]);
      const attempt = erp.createSale(input);
      await expect(attempt).rejects.toBeInstanceOf(BusinessError);
      await expect(attempt).rejects.toThrow(`NO-SUCH-${run}`);
      await expect(erp.findSalesByReference(input.reference)).resolves.toEqual([]);
    });

    /** Reads every page after `cursor`; returns the items and the cursor after them. */
    async function drain<T>(
      read: (c: string | null, limit: number) => Promise<{ items: T[]; cursor: string | null; more: boolean }>,
      cursor: string | null,
      limit = 500,
    ) {
      const items: T[] = [];
      for (let pages = 0; pages < 1000; pages++) {
        const page = await read(cursor, limit);
        items.push(...page.items);
        cursor = page.cursor ?? cursor;
        if (!page.more) return { items, cursor };
      }
      throw new Error('the change feed never ended');
    }
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

    test('invoices and payments are read incrementally: a new invoice, then a part payment, then the rest', async () => {
      const invoicesRead = (c: string | null, l: number) => erp.invoicesChangedSince(c, l);
      const paymentsRead = (c: string | null, l: number) => erp.paymentsChangedSince(c, l);
      let { cursor: invoiceCursor } = await drain(invoicesRead, null);
      let { cursor: paymentCursor } = await drain(paymentsRead, null);

      const customer = await newCustomer('feed');
      const input = saleFor(customer.id, [[service, '1', '400.00']]);
      const sale = await erp.createSale(input);
      const confirmed = await erp.confirmSale(sale.id);
      if (confirmed.status !== 'confirmed') throw new Error('expected a confirmed sale');
      const invoiceId = confirmed.sale.invoiceIds[0] as string;
      const posted = await erp.postInvoice(invoiceId);

      const fresh = await drain(invoicesRead, invoiceCursor);
      const seen = fresh.items.filter((i) => i.id === invoiceId).at(-1);
      expect(seen).toMatchObject({
        id: invoiceId,
        number: posted.number,
        state: 'posted',
        customerId: customer.id,
        saleId: sale.id,
        saleReference: input.reference,
        totalAmount: money('400.00', kit.currency),
        amountToPay: money('400.00', kit.currency),
      });
      expect(seen?.dueDate && seen.invoiceDate && seen.dueDate >= seen.invoiceDate).toBe(true);
      expect(seen?.paymentIds).toEqual([]);
      invoiceCursor = fresh.cursor;

      await kit.payInvoice(invoiceId, money('150.00', kit.currency), daysAgo(0));
      const payments = await drain(paymentsRead, paymentCursor);
      const payment = payments.items.filter((p) => p.invoiceId === invoiceId);
      expect(payment).toEqual([
        expect.objectContaining({
          invoiceId,
          customerId: customer.id,
          amount: money('150.00', kit.currency),
          date: daysAgo(0),
        }),
      ]);
      paymentCursor = payments.cursor;
      // A payment changes what is left to pay, so the invoice counts as changed too.
      const partly = (await drain(invoicesRead, invoiceCursor)).items.filter((i) => i.id === invoiceId).at(-1);
      expect(partly).toMatchObject({ state: 'posted', amountToPay: money('250.00', kit.currency) });
      expect(partly?.paymentIds).toEqual([payment[0]?.id]);

      await kit.payInvoice(invoiceId);
      const rest = await drain(paymentsRead, paymentCursor);
      expect(rest.items.filter((p) => p.invoiceId === invoiceId).map((p) => p.amount)).toEqual([
        money('250.00', kit.currency),
      ]);
      const paid = (await drain(invoicesRead, invoiceCursor)).items.filter((i) => i.id === invoiceId).at(-1);
      expect(paid).toMatchObject({ state: 'paid', amountToPay: money('0.00', kit.currency) });
      expect(paid?.paymentIds).toHaveLength(2);
    });

    test('a change feed read one item at a time skips nothing', async () => {
      const { cursor: start } = await drain((c, l) => erp.invoicesChangedSince(c, l), null);
      const customer = await newCustomer('paging');
      const issued = [];
      for (const amount of ['10.00', '20.00', '30.00'])
        issued.push(await kit.issueInvoice(customer.id, money(amount, kit.currency), daysAgo(1)));
      const pages: number[] = [];
      const all = await drain(
        async (c, l) => {
          const page = await erp.invoicesChangedSince(c, l);
          pages.push(page.items.length);
          return page;
        },
        start,
        1,
      );
      expect(pages.every((n) => n <= 1)).toBe(true);
      for (const id of issued) expect(all.items.map((i) => i.id)).toContain(id);
    });

    test('an invoice issued 45 days ago is past its due date', async () => {
      const customer = await newCustomer('overdue');
      const id = await kit.issueInvoice(customer.id, money('99.00', kit.currency), daysAgo(45));
      const invoice = await erp.getInvoice(id);
      expect(invoice).toMatchObject({
        state: 'posted',
        invoiceDate: daysAgo(45),
        amountToPay: money('99.00', kit.currency),
      });
      expect(invoice.dueDate! < daysAgo(0)).toBe(true);
    });

    test('credit: a new limit is a change; a customer owing more than the limit is on hold', async () => {
      const { cursor } = await drain((c, l) => erp.creditChangedSince(c, l), null);
      const customer = await newCustomer('limit');
      await kit.setCreditLimit(customer.id, money('100.00', kit.currency));
      const changed = await drain((c, l) => erp.creditChangedSince(c, l), cursor);
      expect(changed.items.filter((c) => c.customerId === customer.id).at(-1)).toEqual({
        customerId: customer.id,
        creditLimit: money('100.00', kit.currency),
        creditHold: false,
      });
      await kit.issueInvoice(customer.id, money('250.00', kit.currency), daysAgo(2));
      const activity = await erp.customerActivity(customer.id);
      expect(activity.credit).toEqual({
        customerId: customer.id,
        creditLimit: money('100.00', kit.currency),
        creditHold: true,
      });
    });

    test('customerActivity is one customer’s invoices and payments, nobody else’s', async () => {
      const mine = await newCustomer('activity');
      const other = await newCustomer('other');
      const invoiceId = await kit.issueInvoice(mine.id, money('80.00', kit.currency), daysAgo(3));
      await kit.issueInvoice(other.id, money('70.00', kit.currency), daysAgo(3));
      await kit.payInvoice(invoiceId, money('30.00', kit.currency), daysAgo(1));
      const activity = await erp.customerActivity(mine.id);
      expect(activity.invoices.map((i) => [i.id, i.amountToPay])).toEqual([[invoiceId, money('50.00', kit.currency)]]);
      expect(activity.payments).toEqual([
        expect.objectContaining({ invoiceId, amount: money('30.00', kit.currency), date: daysAgo(1) }),
      ]);
      expect(activity.credit).toEqual({ customerId: mine.id, creditLimit: null, creditHold: false });
    });

    test('reading an unknown sale is a BusinessError', async () => {
      await expect(erp.getSale('987654321')).rejects.toBeInstanceOf(BusinessError);
    });
  });
}
