/**
 * Per-account financial summaries, computed from the read model by one SQL aggregate inside
 * PostgreSQL and stored (table account_summaries), so a page view is a primary-key read and a
 * sweep over 100k accounts never loops in JavaScript over invoices.
 *
 * - Outstanding: what is still to be paid on posted invoices, in the account's currency.
 * - Overdue and aging: the same by days past the due date (current, 1–30, 31–60, 61–90, 90+).
 * - Available credit: the ERP's limit minus outstanding (only when both are in one currency).
 * - Credit hold: the ERP says so, or outstanding has reached the limit.
 * - DSO: outstanding ÷ invoiced in the last 90 days × 90 (null without sales in that time).
 */
import Decimal from 'decimal.js';
import { money, type Money } from '../money';
import type { Sql } from '../store/db';

export interface AccountSummary {
  accountId: string;
  erpCustomerId: string;
  currency: string;
  outstanding: Money;
  overdue: Money;
  aging: { current: Money; days1to30: Money; days31to60: Money; days61to90: Money; over90: Money };
  creditLimit: Money | null;
  availableCredit: Money | null;
  creditHold: boolean;
  lastPaymentDate: string | null;
  dso: number | null;
}

const DSO_WINDOW_DAYS = 90;

export interface SummaryRow {
  account_id: string;
  erp_customer_id: string;
  currency: string;
  outstanding: string;
  current: string;
  d1_30: string;
  d31_60: string;
  d61_90: string;
  over_90: string;
  sales_window: string;
  credit_limit: string | null;
  credit_currency: string | null;
  credit_hold: boolean | null;
  last_payment: string | null;
  other_currencies: Array<{ currency: string; outstanding: string; overdue: string }> | null;
  invoice_count: number;
  payment_count: number;
  computed_for: string;
  [c: string]: unknown;
}

/**
 * Recomputes and stores the summaries of these accounts (or of every linked account) for `today`,
 * in one statement inside PostgreSQL: the aggregates never travel to the backend.
 */
export async function refreshSummaries(sql: Sql, accounts: string[] | 'all', today: string): Promise<void> {
  if (accounts !== 'all' && accounts.length === 0) return;
  await sql.query(REFRESH_SQL, [accounts === 'all' ? [] : accounts, today, accounts === 'all']);
}

const REFRESH_SQL = `
WITH links AS (
  SELECT account_id, erp_customer_id, currency FROM account_links WHERE $3 OR account_id = ANY ($1::text[])
), invoices AS (
  SELECT l.account_id,
         COALESCE(sum(i.open_amount) FILTER (WHERE i.state = 'posted'), 0) AS outstanding,
         COALESCE(sum(i.open_amount) FILTER (WHERE i.state = 'posted' AND (i.due_date IS NULL OR i.due_date >= $2::date)), 0) AS current,
         COALESCE(sum(i.open_amount) FILTER (WHERE i.state = 'posted' AND i.due_date < $2::date AND i.due_date >= $2::date - 30), 0) AS d1_30,
         COALESCE(sum(i.open_amount) FILTER (WHERE i.state = 'posted' AND i.due_date < $2::date - 30 AND i.due_date >= $2::date - 60), 0) AS d31_60,
         COALESCE(sum(i.open_amount) FILTER (WHERE i.state = 'posted' AND i.due_date < $2::date - 60 AND i.due_date >= $2::date - 90), 0) AS d61_90,
         COALESCE(sum(i.open_amount) FILTER (WHERE i.state = 'posted' AND i.due_date < $2::date - 90), 0) AS over_90,
         COALESCE(sum(i.total) FILTER (WHERE i.state IN ('posted', 'paid') AND i.issue_date > $2::date - ${DSO_WINDOW_DAYS}), 0) AS sales_window
    FROM links l
    LEFT JOIN erp_invoices i ON i.erp_customer_id = l.erp_customer_id AND i.currency = l.currency
   GROUP BY l.account_id
)
INSERT INTO account_summaries (account_id, erp_customer_id, currency, outstanding, current, d1_30, d31_60, d61_90, over_90,
                               sales_window, credit_limit, credit_currency, credit_hold, last_payment, other_currencies,
                               invoice_count, payment_count, computed_for, computed_at)
SELECT l.account_id, l.erp_customer_id, l.currency, v.outstanding, v.current, v.d1_30, v.d31_60, v.d61_90, v.over_90,
       v.sales_window, c.credit_limit, c.currency, c.credit_hold,
       (SELECT max(p.paid_on) FROM erp_payments p WHERE p.erp_customer_id = l.erp_customer_id),
       -- Open amounts in the customer's other currencies: listed by the pulse, never added in.
       (SELECT jsonb_agg(jsonb_build_object('currency', o.currency, 'outstanding', o.outstanding::text, 'overdue', o.overdue::text) ORDER BY o.currency)
          FROM (SELECT currency, sum(open_amount) AS outstanding, COALESCE(sum(open_amount) FILTER (WHERE due_date < $2::date), 0) AS overdue
                  FROM erp_invoices WHERE erp_customer_id = l.erp_customer_id AND currency <> l.currency AND state = 'posted'
                 GROUP BY currency) o),
       (SELECT count(*) FROM erp_invoices WHERE erp_customer_id = l.erp_customer_id),
       (SELECT count(*) FROM erp_payments WHERE erp_customer_id = l.erp_customer_id),
       $2::date, now()
  FROM links l
  JOIN invoices v ON v.account_id = l.account_id
  LEFT JOIN erp_credit c ON c.erp_customer_id = l.erp_customer_id
ON CONFLICT (account_id) DO UPDATE SET
  erp_customer_id = EXCLUDED.erp_customer_id, currency = EXCLUDED.currency, outstanding = EXCLUDED.outstanding,
  current = EXCLUDED.current, d1_30 = EXCLUDED.d1_30, d31_60 = EXCLUDED.d31_60, d61_90 = EXCLUDED.d61_90,
  over_90 = EXCLUDED.over_90, sales_window = EXCLUDED.sales_window, credit_limit = EXCLUDED.credit_limit,
  credit_currency = EXCLUDED.credit_currency, credit_hold = EXCLUDED.credit_hold, last_payment = EXCLUDED.last_payment,
  other_currencies = EXCLUDED.other_currencies, invoice_count = EXCLUDED.invoice_count,
  payment_count = EXCLUDED.payment_count, computed_for = EXCLUDED.computed_for, computed_at = now()`;

/**
 * The stored summaries of these accounts for `today`; any missing or computed on an earlier day
 * (aging has moved) is recomputed first. Accounts with no ERP customer have none.
 */
export async function accountSummaries(sql: Sql, accountIds: string[], today: string): Promise<AccountSummary[]> {
  if (accountIds.length === 0) return [];
  const read = () =>
    sql.query<SummaryRow>('SELECT * FROM account_summaries s WHERE account_id = ANY ($1::text[]) ORDER BY account_id', [
      accountIds,
    ]);
  let rows = await read();
  const current = new Set(rows.filter((r) => r.computed_for === today).map((r) => r.account_id));
  const stale = accountIds.filter((id) => !current.has(id));
  if (stale.length > 0) {
    await refreshSummaries(sql, stale, today);
    rows = await read();
  }
  return rows.map(toSummary);
}

export function toSummary(r: SummaryRow): AccountSummary {
  const m = (v: Decimal.Value) => money(v, r.currency);
  const outstanding = new Decimal(r.outstanding);
  const overdue = new Decimal(r.d1_30).plus(r.d31_60).plus(r.d61_90).plus(r.over_90);
  // A limit in another currency than the account's is shown as it is, never converted.
  const limit = r.credit_limit === null ? null : money(r.credit_limit, r.credit_currency ?? r.currency);
  const comparable = limit !== null && limit.currency === r.currency;
  const available = comparable ? m(new Decimal(limit.amount).minus(outstanding)) : null;
  const exhausted = comparable && outstanding.gte(limit.amount);
  const sales = new Decimal(r.sales_window);
  return {
    accountId: r.account_id,
    erpCustomerId: r.erp_customer_id,
    currency: r.currency,
    outstanding: m(outstanding),
    overdue: m(overdue),
    aging: {
      current: m(r.current),
      days1to30: m(r.d1_30),
      days31to60: m(r.d31_60),
      days61to90: m(r.d61_90),
      over90: m(r.over_90),
    },
    creditLimit: limit,
    availableCredit: available,
    creditHold: (r.credit_hold ?? false) || exhausted,
    lastPaymentDate: r.last_payment,
    dso: sales.isZero() ? null : outstanding.dividedBy(sales).times(DSO_WINDOW_DAYS).toDecimalPlaces(1).toNumber(),
  };
}
