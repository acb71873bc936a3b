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

    test('reading an unknown sale is a BusinessError', async () => {
      await expect(erp.getSale('987654321')).rejects.toBeInstanceOf(BusinessError);
    });
  });
}
