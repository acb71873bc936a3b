/** Invoices and payments in the sandbox ERP: post, record a payment, bill outside a sale. */
import Decimal from 'decimal.js';
import { BusinessError } from '../../errors';
import { formatMoney, money, type Money } from '../../money';
import type { Sql } from '../../store/db';
import type { ErpInvoiceDetail } from '../connector';
import { touchCustomer } from './ledger';
import { INVOICE_SELECT, PAYMENT_TERM_DAYS, rowId, toInvoice, type InvoiceRow } from './rows';

export async function invoiceRow(sql: Sql, id: string, forUpdate = false): Promise<InvoiceRow> {
  const key = rowId(id);
  const rows =
    key === null
      ? []
      : await sql.query<InvoiceRow>(`${INVOICE_SELECT} WHERE i.id = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`, [key]);
  if (!rows[0]) throw new BusinessError('ERP_NOT_FOUND', `Invoice ${id} does not exist.`);
  return rows[0];
}

/** Posts a draft: gives it its number, its date (today unless given) and its due date. */
export async function postInvoice(tx: Sql, id: string, invoiceDate?: string): Promise<ErpInvoiceDetail> {
  if (invoiceDate !== undefined) assertIsoDay(invoiceDate);
  const invoice = await invoiceRow(tx, id, true);
  if (invoice.state === 'cancelled') throw new BusinessError('ERP_VALIDATION', `Invoice ${id} is cancelled.`);
  if (invoice.state === 'draft') {
    await tx.query(
      `UPDATE sandbox_invoices
          SET state = 'posted', invoice_date = d.day, due_date = d.day + $3::integer, updated_at = clock_timestamp(),
              number = 'INV-' || to_char(d.day, 'YYYY') || '-' || lpad(nextval('sandbox_invoice_number')::text, 5, '0')
         FROM (SELECT COALESCE($2::date, CURRENT_DATE) AS day) d
        WHERE id = $1`,
      [invoice.id, invoiceDate ?? null, PAYMENT_TERM_DAYS],
    );
    await touchCustomer(tx, invoice.customer_id);
  }
  return toInvoice(await invoiceRow(tx, id));
}

/** A calendar day as finance types it (YYYY-MM-DD), or a validation error naming it. */
export function assertIsoDay(day: string): void {
  const parsed = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day)
    throw new BusinessError('ERP_VALIDATION', `"${day}" is not a date (YYYY-MM-DD).`);
}

/** Finance moves a posted invoice's due date (e.g. agreed terms): the change feed carries it again. */
export async function setDueDate(tx: Sql, invoiceId: string, dueDate: string): Promise<void> {
  assertIsoDay(dueDate);
  const invoice = await invoiceRow(tx, invoiceId, true);
  if (invoice.state !== 'posted')
    throw new BusinessError(
      'ERP_VALIDATION',
      `Invoice ${invoiceId} is ${invoice.state}: only a posted invoice has a due date.`,
    );
  await tx.query('UPDATE sandbox_invoices SET due_date = $2::date, updated_at = clock_timestamp() WHERE id = $1', [
    invoice.id,
    dueDate,
  ]);
  await touchCustomer(tx, invoice.customer_id);
}

/** A customer payment against a posted invoice: the open amount unless a part is given. */
export async function recordPayment(tx: Sql, invoiceId: string, amount?: Money, date?: string): Promise<void> {
  const invoice = await invoiceRow(tx, invoiceId, true);
  if (invoice.state !== 'posted')
    throw new BusinessError('ERP_VALIDATION', `Invoice ${invoiceId} is ${invoice.state}, not open for payment.`);
  const open = money(new Decimal(invoice.total).minus(invoice.amount_paid), invoice.currency);
  const paying = amount ?? open;
  if (paying.currency !== invoice.currency)
    throw new BusinessError(
      'ERP_VALIDATION',
      `Invoice ${invoiceId} is in ${invoice.currency}, not ${paying.currency}.`,
    );
  if (new Decimal(paying.amount).lte(0) || new Decimal(paying.amount).gt(open.amount)) {
    throw new BusinessError(
      'ERP_VALIDATION',
      `A payment must be more than zero and at most the open ${formatMoney(open)}.`,
    );
  }
  await tx.query(
    `INSERT INTO sandbox_payments (invoice_id, amount, currency, paid_on, created_at) VALUES ($1, $2, $3, COALESCE($4::date, CURRENT_DATE), clock_timestamp())`,
    [invoice.id, paying.amount, paying.currency, date ?? null],
  );
  await tx.query(
    'UPDATE sandbox_invoices SET amount_paid = amount_paid + $2, updated_at = clock_timestamp() WHERE id = $1',
    [invoice.id, paying.amount],
  );
  await touchCustomer(tx, invoice.customer_id);
}

/** Finance reverses the invoice's latest payment (a bounced transfer): the amount is open again. */
export async function reversePayment(tx: Sql, invoiceId: string): Promise<void> {
  const invoice = await invoiceRow(tx, invoiceId, true);
  const [payment] = await tx.query<{ id: number; amount: string }>(
    'DELETE FROM sandbox_payments WHERE id = (SELECT max(id) FROM sandbox_payments WHERE invoice_id = $1) RETURNING id, amount',
    [invoice.id],
  );
  if (!payment) throw new BusinessError('ERP_VALIDATION', `Invoice ${invoiceId} has no payment to reverse.`);
  await tx.query(
    'UPDATE sandbox_invoices SET amount_paid = amount_paid - $2, updated_at = clock_timestamp() WHERE id = $1',
    [invoice.id, payment.amount],
  );
  await touchCustomer(tx, invoice.customer_id);
}

/** Finance bills outside Closeloop: a one-line sale, confirmed, its invoice posted on `invoiceDate`. */
export async function issueInvoice(tx: Sql, customerId: string, amount: Money, invoiceDate: string): Promise<string> {
  const customer = rowId(customerId);
  const [sale] = await tx.query<{ id: number }>(
    `INSERT INTO sandbox_sales (reference, customer_id, state, currency, sale_date, description, untaxed)
     VALUES ('', $1, 'processing', $2, $3, 'Billed by finance', $4) RETURNING id`,
    [customer, amount.currency, invoiceDate, amount.amount],
  );
  const [invoice] = await tx.query<{ id: number }>(
    `INSERT INTO sandbox_invoices (sale_id, customer_id, state, currency, untaxed, total, updated_at)
     VALUES ($1, $2, 'draft', $3, $4, $4, clock_timestamp()) RETURNING id`,
    [sale?.id ?? null, customer, amount.currency, amount.amount],
  );
  const id = String((invoice as { id: number }).id);
  await postInvoice(tx, id, invoiceDate);
  return id;
}
