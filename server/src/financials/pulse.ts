/**
 * GET /v1/accounts/{id}/pulse — the account's financial pulse, from the read model (no ERP call
 * per page view), in ONE query: the summary, the open amounts in other currencies, and the pages
 * of invoices and payments come back as one row (the pages as JSON built by PostgreSQL). This is
 * the hot path of the product (1,000 views a second on two cores), so round trips count.
 * With `refresh`, that one customer is pulled live from the ERP first, within a short budget;
 * past it the read model answers and says so.
 */
import type { ErpConnector } from '../erp/connector';
import { errorClass } from '../errors';
import { money, subtractMoney } from '../money';
import type { Sql, Store } from '../store/db';
import { daysOverdue, invoiceStatus, isoDay } from './invoiceStatus';
import { markDirty, upsertCredit, upsertInvoices, upsertPayments } from './readModel';
import { refreshSummaries, toSummary, type AccountSummary, type SummaryRow } from './summaries';
import type { AccountPulseView, AccountSummaryView, InvoiceView, PaymentView } from './views';

export const REFRESH_BUDGET_MS = 2000;

export interface PulseQuery {
  invoicesLimit: number;
  invoicesOffset: number;
  paymentsLimit: number;
  paymentsOffset: number;
  refresh: boolean;
}

export interface PulseDeps {
  store: Store;
  erp: ErpConnector;
  /** The org's corporate currency, for accounts not linked yet. */
  defaultCurrency(): Promise<string>;
  now?: () => Date;
}

export interface InvoiceRow {
  erp_id: string;
  number: string | null;
  opportunity_id: string | null;
  state: 'draft' | 'validated' | 'posted' | 'paid' | 'cancelled';
  currency: string;
  total: string;
  open_amount: string;
  issue_date: string | null;
  due_date: string | null;
  [c: string]: unknown;
}

interface PaymentRow {
  erp_id: string;
  erp_invoice_id: string;
  number: string | null;
  paid_on: string;
  amount: string;
  currency: string;
}

export const INVOICE_VIEW_COLUMNS =
  'erp_id, number, opportunity_id, state, currency, total, open_amount, issue_date, due_date';

/**
 * The stored summary ($1 account, $2 today) with the two pages ($3–$6) built as JSON by PostgreSQL:
 * one primary-key read and two index scans, one round trip. Amounts travel as text inside the
 * JSON, so no float ever touches them.
 */
const PULSE_SQL = `
SELECT s.*,
  (SELECT COALESCE(jsonb_agg(jsonb_build_object('erp_id', x.erp_id, 'number', x.number, 'opportunity_id', x.opportunity_id,
            'state', x.state, 'currency', x.currency, 'total', x.total::text, 'open_amount', x.open_amount::text,
            'issue_date', x.issue_date::text, 'due_date', x.due_date::text)), '[]')
     FROM (SELECT ${INVOICE_VIEW_COLUMNS} FROM erp_invoices WHERE erp_customer_id = s.erp_customer_id
            ORDER BY issue_date DESC NULLS FIRST, erp_id DESC LIMIT $3 OFFSET $4) x) AS invoice_page,
  (SELECT COALESCE(jsonb_agg(jsonb_build_object('erp_id', y.erp_id, 'erp_invoice_id', y.erp_invoice_id, 'number', y.number,
            'paid_on', y.paid_on::text, 'amount', y.amount::text, 'currency', y.currency)), '[]')
     FROM (SELECT p.erp_id, p.erp_invoice_id, i.number, p.paid_on, p.amount, p.currency
             FROM erp_payments p LEFT JOIN erp_invoices i ON i.erp_id = p.erp_invoice_id
            WHERE p.erp_customer_id = s.erp_customer_id ORDER BY p.paid_on DESC, p.erp_id DESC LIMIT $5 OFFSET $6) y) AS payment_page
  FROM account_summaries s
 WHERE s.account_id = $1 AND s.computed_for = $2::date`;

interface PulseRow extends SummaryRow {
  invoice_page: InvoiceRow[];
  payment_page: PaymentRow[];
}

export function invoiceView(r: InvoiceRow, today: string): InvoiceView {
  const facts = { state: r.state, total: r.total, openAmount: r.open_amount, dueDate: r.due_date };
  const total = money(r.total, r.currency);
  const open = money(r.open_amount, r.currency);
  return {
    id: r.erp_id,
    number: r.number,
    opportunityId: r.opportunity_id,
    status: invoiceStatus(facts, today),
    issueDate: r.issue_date,
    dueDate: r.due_date,
    daysOverdue: daysOverdue(facts, today),
    total,
    amountPaid: subtractMoney(total, open),
    openAmount: open,
  };
}

function paymentView(r: PaymentRow): PaymentView {
  return {
    id: r.erp_id,
    invoiceId: r.erp_invoice_id,
    invoiceNumber: r.number,
    date: r.paid_on,
    amount: money(r.amount, r.currency),
  };
}

export function summaryView(s: AccountSummary): AccountSummaryView {
  return {
    outstanding: s.outstanding,
    overdue: s.overdue,
    aging: s.aging,
    creditLimit: s.creditLimit,
    availableCredit: s.availableCredit,
    creditHold: s.creditHold,
    lastPaymentDate: s.lastPaymentDate,
    dso: s.dso,
  };
}

/**
 * When the read model last heard from the ERP: the end of the last sweep that worked. Sweeps run
 * a minute apart, so the answer is kept for a second rather than asked on every page view.
 */
let lastPulled: { at: number; value: string | null; sql: Sql } | null = null;
const LAST_PULLED_TTL_MS = 1000;

export async function lastPulledAt(sql: Sql): Promise<string | null> {
  if (lastPulled && lastPulled.sql === sql && Date.now() - lastPulled.at < LAST_PULLED_TTL_MS) return lastPulled.value;
  const [row] = await sql.query<{ at: Date | null }>(
    `SELECT finished_at AS at FROM sync_runs WHERE kind = 'financials' AND error IS NULL AND finished_at IS NOT NULL
      ORDER BY finished_at DESC LIMIT 1`,
  );
  const value = row?.at ? row.at.toISOString() : null;
  lastPulled = { at: Date.now(), value, sql };
  return value;
}

/** A sweep just finished: the next page view asks again. */
export function forgetLastPulledAt(): void {
  lastPulled = null;
}

/** The pulse, or null when the backend has never heard of this account (404). */
export async function accountPulse(
  deps: PulseDeps,
  accountId: string,
  q: PulseQuery,
): Promise<AccountPulseView | null> {
  const { store } = deps;
  const refresh = q.refresh ? await refreshAccount(deps, accountId) : null;
  const now = deps.now?.() ?? new Date();
  const today = isoDay(now);
  const read = () =>
    store.query<PulseRow>(PULSE_SQL, [
      accountId,
      today,
      q.invoicesLimit,
      q.invoicesOffset,
      q.paymentsLimit,
      q.paymentsOffset,
    ]);
  let [row] = await read();
  if (!row && (await isLinked(store, accountId))) {
    // No summary for today yet (first view of the day before the daily recompute): make it now.
    await refreshSummaries(store, [accountId], today);
    [row] = await read();
  }
  if (!row) return unlinkedPulse(deps, accountId, q);
  const pulledAt = await lastPulledAt(store);
  const summary = toSummary(row);
  return {
    accountId,
    linked: true,
    erpCustomerId: summary.erpCustomerId,
    currency: summary.currency,
    summary: summaryView(summary),
    otherCurrencies: (row.other_currencies ?? []).map((o) => ({
      outstanding: money(o.outstanding, o.currency),
      overdue: money(o.overdue, o.currency),
    })),
    invoices: {
      total: row.invoice_count,
      limit: q.invoicesLimit,
      offset: q.invoicesOffset,
      items: row.invoice_page.map((r) => invoiceView(r, today)),
    },
    payments: {
      total: row.payment_count,
      limit: q.paymentsLimit,
      offset: q.paymentsOffset,
      items: row.payment_page.map(paymentView),
    },
    asOf: refresh?.live ? now.toISOString() : pulledAt,
    refresh,
  };
}

async function isLinked(sql: Sql, accountId: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM account_links WHERE account_id = $1', [accountId])).length > 0;
}

/** An account with a booking but no ERP customer yet is an empty pulse; one never seen is a 404. */
async function unlinkedPulse(deps: PulseDeps, accountId: string, q: PulseQuery): Promise<AccountPulseView | null> {
  const known = await deps.store.query<{ currency: string | null }>(
    'SELECT currency FROM bookings WHERE account_id = $1 LIMIT 1',
    [accountId],
  );
  if (known.length === 0) return null;
  const empty = (limit: number, offset: number) => ({ total: 0, limit, offset, items: [] });
  return {
    accountId,
    linked: false,
    erpCustomerId: null,
    currency: known[0]?.currency ?? (await deps.defaultCurrency()),
    summary: null,
    otherCurrencies: [],
    invoices: empty(q.invoicesLimit, q.invoicesOffset),
    payments: empty(q.paymentsLimit, q.paymentsOffset),
    asOf: null,
    refresh: q.refresh ? { live: false, reason: 'This account has no ERP customer yet.' } : null,
  };
}

/** Pulls the account's customer live into the read model, within REFRESH_BUDGET_MS. */
async function refreshAccount(
  deps: PulseDeps,
  accountId: string,
): Promise<{ live: boolean; reason: string | null } | null> {
  const [link] = await deps.store.query<{ erp_customer_id: string }>(
    'SELECT erp_customer_id FROM account_links WHERE account_id = $1',
    [accountId],
  );
  if (!link) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), REFRESH_BUDGET_MS)),
  );
  try {
    const answer = await Promise.race([deps.erp.customerActivity(link.erp_customer_id), timeout]);
    if (answer === 'timeout') {
      return {
        live: false,
        reason: `The ERP did not answer within ${REFRESH_BUDGET_MS / 1000} seconds; these are the figures of the last sync.`,
      };
    }
    await deps.store.transaction(async (tx) => {
      await upsertInvoices(tx, answer.invoices);
      await upsertPayments(tx, answer.payments);
      await upsertCredit(tx, [answer.credit]);
      await markDirty(tx, [link.erp_customer_id]); // Salesforce gets the fresh figures at the next sweep
      await refreshSummaries(tx, [accountId], isoDay(deps.now?.() ?? new Date()));
    });
    return { live: true, reason: null };
  } catch (e) {
    return {
      live: false,
      reason: `The ERP could not be asked (${errorClass(e)}); these are the figures of the last sync.`,
    };
  } finally {
    clearTimeout(timer);
  }
}
