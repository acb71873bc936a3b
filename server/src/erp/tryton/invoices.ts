/** Invoices are `account.invoice` records, created by Tryton when it processes a confirmed sale. */
import { z } from 'zod';
import type { ErpInvoice, ErpInvoiceDetail } from '../connector';
import { BusinessError, TransientError } from '../../errors';
import { money } from '../../money';
import { DecimalField, OptionalText, searchRead, toTrytonId, type Domain } from './records';
import type { TrytonRpc } from './rpc';
import { toInvoiceState, TrytonInvoiceState } from './states';

const INVOICE_FIELDS = [
  'number',
  'state',
  'party',
  'untaxed_amount',
  'total_amount',
  'amount_to_pay',
  'currency.code',
  'invoice_date',
  'lines_to_pay.maturity_date',
  'lines_to_pay.reconciliation',
];

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const InvoiceRow = z.object({
  id: z.number().int(),
  number: OptionalText,
  state: TrytonInvoiceState,
  party: z.number().int(),
  untaxed_amount: DecimalField,
  total_amount: DecimalField,
  amount_to_pay: DecimalField,
  'currency.': z.object({ code: z.string() }),
  invoice_date: IsoDate.nullable(),
  'lines_to_pay.': z.array(
    z.object({ maturity_date: IsoDate.nullable(), reconciliation: z.number().int().nullable() }),
  ),
});
type InvoiceRow = z.infer<typeof InvoiceRow>;

/** `sales` is computed from the invoice lines' origins: the sales this invoice bills. */
const DETAIL_FIELDS = [...INVOICE_FIELDS, 'sales.reference', 'payment_lines'];
const InvoiceDetailRow = InvoiceRow.extend({
  'sales.': z.array(z.object({ id: z.number().int(), reference: OptionalText })),
  /** The move lines paying this invoice: the ids `paymentsChangedSince` reports them under. */
  payment_lines: z.array(z.number().int()),
});

/** Customer invoices only: supplier invoices (`in`) are not part of the financial pulse. */
export const CUSTOMER_INVOICES: Domain = [['type', '=', 'out']];

export class Invoices {
  constructor(private readonly rpc: TrytonRpc) {}

  async get(id: string): Promise<ErpInvoice> {
    const invoiceId = toTrytonId(id);
    const [row] =
      invoiceId === null
        ? []
        : await searchRead(this.rpc, 'account.invoice', [['id', '=', invoiceId]], INVOICE_FIELDS, InvoiceRow);
    if (!row) throw new BusinessError('UNKNOWN_INVOICE', `Tryton has no invoice with id ${id}`);
    return toInvoice(row);
  }

  /** Posting assigns the number and creates the receivable; a posted or paid invoice is left as is. */
  async post(id: string): Promise<ErpInvoice> {
    const invoice = await this.get(id);
    if (invoice.state === 'posted' || invoice.state === 'paid') return invoice;
    if (invoice.state === 'cancelled') {
      throw new BusinessError('INVOICE_CANCELLED', `Invoice ${id} is cancelled and cannot be posted`);
    }
    // Tryton 6.0 posts straight from draft or validated; no separate validate step is needed.
    await this.rpc.model('account.invoice', 'post', [Number(invoice.id)]);
    const posted = await this.get(id);
    if (posted.state !== 'posted' && posted.state !== 'paid') {
      throw new TransientError('ERP_ERROR', `Tryton did not post invoice ${id} (state ${posted.state})`);
    }
    return posted;
  }
}

/** Customer invoices matching `domain`, with the sale each bills, oldest first. */
export async function readInvoiceDetails(rpc: TrytonRpc, domain: Domain): Promise<ErpInvoiceDetail[]> {
  const rows = await searchRead(
    rpc,
    'account.invoice',
    [...CUSTOMER_INVOICES, ...domain],
    DETAIL_FIELDS,
    InvoiceDetailRow,
  );
  return rows.map((row) => {
    // An invoice grouping several sales names the first; Closeloop's invoices bill exactly one.
    const [sale] = [...row['sales.']].sort((a, b) => a.id - b.id);
    return {
      ...toInvoice(row),
      saleId: sale ? String(sale.id) : null,
      saleReference: sale?.reference ?? null,
      paymentIds: row.payment_lines.map(String),
    };
  });
}

function toInvoice(row: InvoiceRow): ErpInvoice {
  const currency = row['currency.'].code;
  return {
    id: String(row.id),
    number: row.number,
    state: toInvoiceState(row.state),
    customerId: String(row.party),
    untaxedAmount: money(row.untaxed_amount, currency),
    totalAmount: money(row.total_amount, currency),
    amountToPay: money(row.amount_to_pay, currency),
    invoiceDate: row.invoice_date,
    dueDate: dueDate(row['lines_to_pay.']),
  };
}

/**
 * When the money still open falls due: the first due date among the receivable lines not yet
 * paid (an invoice may be due in instalments; a paid first instalment must not make the rest
 * look overdue). Once all are paid, the first due date of all.
 */
function dueDate(lines: Array<{ maturity_date: string | null; reconciliation: number | null }>): string | null {
  const open = lines.filter((l) => l.reconciliation === null);
  const known = (open.length > 0 ? open : lines)
    .map((l) => l.maturity_date)
    .filter((d): d is string => d !== null)
    .sort();
  return known[0] ?? null;
}
