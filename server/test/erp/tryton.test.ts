/**
 * The Tryton connector against a real trytond (Debian's Tryton 6.0 on SQLite): the shared
 * conformance suite, then what is specific to Tryton.
 */
import { randomUUID } from 'node:crypto';
import type { NewSale } from '../../src/erp/connector';
import { createTrytonConnector, type TrytonConnector } from '../../src/erp/tryton/connector';
import { BusinessError } from '../../src/errors';
import { money } from '../../src/money';
import { startTryton, TrytonAdmin, trytonTestKit, type RunningTryton } from '../support/tryton';
import { describeErpConformance, fakeSalesforceId } from './conformance';

let tryton: RunningTryton;

beforeAll(async () => {
  tryton = await startTryton();
}, 180_000); // a first run builds the cached database (~25–60 s)

afterAll(async () => {
  await tryton?.stop();
});

describeErpConformance('tryton', () => trytonTestKit(tryton));

describe('Tryton connector specifics', () => {
  const run = randomUUID().slice(0, 8);
  let erp: TrytonConnector;
  let admin: TrytonAdmin;
  let customerId: string;

  beforeAll(async () => {
    erp = createTrytonConnector(tryton);
    admin = new TrytonAdmin(tryton);
    const customer = await erp.createCustomer({
      name: `Specifics ${run}`,
      externalRef: fakeSalesforceId('001'),
      street: '5 Harbour Road',
      city: 'Leith',
      postalCode: 'EH6 6LX',
      countryCode: 'GB',
      phone: '+44 131 000 0000',
      website: 'https://example.com',
    });
    customerId = customer.id;
  });
  afterAll(async () => {
    await erp?.close();
    await admin?.close();
  });

  function sale(lines: Array<[string, string, string]>, currency = 'USD'): NewSale {
    return {
      reference: fakeSalesforceId('006'),
      customerId,
      currency,
      saleDate: new Date().toISOString().slice(0, 10),
      description: 'Specifics deal',
      lines: lines.map(([productCode, quantity, unitPrice]) => ({
        productCode,
        description: productCode,
        quantity,
        unitPrice: money(unitPrice, currency),
      })),
    };
  }

  test('the prepared database carries the demo catalogue', async () => {
    const codes = ['CL-ONBOARD', 'CL-LICENSE-STD', 'CL-LICENSE-PRO', 'CL-SUPPORT', 'CL-HW-GATEWAY'];
    const found = await erp.findProducts(codes);
    expect(found.map((p) => p.code).sort()).toEqual([...codes].sort());
  });

  test('services sold by the hour take fractional quantities, priced exactly', async () => {
    const created = await erp.createSale(
      sale([
        ['CL-ONBOARD', '2.5', '150.00'],
        ['CL-SUPPORT', '0.25', '120.00'],
      ]),
    );
    expect(created.untaxedAmount).toEqual(money('405.00', 'USD'));
  });

  test('a quantity the unit cannot hold is refused, not rounded, and nothing is created', async () => {
    const input = sale([['CL-LICENSE-STD', '1.5', '1200.00']]);
    const attempt = erp.createSale(input);
    await expect(attempt).rejects.toMatchObject({ name: 'BusinessError', code: 'INVALID_QUANTITY' });
    await expect(attempt).rejects.toThrow(/1\.5 of CL-LICENSE-STD/);
    await expect(erp.findSalesByReference(input.reference)).resolves.toEqual([]);

    await expect(erp.createSale(sale([['CL-SUPPORT', '0.125', '120.00']]))).rejects.toMatchObject({
      code: 'INVALID_QUANTITY',
    });
    await expect(erp.createSale(sale([['CL-SUPPORT', '0', '120.00']]))).rejects.toMatchObject({
      code: 'INVALID_QUANTITY',
    });
  });

  test('every unknown product code is named at once', async () => {
    const attempt = erp.createSale(
      sale([
        [`NOPE-A-${run}`, '1', '1.00'],
        ['CL-SUPPORT', '1', '1.00'],
        [`NOPE-B-${run}`, '1', '1.00'],
      ]),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCT_CODE' });
    await expect(attempt).rejects.toThrow(new RegExp(`NOPE-A-${run}.*NOPE-B-${run}`));
  });

  test('a sale in EUR keeps its currency through the invoice', async () => {
    const created = await erp.createSale(sale([['CL-LICENSE-PRO', '2', '2199.99']], 'EUR'));
    expect(created.untaxedAmount).toEqual(money('4399.98', 'EUR'));
    const confirmed = await erp.confirmSale(created.id);
    if (confirmed.status !== 'confirmed') throw new Error(`not confirmed: ${JSON.stringify(confirmed)}`);
    const posted = await erp.postInvoice(confirmed.sale.invoiceIds[0] as string);
    expect(posted).toMatchObject({ state: 'posted', totalAmount: money('4399.98', 'EUR') });
  });

  test('a posted invoice is due after the default payment term (net 30)', async () => {
    const created = await erp.createSale(sale([['CL-HW-GATEWAY', '1', '499.00']]));
    const confirmed = await erp.confirmSale(created.id);
    if (confirmed.status !== 'confirmed') throw new Error('not confirmed');
    expect(confirmed.sale.state).toBe('processing');
    const posted = await erp.postInvoice(confirmed.sale.invoiceIds[0] as string);
    const invoiceDate = new Date(`${posted.invoiceDate}T00:00:00Z`);
    const due = new Date(invoiceDate.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(posted.dueDate).toBe(due);
    expect(posted.number).toMatch(/^INV\/\d{4}\/\d{5}$/);
    expect(posted.amountToPay).toEqual(money('499.00', 'USD'));
  });

  test('the prepared database can take payments: part, then the rest', async () => {
    const created = await erp.createSale(sale([['CL-SUPPORT', '10', '120.00']]));
    const confirmed = await erp.confirmSale(created.id);
    if (confirmed.status !== 'confirmed') throw new Error('not confirmed');
    const invoiceId = confirmed.sale.invoiceIds[0] as string;
    await erp.postInvoice(invoiceId);

    await admin.payInvoice(invoiceId, money('200.00', 'USD'));
    await expect(erp.getInvoice(invoiceId)).resolves.toMatchObject({
      state: 'posted',
      amountToPay: money('1000.00', 'USD'),
    });
    await admin.payInvoice(invoiceId);
    await expect(erp.getInvoice(invoiceId)).resolves.toMatchObject({ state: 'paid', amountToPay: money('0', 'USD') });
  });

  test('a confirmed sale cannot be cancelled; a cancelled one cannot be confirmed', async () => {
    const confirmedSale = await erp.createSale(sale([['CL-SUPPORT', '1', '120.00']]));
    await erp.confirmSale(confirmedSale.id);
    await expect(erp.cancelSale(confirmedSale.id)).rejects.toMatchObject({ code: 'SALE_NOT_CANCELLABLE' });

    const cancelled = await erp.createSale(sale([['CL-SUPPORT', '1', '120.00']]));
    await erp.cancelSale(cancelled.id);
    await expect(erp.cancelSale(cancelled.id)).resolves.toBeUndefined();
    await expect(erp.confirmSale(cancelled.id)).rejects.toMatchObject({ code: 'SALE_CANCELLED' });
  });

  test('the credit-limit warning is never accepted on the user’s behalf', async () => {
    const customer = await erp.createCustomer({ name: `Tight credit ${run}`, externalRef: fakeSalesforceId('001') });
    await admin.setCreditLimit(customer.id, money('10.00', 'USD'));
    const created = await erp.createSale({ ...sale([['CL-SUPPORT', '1', '120.00']]), customerId: customer.id });
    for (let i = 0; i < 2; i++) {
      const held = await erp.confirmSale(created.id);
      expect(held).toEqual({ status: 'credit_hold', reason: expect.stringMatching(/credit limit/) });
    }
    const warnings = await admin.rpc.model('res.user.warning', 'search_count', [['name', 'like', '%credit_limit%']]);
    expect(warnings).toBe(0);
  });

  test('customers: unknown country code is left empty, odd ids and wildcards are harmless', async () => {
    const ref = fakeSalesforceId('001');
    const created = await erp.createCustomer({ name: `No country 100%_${run}`, externalRef: ref, countryCode: 'ZZ' });
    expect(created).toMatchObject({ countryCode: null, postalCode: null, externalRef: ref });
    await expect(erp.getCustomer('abc')).resolves.toBeNull();
    await expect(erp.getCustomer('-1')).resolves.toBeNull();
    const byPercent = await erp.searchCustomersByName(['100%_'], 10);
    expect(byPercent.map((c) => c.id)).toEqual([created.id]);
    await expect(erp.searchCustomersByName([' ', ''], 10)).resolves.toEqual([]);
  });

  test('customers created concurrently all succeed', async () => {
    const created = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        erp.createCustomer({ name: `Parallel ${i} ${run}`, externalRef: fakeSalesforceId('001') }),
      ),
    );
    expect(new Set(created.map((c) => c.id)).size).toBe(4);
  });

  test('when Tryton cannot invoice a confirmed sale, its own reason surfaces and a retry can finish it', async () => {
    const code = `CL-NOACCOUNT-${run}`;
    await admin.ensureProduct(code, 'Product without accounts', money('10.00', 'USD'), { accounting: false });
    const created = await erp.createSale(sale([[code, '1', '10.00']]));
    // Tryton answers `confirm` but its queued invoicing fails; the connector re-runs it to learn why.
    await expect(erp.confirmSale(created.id)).rejects.toMatchObject({
      name: 'BusinessError',
      message: expect.stringMatching(/account/i),
    });
    await expect(erp.getSale(created.id)).resolves.toMatchObject({ state: 'confirmed', invoiceIds: [] });

    // Someone fixes the product in Tryton; confirming again finishes the same sale.
    const productTemplate = await admin.idOf('product.template', [['products.code', '=', code]]);
    const category = await admin.idOf('product.category', [['accounting', '=', true]]);
    await admin.rpc.model('product.template', 'write', [productTemplate], { account_category: category });
    const retried = await erp.confirmSale(created.id);
    expect(retried).toMatchObject({
      status: 'confirmed',
      sale: { state: 'processing', invoiceIds: [expect.any(String)] },
    });
  });

  test('unknown invoices and malformed ids are BusinessErrors', async () => {
    await expect(erp.getInvoice('987654321')).rejects.toBeInstanceOf(BusinessError);
    await expect(erp.postInvoice('x')).rejects.toMatchObject({ code: 'UNKNOWN_INVOICE' });
    await expect(erp.getSale('1.5')).rejects.toMatchObject({ code: 'UNKNOWN_SALE' });
  });
});
