/** Writing what the ERP says into the read model (tables erp_invoices, erp_payments, erp_credit). */
import type { ErpCustomerCredit, ErpInvoiceDetail, ErpPayment } from '../erp/connector';
import { toId18 } from '../salesforce/ids';
import type { Sql } from '../store/db';

export async function readCursor(sql: Sql, name: string): Promise<string | null> {
  const [row] = await sql.query<{ value: string | null }>('SELECT value FROM sync_cursors WHERE name = $1', [name]);
  return row?.value ?? null;
}

export async function writeCursor(sql: Sql, name: string, value: string | null): Promise<void> {
  await sql.query(
    `INSERT INTO sync_cursors (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [name, value],
  );
}

/** The sale's reference names the opportunity only when it is a Salesforce Opportunity Id. */
function opportunityOf(reference: string | null): string | null {
  const id = reference ? toId18(reference) : null;
  return id?.startsWith('006') ? id : null;
}

export async function upsertInvoices(sql: Sql, invoices: ErpInvoiceDetail[]): Promise<void> {
  if (invoices.length === 0) return;
  await sql.query(
    `INSERT INTO erp_invoices (erp_id, number, erp_customer_id, erp_sale_id, opportunity_id, state, currency,
                               total, untaxed, open_amount, issue_date, due_date, pulled_at)
     SELECT * , now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                  $8::numeric[], $9::numeric[], $10::numeric[], $11::date[], $12::date[])
     ON CONFLICT (erp_id) DO UPDATE SET
       number = EXCLUDED.number, erp_customer_id = EXCLUDED.erp_customer_id, erp_sale_id = EXCLUDED.erp_sale_id,
       opportunity_id = EXCLUDED.opportunity_id, state = EXCLUDED.state, currency = EXCLUDED.currency,
       total = EXCLUDED.total, untaxed = EXCLUDED.untaxed, open_amount = EXCLUDED.open_amount,
       issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date, pulled_at = now()`,
    [
      invoices.map((i) => i.id),
      invoices.map((i) => i.number ?? ''),
      invoices.map((i) => i.customerId),
      invoices.map((i) => i.saleId ?? ''),
      invoices.map((i) => opportunityOf(i.saleReference) ?? ''),
      invoices.map((i) => i.state),
      invoices.map((i) => i.totalAmount.currency),
      invoices.map((i) => i.totalAmount.amount),
      invoices.map((i) => i.untaxedAmount.amount),
      invoices.map((i) => i.amountToPay.amount),
      invoices.map((i) => i.invoiceDate ?? ''),
      invoices.map((i) => i.dueDate ?? ''),
    ].map((column) => column.map((v) => (v === '' ? null : v))),
  );
  await forgetRemovedPayments(sql, invoices);
}

/** Payments the ERP no longer applies to these invoices (removed, reversed) are forgotten. */
async function forgetRemovedPayments(sql: Sql, invoices: ErpInvoiceDetail[]): Promise<void> {
  await sql.query(
    `DELETE FROM erp_payments WHERE erp_invoice_id = ANY ($1::text[]) AND NOT (erp_id = ANY ($2::text[]))`,
    [invoices.map((i) => i.id), invoices.flatMap((i) => i.paymentIds)],
  );
}

export async function upsertPayments(sql: Sql, payments: ErpPayment[]): Promise<void> {
  if (payments.length === 0) return;
  await sql.query(
    `INSERT INTO erp_payments (erp_id, erp_invoice_id, erp_customer_id, currency, amount, paid_on, pulled_at)
     SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::date[])
     ON CONFLICT (erp_id) DO UPDATE SET
       erp_invoice_id = EXCLUDED.erp_invoice_id, erp_customer_id = EXCLUDED.erp_customer_id,
       currency = EXCLUDED.currency, amount = EXCLUDED.amount, paid_on = EXCLUDED.paid_on, pulled_at = now()`,
    [
      payments.map((p) => p.id),
      payments.map((p) => p.invoiceId),
      payments.map((p) => p.customerId),
      payments.map((p) => p.amount.currency),
      payments.map((p) => p.amount.amount),
      payments.map((p) => p.date),
    ],
  );
}

export async function upsertCredit(sql: Sql, credit: ErpCustomerCredit[]): Promise<void> {
  if (credit.length === 0) return;
  await sql.query(
    `INSERT INTO erp_credit (erp_customer_id, credit_limit, currency, credit_hold, pulled_at)
     SELECT *, now() FROM unnest($1::text[], $2::numeric[], $3::text[], $4::boolean[])
     ON CONFLICT (erp_customer_id) DO UPDATE SET
       credit_limit = EXCLUDED.credit_limit, currency = EXCLUDED.currency,
       credit_hold = EXCLUDED.credit_hold, pulled_at = now()`,
    [
      credit.map((c) => c.customerId),
      credit.map((c) => c.creditLimit?.amount ?? null),
      credit.map((c) => c.creditLimit?.currency ?? null),
      credit.map((c) => c.creditHold),
    ],
  );
}

/** These ERP customers' figures changed: the next sweep pushes them (see migration 007). */
export async function markDirty(sql: Sql, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await sql.query(
    `INSERT INTO financial_dirty (erp_customer_id) SELECT DISTINCT unnest($1::text[])
     ON CONFLICT (erp_customer_id) DO UPDATE SET marked_at = clock_timestamp()`,
    [customerIds],
  );
}

/**
 * The customers waiting to be pushed, and the moment they were read (for `clearDirty`). The moment
 * stays PostgreSQL's text: a JS Date would drop the microseconds and miss marks made in the same
 * millisecond.
 */
export async function readDirty(sql: Sql): Promise<{ customerIds: string[]; readAt: string }> {
  const [clock] = await sql.query<{ now: string }>('SELECT clock_timestamp()::text AS now');
  const readAt = (clock as { now: string }).now;
  const rows = await sql.query<{ erp_customer_id: string }>(
    'SELECT erp_customer_id FROM financial_dirty WHERE marked_at <= $1::timestamptz',
    [readAt],
  );
  return { customerIds: rows.map((r) => r.erp_customer_id), readAt };
}

/** Pushed: forget them — unless they changed again since they were read. */
export async function clearDirty(sql: Sql, customerIds: string[], readAt: string): Promise<void> {
  if (customerIds.length === 0) return;
  await sql.query(
    'DELETE FROM financial_dirty WHERE erp_customer_id = ANY ($1::text[]) AND marked_at <= $2::timestamptz',
    [customerIds, readAt],
  );
}
