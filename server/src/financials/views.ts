/**
 * The shapes the backend serves to the Lightning components — the contract between `server/`
 * and `force-app/`. Strict at every level: an unknown key anywhere is a contract change. The JSON examples in `contract/` at the repository root are checked against
 * these schemas by the server's tests and read as fixtures by the components' tests, so the two
 * sides cannot drift apart.
 */
import { z } from 'zod';
import { BOOKING_STATUS, INVOICE_STATUS } from '../picklists';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoDateTime = z.iso.datetime({ offset: true });

/** Every amount carries its currency; amounts are exact decimal strings. */
export const moneyView = z.strictObject({ amount: decimal, currency: z.string().regex(/^[A-Z]{3}$/) });

export const invoiceView = z.strictObject({
  id: z.string(),
  number: z.string().nullable(),
  opportunityId: z.string().nullable(),
  status: z.enum(INVOICE_STATUS),
  issueDate: isoDate.nullable(),
  dueDate: isoDate.nullable(),
  /** Days past the due date while money is still open; 0 otherwise. */
  daysOverdue: z.number().int().min(0),
  total: moneyView,
  amountPaid: moneyView,
  openAmount: moneyView,
});

export const paymentView = z.strictObject({
  id: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  date: isoDate,
  amount: moneyView,
});

const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    total: z.number().int().min(0),
    limit: z.number().int(),
    offset: z.number().int(),
    items: z.array(item),
  });

export const agingView = z.strictObject({
  current: moneyView,
  days1to30: moneyView,
  days31to60: moneyView,
  days61to90: moneyView,
  over90: moneyView,
});

export const accountSummaryView = z.strictObject({
  outstanding: moneyView,
  overdue: moneyView,
  aging: agingView,
  creditLimit: moneyView.nullable(),
  availableCredit: moneyView.nullable(),
  creditHold: z.boolean(),
  lastPaymentDate: isoDate.nullable(),
  /** Days sales outstanding over the last 90 days; null without sales in that time. */
  dso: z.number().nullable(),
});

export const accountPulseView = z.strictObject({
  accountId: z.string(),
  /** False when the account has no ERP customer yet (nothing booked for it): an empty state. */
  linked: z.boolean(),
  erpCustomerId: z.string().nullable(),
  /** The currency of the summary (the account's). Invoices in other currencies are listed, not added in. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  summary: accountSummaryView.nullable(),
  /** Open amounts in currencies other than `currency`, never converted silently. */
  otherCurrencies: z.array(z.strictObject({ outstanding: moneyView, overdue: moneyView })),
  invoices: page(invoiceView),
  payments: page(paymentView),
  /** When the read model last heard from the ERP about this account (null: never). */
  asOf: isoDateTime.nullable(),
  /** Present when ?refresh=true was asked: whether the live pull worked, and why not. */
  refresh: z.strictObject({ live: z.boolean(), reason: z.string().nullable() }).nullable(),
});

export const creditCheckView = z.strictObject({
  dealAmount: moneyView,
  creditLimit: moneyView.nullable(),
  availableCredit: moneyView.nullable(),
  creditHold: z.boolean(),
  /** True when closing this deal would go over what the customer may still owe. */
  exceedsAvailableCredit: z.boolean(),
  /** A sentence for the rep. */
  message: z.string(),
});

export const opportunityBillingView = z.strictObject({
  opportunityId: z.string(),
  bookingStatus: z.enum(BOOKING_STATUS),
  bookingError: z.string().nullable(),
  bookedAt: isoDateTime.nullable(),
  erpOrderId: z.string().nullable(),
  invoice: invoiceView.nullable(),
  amountInvoiced: moneyView.nullable(),
  amountPaid: moneyView.nullable(),
  /** For open opportunities (an amount and account given): will the ERP accept this deal? */
  creditCheck: creditCheckView.nullable(),
  /** True when a person may ask for the booking again (Failed or Credit Hold). */
  canRetry: z.boolean(),
  asOf: isoDateTime.nullable(),
});

export type MoneyView = z.infer<typeof moneyView>;
export type InvoiceView = z.infer<typeof invoiceView>;
export type PaymentView = z.infer<typeof paymentView>;
export type AccountSummaryView = z.infer<typeof accountSummaryView>;
export type AccountPulseView = z.infer<typeof accountPulseView>;
export type CreditCheckView = z.infer<typeof creditCheckView>;
export type OpportunityBillingView = z.infer<typeof opportunityBillingView>;
