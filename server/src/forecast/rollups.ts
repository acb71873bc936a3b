/**
 * What each deal was invoiced and paid, one row per (opportunity, currency) in
 * `opportunity_rollups`, computed inside PostgreSQL from the read model. The dashboard then joins
 * deals 1:1 with these rows instead of aggregating a million invoices per request.
 *
 * - Invoiced: posted and paid invoices of the deal (drafts and cancelled ones are not revenue).
 * - Paid: invoiced minus what is still open, as the ERP reports it.
 * - Overdue: open past the due date, for `today` (so every row is recomputed once a day).
 * - An invoice is paid in full on the date of its last payment; it counts as "due" once paid in
 *   full or past its due date, and as paid on time when paid in full by the due date.
 */
import type { Sql, Store } from '../store/db';
import { markMonthsOf, rebuildStaleMonths } from './months';

export async function refreshOpportunityRollups(
  store: Store,
  opportunityIds: string[] | 'all',
  today: string,
): Promise<void> {
  if (opportunityIds !== 'all' && opportunityIds.length === 0) return;
  const everything = opportunityIds === 'all';
  const ids = everything ? [] : opportunityIds;
  await store.transaction(async (tx: Sql) => {
    await tx.query('DELETE FROM opportunity_rollups WHERE $2 OR opportunity_id = ANY ($1::text[])', [ids, everything]);
    await tx.query(REFRESH_SQL, [ids, today, everything]);
    await markMonthsOf(tx, opportunityIds);
  });
  await rebuildStaleMonths(store);
}

const REFRESH_SQL = `
WITH invoices AS (
  SELECT i.erp_id, i.opportunity_id, i.currency, i.total, i.open_amount, i.issue_date, i.due_date
    FROM erp_invoices i
   WHERE i.opportunity_id IS NOT NULL AND i.state IN ('posted', 'paid')
     AND ($3 OR i.opportunity_id = ANY ($1::text[]))
), settled AS (
  -- Paid in full on the day of the last payment (joins, not a subquery per invoice: 1M invoices).
  SELECT i.erp_id, max(p.paid_on) AS paid_on
    FROM invoices i JOIN erp_payments p ON p.erp_invoice_id = i.erp_id
   WHERE i.open_amount <= 0
   GROUP BY i.erp_id
), facts AS (
  SELECT i.*, s.paid_on FROM invoices i LEFT JOIN settled s ON s.erp_id = i.erp_id
)
INSERT INTO opportunity_rollups (opportunity_id, currency, invoiced, paid, open_amount, overdue, first_invoice_date,
                                 invoices_due, invoices_paid_on_time, invoices_paid, days_to_payment, computed_for)
SELECT opportunity_id, currency,
       sum(total),
       sum(total - open_amount),
       sum(open_amount),
       COALESCE(sum(open_amount) FILTER (WHERE open_amount > 0 AND due_date < $2::date), 0),
       min(issue_date),
       count(*) FILTER (WHERE paid_on IS NOT NULL OR (open_amount > 0 AND due_date < $2::date)),
       count(*) FILTER (WHERE paid_on IS NOT NULL AND paid_on <= due_date),
       count(*) FILTER (WHERE paid_on IS NOT NULL AND issue_date IS NOT NULL),
       COALESCE(sum(paid_on - issue_date) FILTER (WHERE paid_on IS NOT NULL AND issue_date IS NOT NULL), 0),
       $2::date
  FROM facts
 GROUP BY opportunity_id, currency`;
