/**
 * GET /v1/accounts/{id}/pulse — the account's financial pulse, from the read model (no ERP call
 * per page view). With `refresh`, that one customer is pulled live from the ERP first, within a
 * short time budget; past it the read model answers and says so.
 */
import type { ErpConnector } from '../erp/connector';
import { errorClass } from '../errors';
import { money, subtractMoney } from '../money';
import type { Sql, Store } from '../store/db';
import { daysOverdue, invoiceStatus, isoDay } from './invoiceStatus';
import { upsertCredit, upsertInvoices, upsertPayments } from './readModel';
import { accountSummaries, type AccountSummary } from './summaries';
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

export const INVOICE_VIEW_COLUMNS =
  'erp_id, number, opportunity_id, state, currency, total, open_amount, issue_date, due_date';

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

/** When the read model last heard from the ERP: the end of the last sweep that worked. */
export async function lastPulledAt(sql: Sql): Promise<string | null> {
  const [row] = await sql.query<{ at: Date | null }>(
    `SELECT max(finished_at) AS at FROM sync_runs WHERE kind = 'financials' AND error IS NULL AND finished_at IS NOT NULL`,
  );
  return row?.at ? row.at.toISOString() : null;
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

/** The pulse, or null when the backend has never heard of this account (404). */
export async function accountPulse(
  deps: PulseDeps,
  accountId: string,
  q: PulseQuery,
): Promise<AccountPulseView | null> {
  const { store } = deps;
  const [link] = await store.query<{ erp_customer_id: string; currency: string }>(
    'SELECT erp_customer_id, currency FROM account_links WHERE account_id = $1',
    [accountId],
  );
  if (!link) return unlinkedPulse(deps, accountId, q);

  const refresh = q.refresh ? await refreshCustomer(deps, link.erp_customer_id) : null;
  const now = deps.now?.() ?? new Date();
  const today = isoDay(now);
  const [summary] = await accountSummaries(store, [accountId], today);
  return {
    accountId,
    linked: true,
    erpCustomerId: link.erp_customer_id,
    currency: link.currency,
    summary: summary ? summaryView(summary) : null,
    otherCurrencies: await otherCurrencies(store, link.erp_customer_id, link.currency, today),
    invoices: await invoicePage(store, link.erp_customer_id, q, today),
    payments: await paymentPage(store, link.erp_customer_id, q),
    asOf: refresh?.live ? now.toISOString() : await lastPulledAt(store),
    refresh,
  };
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

/** Pulls one customer live into the read model, within REFRESH_BUDGET_MS. */
async function refreshCustomer(deps: PulseDeps, customerId: string): Promise<{ live: boolean; reason: string | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), REFRESH_BUDGET_MS)),
  );
  try {
    const answer = await Promise.race([deps.erp.customerActivity(customerId), timeout]);
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

async function otherCurrencies(sql: Sql, customerId: string, currency: string, today: string) {
  const rows = await sql.query<{ currency: string; outstanding: string; overdue: string }>(
    `SELECT currency, sum(open_amount) AS outstanding, COALESCE(sum(open_amount) FILTER (WHERE due_date < $3::date), 0) AS overdue
       FROM erp_invoices WHERE erp_customer_id = $1 AND currency <> $2 AND state = 'posted'
      GROUP BY currency ORDER BY currency`,
    [customerId, currency, today],
  );
  return rows.map((r) => ({ outstanding: money(r.outstanding, r.currency), overdue: money(r.overdue, r.currency) }));
}

async function invoicePage(sql: Sql, customerId: string, q: PulseQuery, today: string) {
  const [count] = await sql.query<{ n: number }>('SELECT count(*) AS n FROM erp_invoices WHERE erp_customer_id = $1', [
    customerId,
  ]);
  const rows = await sql.query<InvoiceRow>(
    `SELECT ${INVOICE_VIEW_COLUMNS} FROM erp_invoices WHERE erp_customer_id = $1
      ORDER BY issue_date DESC NULLS FIRST, erp_id DESC LIMIT $2 OFFSET $3`,
    [customerId, q.invoicesLimit, q.invoicesOffset],
  );
  return {
    total: count?.n ?? 0,
    limit: q.invoicesLimit,
    offset: q.invoicesOffset,
    items: rows.map((r) => invoiceView(r, today)),
  };
}

async function paymentPage(sql: Sql, customerId: string, q: PulseQuery) {
  const [count] = await sql.query<{ n: number }>('SELECT count(*) AS n FROM erp_payments WHERE erp_customer_id = $1', [
    customerId,
  ]);
  const rows = await sql.query<{
    erp_id: string;
    erp_invoice_id: string;
    number: string | null;
    paid_on: string;
    amount: string;
    currency: string;
  }>(
    `SELECT p.erp_id, p.erp_invoice_id, i.number, p.paid_on, p.amount, p.currency
       FROM erp_payments p LEFT JOIN erp_invoices i ON i.erp_id = p.erp_invoice_id
      WHERE p.erp_customer_id = $1 ORDER BY p.paid_on DESC, p.erp_id DESC LIMIT $2 OFFSET $3`,
    [customerId, q.paymentsLimit, q.paymentsOffset],
  );
  const items: PaymentView[] = rows.map((r) => ({
    id: r.erp_id,
    invoiceId: r.erp_invoice_id,
    invoiceNumber: r.number,
    date: r.paid_on,
    amount: money(r.amount, r.currency),
  }));
  return { total: count?.n ?? 0, limit: q.paymentsLimit, offset: q.paymentsOffset, items };
}
