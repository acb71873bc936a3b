/**
 * Per-account financial summaries, computed from the read model with one SQL aggregate (so a
 * page view or a sweep over 100k accounts never loops in JavaScript over invoices).
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

interface SummaryRow {
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
  [c: string]: unknown;
}

const SUMMARY_SQL = `
WITH links AS (
  SELECT account_id, erp_customer_id, currency FROM account_links WHERE account_id = ANY ($1::text[])
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
SELECT l.account_id, l.erp_customer_id, l.currency, v.outstanding, v.current, v.d1_30, v.d31_60, v.d61_90, v.over_90,
       v.sales_window, c.credit_limit, c.currency AS credit_currency, c.credit_hold,
       (SELECT max(p.paid_on) FROM erp_payments p WHERE p.erp_customer_id = l.erp_customer_id)::text AS last_payment
  FROM links l
  JOIN invoices v ON v.account_id = l.account_id
  LEFT JOIN erp_credit c ON c.erp_customer_id = l.erp_customer_id`;

export async function accountSummaries(sql: Sql, accountIds: string[], today: string): Promise<AccountSummary[]> {
  if (accountIds.length === 0) return [];
  const rows = await sql.query<SummaryRow>(SUMMARY_SQL, [accountIds, today]);
  return rows.map(toSummary);
}

function toSummary(r: SummaryRow): AccountSummary {
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
