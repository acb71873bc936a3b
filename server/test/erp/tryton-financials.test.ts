/**
 * The Tryton connector's financial reads against a real trytond, beyond the conformance suite:
 * exposure changes in the credit feed, one-transaction batches, drafts, foreign currency.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ChangePage, ErpConnector, ErpCustomerCredit, ErpInvoiceDetail } from '../../src/erp/connector';
import { createTrytonConnector } from '../../src/erp/tryton/connector';
import { money } from '../../src/money';
import { startTryton, TrytonAdmin, type RunningTryton } from '../support/tryton';
import { fakeSalesforceId } from './conformance';

let tryton: RunningTryton;
let erp: ErpConnector;
let admin: TrytonAdmin;
const run = randomUUID().slice(0, 8);
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  tryton = await startTryton();
  erp = createTrytonConnector(tryton);
  admin = new TrytonAdmin(tryton);
}, 180_000);

afterAll(async () => {
  await erp?.close();
  await admin?.close();
  await tryton?.stop();
});

type Read<T> = (cursor: string | null, limit: number) => Promise<ChangePage<T>>;

/** Every page after `cursor`, and the page sizes seen. */
async function drain<T>(read: Read<T>, cursor: string | null, limit = 500) {
  const items: T[] = [];
  const sizes: number[] = [];
  for (let pages = 0; pages < 200; pages++) {
    const page = await read(cursor, limit);
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.cursor ?? cursor;
    if (!page.more) return { items, cursor, sizes };
  }
  throw new Error('the change feed never ended');
}

const invoices: Read<ErpInvoiceDetail> = (c, l) => erp.invoicesChangedSince(c, l);
const credit: Read<ErpCustomerCredit> = (c, l) => erp.creditChangedSince(c, l);

async function customer(label: string): Promise<string> {
  const created = await erp.createCustomer({
    name: `Financials ${label} ${run}`,
    externalRef: fakeSalesforceId('001'),
    street: '1 Quay',
    city: 'Leith',
  });
  return created.id;
}

test('a first credit read lists every party once, then follows changes', async () => {
  const id = await customer('snapshot');
  await admin.setCreditLimit(id, money('50.00', 'USD'));
  const first = await drain(credit, null, 2);
  expect(first.sizes.every((n) => n <= 2)).toBe(true);
  // Every party once, in id order; then the feed from just before, which may repeat a recent one.
  const parties = z.number().parse(await admin.rpc.model('party.party', 'search_count', []));
  const listed = first.items.slice(0, parties).map((c) => Number(c.customerId));
  expect(listed).toEqual([...new Set(listed)].sort((a, b) => a - b));
  expect(first.items.find((c) => c.customerId === id)).toEqual({
    customerId: id,
    creditLimit: money('50.00', 'USD'),
    creditHold: false,
  });

  await admin.setCreditLimit(id, null);
  const next = await drain(credit, first.cursor);
  expect(next.items.filter((c) => c.customerId === id).at(-1)).toEqual({
    customerId: id,
    creditLimit: null,
    creditHold: false,
  });
});

test('the credit feed reports a hold once invoices use up the limit, and its release once paid', async () => {
  const id = await customer('exposure');
  await admin.setCreditLimit(id, money('100.00', 'USD'));
  let { cursor } = await drain(credit, null);

  const invoiceId = await admin.issueInvoice(id, money('250.00', 'USD'), today());
  const held = await drain(credit, cursor);
  expect(held.items.filter((c) => c.customerId === id).at(-1)).toEqual({
    customerId: id,
    creditLimit: money('100.00', 'USD'),
    creditHold: true,
  });
  cursor = held.cursor;

  await admin.payInvoice(invoiceId);
  const released = await drain(credit, cursor);
  expect(released.items.filter((c) => c.customerId === id).at(-1)).toMatchObject({ creditHold: false });
});

test('a confirmed sale not yet invoiced counts towards the hold', async () => {
  const id = await customer('sale-exposure');
  await admin.setCreditLimit(id, money('1000.00', 'USD'));
  const { cursor } = await drain(credit, null);
  const sale = await erp.createSale({
    reference: fakeSalesforceId('006'),
    customerId: id,
    currency: 'USD',
    saleDate: today(),
    description: 'Exposure deal',
    lines: [{ productCode: 'CL-LICENSE-STD', description: 'Seat', quantity: '1', unitPrice: money('1000.00', 'USD') }],
  });
  await expect(erp.confirmSale(sale.id)).resolves.toMatchObject({ status: 'confirmed' });
  const changed = await drain(credit, cursor);
  expect(changed.items.filter((c) => c.customerId === id).at(-1)).toMatchObject({ creditHold: true });
});

test('invoices posted in one transaction share a timestamp and still page one or two at a time, each once', async () => {
  const id = await customer('batch');
  const { cursor } = await drain(invoices, null);
  const ids = await admin.issueInvoices(
    id,
    ['1.00', '2.00', '3.00', '4.00', '5.00'].map((a) => money(a, 'USD')),
  );

  const paged = await drain(invoices, cursor, 2);
  expect(paged.sizes.every((n) => n <= 2)).toBe(true);
  const mine = paged.items.filter((i) => ids.includes(i.id));
  expect(mine.map((i) => i.id).sort()).toEqual([...ids].sort());
  expect(mine.every((i) => i.state === 'posted')).toBe(true);

  // Read to the end, nothing new: the next read hands out nothing again.
  const again = await drain(invoices, paged.cursor);
  expect(again.items.filter((i) => ids.includes(i.id))).toEqual([]);
});

test('a draft invoice made by a confirmed sale is in the feed, with the opportunity it bills', async () => {
  const id = await customer('draft');
  const { cursor } = await drain(invoices, null);
  const reference = fakeSalesforceId('006');
  const sale = await erp.createSale({
    reference,
    customerId: id,
    currency: 'USD',
    saleDate: today(),
    description: 'Draft deal',
    lines: [{ productCode: 'CL-SUPPORT', description: 'Support', quantity: '2', unitPrice: money('120.00', 'USD') }],
  });
  const confirmed = await erp.confirmSale(sale.id);
  if (confirmed.status !== 'confirmed') throw new Error('not confirmed');
  const fresh = await drain(invoices, cursor);
  expect(fresh.items.find((i) => i.id === confirmed.sale.invoiceIds[0])).toMatchObject({
    state: 'draft',
    number: null,
    saleId: sale.id,
    saleReference: reference,
    totalAmount: money('240.00', 'USD'),
  });
});

test('a payment on a EUR invoice is told in euros', async () => {
  const id = await customer('eur');
  const sale = await erp.createSale({
    reference: fakeSalesforceId('006'),
    customerId: id,
    currency: 'EUR',
    saleDate: today(),
    description: 'Euro deal',
    lines: [{ productCode: 'CL-SUPPORT', description: 'Support', quantity: '1', unitPrice: money('100.00', 'EUR') }],
  });
  const confirmed = await erp.confirmSale(sale.id);
  if (confirmed.status !== 'confirmed') throw new Error('not confirmed');
  const invoiceId = confirmed.sale.invoiceIds[0] as string;
  await erp.postInvoice(invoiceId);
  await admin.payInvoice(invoiceId, money('40.00', 'EUR'));

  const activity = await erp.customerActivity(id);
  expect(activity.payments).toEqual([
    { id: expect.any(String), invoiceId, customerId: id, amount: money('40.00', 'EUR'), date: today() },
  ]);
  expect(activity.invoices).toEqual([expect.objectContaining({ id: invoiceId, amountToPay: money('60.00', 'EUR') })]);
  expect(activity.credit).toEqual({ customerId: id, creditLimit: null, creditHold: false });
});

test('an unknown customer and a foreign cursor are BusinessErrors', async () => {
  await expect(erp.customerActivity('987654321')).rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
  await expect(erp.customerActivity('abc')).rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
  await expect(erp.invoicesChangedSince('sandbox:42', 10)).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  await expect(erp.paymentsChangedSince('tryton1.bm9wZQ', 10)).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
});
