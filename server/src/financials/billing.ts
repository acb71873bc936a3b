/**
 * GET /v1/opportunities/{id}/billing — where a deal stands in the ERP, from the backend's own
 * booking record and the read model; and for an open deal, whether the customer's credit will
 * take it (the amount and account come from the caller, who has the record open).
 */
import Decimal from 'decimal.js';
import { getBooking } from '../booking/bookings';
import { formatMoney, money, type Money } from '../money';
import type { Sql } from '../store/db';
import { isoDay } from './invoiceStatus';
import { INVOICE_VIEW_COLUMNS, invoiceView, lastPulledAt, type InvoiceRow } from './pulse';
import { accountSummaries } from './summaries';
import type { CreditCheckView, OpportunityBillingView } from './views';

export interface CreditCheckInput {
  accountId: string;
  amount: Money;
}

/** The billing view, or null when the backend knows nothing of this opportunity (404). */
export async function opportunityBilling(
  sql: Sql,
  opportunityId: string,
  creditInput: CreditCheckInput | null,
  now: Date = new Date(),
): Promise<OpportunityBillingView | null> {
  const today = isoDay(now);
  const booking = await getBooking(sql, opportunityId);
  const rows = await sql.query<InvoiceRow>(
    `SELECT ${INVOICE_VIEW_COLUMNS} FROM erp_invoices WHERE opportunity_id = $1 ORDER BY issue_date DESC NULLS FIRST, erp_id DESC`,
    [opportunityId],
  );
  if (!booking && rows.length === 0 && !creditInput) return null;

  const invoices = rows.map((r) => invoiceView(r, today));
  // Summed in the deal's currency (its latest invoice's); an invoice in another is never added in.
  const currency = invoices[0]?.total.currency;
  const billed = invoices.filter((i) => i.status !== 'Void' && i.status !== 'Draft' && i.total.currency === currency);
  const sum = (pick: (i: (typeof invoices)[number]) => Money) =>
    billed.length === 0
      ? null
      : money(
          billed.reduce((s, i) => s.plus(pick(i).amount), new Decimal(0)),
          pick(billed[0]!).currency,
        );
  const latest = invoices[0] ?? null;
  // A deal booked before Closeloop ran (or by another instance) has no booking record here, but the
  // ERP bills its sale: it is booked, and the rep must not read "Not Booked" next to its invoice.
  const billedSale = booking ? null : await saleBillingThisDeal(sql, opportunityId);
  const status = booking?.status ?? (billedSale ? 'Booked' : 'Not Booked');
  return {
    opportunityId,
    bookingStatus: status,
    bookingError: status === 'Failed' || status === 'Credit Hold' ? (booking?.error ?? null) : null,
    bookedAt: booking?.bookedAt?.toISOString() ?? null,
    erpOrderId: booking?.erpOrderId ?? billedSale,
    invoice: latest,
    amountInvoiced: sum((i) => i.total),
    amountPaid: sum((i) => i.amountPaid),
    creditCheck: creditInput && status !== 'Booked' ? await creditCheck(sql, creditInput, today) : null,
    canRetry: status === 'Failed' || status === 'Credit Hold',
    asOf: await lastPulledAt(sql),
  };
}

/** The ERP sale an invoice of this deal bills (its reference is the Opportunity Id), if any. */
async function saleBillingThisDeal(sql: Sql, opportunityId: string): Promise<string | null> {
  const rows = await sql.query<{ erp_sale_id: string }>(
    'SELECT erp_sale_id FROM erp_invoices WHERE opportunity_id = $1 AND erp_sale_id IS NOT NULL ORDER BY erp_id DESC LIMIT 1',
    [opportunityId],
  );
  return rows[0]?.erp_sale_id ?? null;
}

/** Will the ERP take a deal of this amount from this customer? */
async function creditCheck(sql: Sql, input: CreditCheckInput, today: string): Promise<CreditCheckView> {
  const [summary] = await accountSummaries(sql, [input.accountId], today);
  const base = {
    dealAmount: input.amount,
    creditLimit: summary?.creditLimit ?? null,
    availableCredit: summary?.availableCredit ?? null,
    creditHold: summary?.creditHold ?? false,
  };
  if (!summary)
    return {
      ...base,
      exceedsAvailableCredit: false,
      message: 'A new customer for the ERP: it has no credit history yet.',
    };
  if (summary.creditHold) {
    return {
      ...base,
      exceedsAvailableCredit: true,
      message: 'The customer is on credit hold in the ERP: the order will be held until finance releases it.',
    };
  }
  const available = summary.availableCredit;
  if (!available)
    return { ...base, exceedsAvailableCredit: false, message: 'No credit limit applies to this customer in the ERP.' };
  if (available.currency !== input.amount.currency) {
    return {
      ...base,
      exceedsAvailableCredit: false,
      message: `Credit is kept in ${available.currency}; this deal is in ${input.amount.currency}, so the ERP will decide when it is booked.`,
    };
  }
  const exceeds = new Decimal(input.amount.amount).gt(available.amount);
  return {
    ...base,
    exceedsAvailableCredit: exceeds,
    message: exceeds
      ? `This deal (${formatMoney(input.amount)}) is more than the customer's available credit (${formatMoney(available)}): the ERP will hold the order until finance raises the limit or invoices are paid.`
      : `Within the customer's available credit (${formatMoney(available)}).`,
  };
}
