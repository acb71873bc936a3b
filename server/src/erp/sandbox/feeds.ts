/** The sandbox ERP's change feeds and one customer's live activity (see ledger.ts for why no change is skipped). */
import Decimal from 'decimal.js';
import { money } from '../../money';
import type { Sql } from '../../store/db';
import type { ChangePage, ErpCustomerCredit, ErpInvoiceDetail, ErpPayment } from '../connector';
import { cursorOf, parseCursor } from './ledger';
import {
  COMPANY_CURRENCY,
  INVOICE_COLUMNS,
  INVOICE_FROM,
  INVOICE_SELECT,
  PAYMENT_COLUMNS,
  PAYMENT_FROM,
  PAYMENT_SELECT,
  rowId,
  toInvoice,
  toPayment,
  type InvoiceRow,
  type PaymentRow,
} from './rows';

type Stamped<R> = R & { change_stamp: string; id: number };

/**
 * Rows after the cursor by (stamp, id), one more than asked to tell whether more are waiting.
 * `stampColumn` is a column name from this file, never input.
 */
async function page<R extends { id: number }, T>(
  tx: Sql,
  select: string,
  stampColumn: string,
  cursor: string | null,
  limit: number,
  convert: (row: Stamped<R>) => T,
): Promise<ChangePage<T>> {
  const after = parseCursor(cursor);
  const rows = await tx.query<Stamped<R>>(
    `SELECT * FROM (${select}) changes
      WHERE (${stampColumn}, id) > ($1::timestamptz, $2::integer)
      ORDER BY ${stampColumn}, id LIMIT $3`,
    [after.stamp, after.id, limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(convert), cursor: last ? cursorOf(last) : cursor, more: rows.length > limit };
}

export function invoicesChangedSince(tx: Sql, cursor: string | null, limit: number) {
  const select = `SELECT ${INVOICE_COLUMNS}, i.updated_at::text AS change_stamp FROM ${INVOICE_FROM}`;
  return page<InvoiceRow, ErpInvoiceDetail>(tx, select, 'updated_at', cursor, limit, toInvoice);
}

export function paymentsChangedSince(tx: Sql, cursor: string | null, limit: number) {
  const select = `SELECT ${PAYMENT_COLUMNS}, p.created_at::text AS change_stamp FROM ${PAYMENT_FROM}`;
  return page<PaymentRow, ErpPayment>(tx, select, 'created_at', cursor, limit, toPayment);
}

interface CreditRow {
  id: number;
  credit_limit: string | null;
  credit_hold: boolean;
  owed: string;
  [c: string]: unknown;
}

const CREDIT_SELECT = `SELECT c.id, c.credit_limit, c.credit_hold, c.updated_at, c.updated_at::text AS change_stamp,
    COALESCE((SELECT sum(i.total - i.amount_paid) FROM sandbox_invoices i
               WHERE i.customer_id = c.id AND i.state IN ('draft', 'posted') AND i.currency = '${COMPANY_CURRENCY}'), 0) AS owed
  FROM sandbox_customers c`;

/** Hold when finance says so, or when what is owed has used up the limit. */
function toCredit(r: CreditRow): ErpCustomerCredit {
  const limit = r.credit_limit === null ? null : money(r.credit_limit, COMPANY_CURRENCY);
  const exhausted = limit !== null && new Decimal(r.owed).gte(limit.amount);
  return { customerId: String(r.id), creditLimit: limit, creditHold: r.credit_hold || exhausted };
}

export function creditChangedSince(tx: Sql, cursor: string | null, limit: number) {
  return page<CreditRow, ErpCustomerCredit>(tx, CREDIT_SELECT, 'updated_at', cursor, limit, toCredit);
}

export async function customerActivity(tx: Sql, customerId: string) {
  const id = rowId(customerId) ?? 0;
  const invoices = await tx.query<InvoiceRow>(`${INVOICE_SELECT} WHERE i.customer_id = $1 ORDER BY i.id`, [id]);
  const payments = await tx.query<PaymentRow>(`${PAYMENT_SELECT} WHERE i.customer_id = $1 ORDER BY p.id`, [id]);
  const [credit] = await tx.query<CreditRow>(`${CREDIT_SELECT} WHERE c.id = $1`, [id]);
  return {
    invoices: invoices.map(toInvoice),
    payments: payments.map(toPayment),
    credit: credit ? toCredit(credit) : { customerId, creditLimit: null, creditHold: false },
  };
}
