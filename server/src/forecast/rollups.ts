/**
 * What each deal was invoiced and paid, one row per (opportunity, currency) in
 * `opportunity_rollups`, computed inside PostgreSQL from the read model, so the dashboard never
 * aggregates a million invoices per request.
 *
 * - Invoiced: posted and paid invoices of the deal (drafts and cancelled ones are not revenue),
 *   with tax (what the customer owes) and before tax (what compares with the deal's amount).
 * - Paid: invoiced minus what is still open, as the ERP reports it.
 * - Overdue: open past the due date, for `today` (so every row is recomputed once a day).
 * - An invoice is paid in full on the date of its last payment; it counts as "due" once paid in
 *   full or past its due date, and as paid on time when paid in full by the due date.
 * - Days outstanding, weighted by amount: each payment × its days from the invoice date, and
 *   what is still open × its days so far (the DSO of the dashboard).
 */
import type { Sql, Store } from '../store/db';
import { markMonthsOf, rebuildStaleMonths } from './months';

export async function refreshOpportunityRollups(
  store: Store,
  opportunityIds: string[] | 'all',
  today: string,
): Promise<void> {
  if (opportunityIds === 'all' || opportunityIds.length > 0) {
    await store.transaction(async (tx: Sql) => {
      // Two statements, not one with "$all OR id = ANY(…)": under generic plans that form can
      // never use the index, and the sweep's few deals would scan a million invoices.
      if (opportunityIds === 'all') {
        await tx.query('DELETE FROM opportunity_rollups');
        await tx.query(refreshSql('TRUE'), [today]);
      } else {
        await tx.query('DELETE FROM opportunity_rollups WHERE opportunity_id = ANY ($1::text[])', [opportunityIds]);
        await tx.query(refreshSql('i.opportunity_id = ANY ($2::text[])'), [today, opportunityIds]);
      }
      await markMonthsOf(tx, opportunityIds);
    });
  }
  // Also months left stale by an earlier run that stopped before its rebuild.
  await rebuildStaleMonths(store);
}

/** $1 today; `which` selects the invoices (and may use $2). */
const refreshSql = (which: string) => `
WITH invoices AS (
  SELECT i.erp_id, i.opportunity_id, i.currency, i.total, i.untaxed, i.open_amount, i.issue_date, i.due_date
    FROM erp_invoices i
   WHERE i.opportunity_id IS NOT NULL AND i.state IN ('posted', 'paid') AND ${which}
), payments AS (
  -- Joins, not a subquery per invoice: the daily run covers a million invoices.
  SELECT i.erp_id, max(p.paid_on) AS last_paid_on, sum(p.amount) AS amount,
         sum(p.amount * GREATEST(p.paid_on - i.issue_date, 0)) AS amount_days
    FROM invoices i JOIN erp_payments p ON p.erp_invoice_id = i.erp_id
   GROUP BY i.erp_id
), facts AS (
  SELECT i.*, CASE WHEN i.open_amount <= 0 THEN p.last_paid_on END AS paid_on,
         COALESCE(p.amount, 0) AS paid_recorded, COALESCE(p.amount_days, 0) AS paid_amount_days,
         CASE WHEN i.open_amount > 0 AND i.issue_date IS NOT NULL
              THEN i.open_amount * GREATEST($1::date - i.issue_date, 0) ELSE 0 END AS open_amount_days
    FROM invoices i LEFT JOIN payments p ON p.erp_id = i.erp_id
)
INSERT INTO opportunity_rollups (opportunity_id, currency, invoiced, invoiced_untaxed, paid, open_amount, overdue,
                                 first_invoice_date, invoices_due, invoices_paid_on_time, invoices_paid, days_to_payment,
                                 outstanding_amount_days, outstanding_amount, computed_for)
SELECT opportunity_id, currency,
       sum(total),
       sum(untaxed),
       sum(total - open_amount),
       sum(open_amount),
       COALESCE(sum(open_amount) FILTER (WHERE open_amount > 0 AND due_date < $1::date), 0),
       min(issue_date),
       count(*) FILTER (WHERE paid_on IS NOT NULL OR (open_amount > 0 AND due_date < $1::date)),
       count(*) FILTER (WHERE paid_on IS NOT NULL AND paid_on <= due_date),
       count(*) FILTER (WHERE paid_on IS NOT NULL AND issue_date IS NOT NULL),
       COALESCE(sum(paid_on - issue_date) FILTER (WHERE paid_on IS NOT NULL AND issue_date IS NOT NULL), 0),
       sum(paid_amount_days + open_amount_days),
       sum(CASE WHEN issue_date IS NOT NULL THEN paid_recorded + GREATEST(open_amount, 0) ELSE 0 END),
       $1::date
  FROM facts
 GROUP BY opportunity_id, currency`;
