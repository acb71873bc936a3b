/**
 * Customer payments. In Tryton a payment recorded against an invoice (the pay wizard, a bank
 * statement line) is an `account.move.line` on the receivable account that the invoice lists in
 * its `payment_lines`; the line sees it as `invoice_payment`. A part payment is one such line.
 */
import { z } from 'zod';
import type { ErpPayment } from '../connector';
import { money } from '../../money';
import type { ChangeStream } from './changeFeed';
import { DecimalField, related, type Domain } from './records';
import { parseAnswer } from './rpc';

/** Lines that pay a customer invoice (a line pays at most one invoice). */
export const CUSTOMER_PAYMENT_LINES: Domain = [['invoice_payments.type', '=', 'out']];

export const PAYMENT_FIELDS = [
  'date',
  'debit',
  'credit',
  'amount_second_currency',
  'second_currency.code',
  'invoice_payment.party',
  'invoice_payment.currency.code',
];

/**
 * New payments, by the line's `create_date`. Not `write_date`: Tryton writes a payment line again
 * when it reconciles it (the invoice becomes paid), which changes nothing a payment reports, and
 * a posted line's amount and date cannot change. Removing a payment from an invoice writes the
 * invoice, so that shows up in the invoice feed.
 */
export const PAYMENT_STREAMS: ChangeStream[] = [
  { model: 'account.move.line', stamp: 'create_date', domain: CUSTOMER_PAYMENT_LINES, fields: PAYMENT_FIELDS },
];

export const PaymentRow = z.object({
  id: z.number().int(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  debit: DecimalField,
  credit: DecimalField,
  amount_second_currency: DecimalField.nullable(),
  'second_currency.': related(z.object({ code: z.string() })),
  'invoice_payment.': related(
    z.object({ id: z.number().int(), party: z.number().int(), 'currency.': z.object({ code: z.string() }) }),
  ),
});
type PaymentRow = z.infer<typeof PaymentRow>;

/**
 * The payment a line stands for, or null when it no longer pays an invoice. The amount is what it
 * takes off the invoice, in the invoice's currency: the line's second-currency amount when the
 * invoice is in a foreign currency, its company-currency amount otherwise.
 */
export function toPayment(row: PaymentRow, companyCurrency: string): ErpPayment | null {
  const invoice = row['invoice_payment.'];
  if (!invoice) return null;
  const invoiceCurrency = invoice['currency.'].code;
  const second = row['second_currency.']?.code === invoiceCurrency ? row.amount_second_currency : null;
  // A customer payment credits the receivable; the second-currency amount carries that sign too.
  const amount = second !== null ? second.negated() : row.credit.minus(row.debit);
  // A foreign-currency invoice paid by a line without its currency can only be told in the
  // company's currency; saying so beats converting at a rate Tryton did not use.
  const currency = second !== null ? invoiceCurrency : companyCurrency;
  return {
    id: String(row.id),
    invoiceId: String(invoice.id),
    customerId: String(invoice.party),
    amount: money(amount, currency),
    date: row.date,
  };
}

/** Parses payment-line rows and keeps the payments, in the order given. */
export function toPayments(rows: unknown[], companyCurrency: string): ErpPayment[] {
  return parseAnswer(z.array(PaymentRow), rows, 'account.move.line payment lines')
    .map((row) => toPayment(row, companyCurrency))
    .filter((p): p is ErpPayment => p !== null);
}
