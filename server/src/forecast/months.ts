/**
 * The dashboard's cube (`forecast_months`): every figure of the forecast summed per month of
 * close, owner, lead source and currency. Every figure is a sum (ratios and averages are divided
 * only when served), so months add up to quarters and owners to totals exactly.
 *
 * Whatever changes a deal or its invoicing marks the deal's months stale in its own transaction
 * (`markMonthsOf`); `rebuildStaleMonths` then recomputes those months from the deals and their
 * rollups and clears the marks in one transaction, under a lock so two rebuilds never interleave.
 */
import type { Sql, Store } from '../store/db';

const REBUILD_LOCK = 7_240_601;

/** Marks the months these deals close in (as stored now) stale. */
export async function markMonthsOf(sql: Sql, opportunityIds: string[] | 'all'): Promise<void> {
  if (opportunityIds !== 'all' && opportunityIds.length === 0) return;
  const which = opportunityIds === 'all' ? 'TRUE' : 'id = ANY ($1::text[])';
  // DO UPDATE, not DO NOTHING: the row lock makes a concurrent rebuild wait for this transaction,
  // so it cannot clear a mark whose change it does not see yet.
  await sql.query(
    `INSERT INTO forecast_stale_months (month)
     SELECT DISTINCT date_trunc('month', close_date)::date FROM sf_opportunities WHERE ${which}
     ON CONFLICT (month) DO UPDATE SET month = EXCLUDED.month`,
    opportunityIds === 'all' ? [] : [opportunityIds],
  );
}

/** Recomputes the stale months; returns how many. */
export async function rebuildStaleMonths(store: Store): Promise<number> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [REBUILD_LOCK]);
    const stale = await tx.query<{ month: string }>('DELETE FROM forecast_stale_months RETURNING month::text AS month');
    if (stale.length === 0) return 0;
    const months = stale.map((s) => s.month);
    await tx.query('DELETE FROM forecast_months WHERE month = ANY ($1::date[])', [months]);
    await tx.query(REBUILD_SQL, [months]);
    return months.length;
  });
}

/** Deal-side sums in the deal's currency, invoice-side sums in the invoice's; one row per currency. */
const REBUILD_SQL = `
WITH deals AS (
  -- '' for "no lead source" while joining (NULL never equals NULL), NULL again when stored.
  SELECT o.id, o.owner_id, o.owner_name, COALESCE(o.lead_source, '') AS lead_source, o.amount, o.currency,
         o.probability, o.close_date, o.is_won, o.is_closed, m.month
    FROM unnest($1::date[]) AS m(month)
    JOIN sf_opportunities o ON o.close_date >= m.month AND o.close_date < (m.month + interval '1 month')::date
), deal_side AS (
  SELECT month, owner_id, max(owner_name) AS owner_name, lead_source, currency,
         count(*) FILTER (WHERE NOT is_closed)::int AS open_deals,
         count(*) FILTER (WHERE is_won)::int AS won_deals,
         count(*) FILTER (WHERE is_closed AND NOT is_won)::int AS lost_deals,
         COALESCE(sum(amount) FILTER (WHERE NOT is_closed), 0) AS pipeline,
         COALESCE(sum(amount * COALESCE(probability, 0) / 100) FILTER (WHERE NOT is_closed), 0) AS weighted,
         COALESCE(sum(amount) FILTER (WHERE is_won), 0) AS booked
    FROM deals GROUP BY month, owner_id, lead_source, currency
), money_side AS (
  SELECT d.month, d.owner_id, max(d.owner_name) AS owner_name, d.lead_source, r.currency,
         sum(r.invoiced) AS invoiced, sum(r.invoiced_untaxed) AS invoiced_untaxed, sum(r.paid) AS paid,
         sum(r.open_amount) AS open_amount, sum(r.overdue) AS overdue,
         count(r.first_invoice_date)::int AS invoiced_deals,
         COALESCE(sum(r.first_invoice_date - d.close_date), 0)::int AS close_to_invoice_days,
         sum(r.invoices_due)::int AS invoices_due, sum(r.invoices_paid_on_time)::int AS paid_on_time,
         sum(r.invoices_paid)::int AS invoices_paid, sum(r.days_to_payment)::int AS days_to_payment,
         sum(r.outstanding_amount_days) AS outstanding_amount_days, sum(r.outstanding_amount) AS outstanding_amount
    FROM deals d JOIN opportunity_rollups r ON r.opportunity_id = d.id
   GROUP BY d.month, d.owner_id, d.lead_source, r.currency
)
INSERT INTO forecast_months
SELECT month, owner_id, COALESCE(d.owner_name, m.owner_name), NULLIF(lead_source, ''), currency,
       COALESCE(open_deals, 0), COALESCE(won_deals, 0), COALESCE(lost_deals, 0),
       COALESCE(pipeline, 0), COALESCE(weighted, 0), COALESCE(booked, 0),
       COALESCE(invoiced, 0), COALESCE(invoiced_untaxed, 0), COALESCE(paid, 0), COALESCE(open_amount, 0),
       COALESCE(overdue, 0),
       COALESCE(invoiced_deals, 0), COALESCE(close_to_invoice_days, 0), COALESCE(invoices_due, 0),
       COALESCE(paid_on_time, 0), COALESCE(invoices_paid, 0), COALESCE(days_to_payment, 0),
       COALESCE(outstanding_amount_days, 0), COALESCE(outstanding_amount, 0)
  FROM deal_side d
  FULL JOIN money_side m USING (month, owner_id, lead_source, currency)`;
