/**
 * The financial reads of the pulse: what changed since a cursor (invoices, payments, credit), and
 * everything about one customer, live. The change feeds run on `changeFeed.ts`; this module says
 * which Tryton rows make up each feed and turns them into the interface's records.
 */
import { z } from 'zod';
import type { ChangePage, ErpCustomerCredit, ErpInvoiceDetail, ErpPayment } from '../connector';
import { BusinessError } from '../../errors';
import { readChanges, type ChangeStream } from './changeFeed';
import { creditChangedSince, readCredit } from './credit';
import { CUSTOMER_INVOICES, readInvoiceDetails } from './invoices';
import { CUSTOMER_PAYMENT_LINES, PAYMENT_FIELDS, PAYMENT_STREAMS, toPayments } from './payments';
import { toTrytonId } from './records';
import { parseAnswer, type TrytonRpc } from './rpc';

/**
 * An invoice changes when it is written (posted, paid, cancelled — and a part payment writes it
 * too, as adding a line to `payment_lines` is a write of the invoice) or, never written yet, when
 * it is created (a draft made by a confirmed sale).
 */
const INVOICE_STREAMS: ChangeStream[] = [
  { model: 'account.invoice', stamp: 'write_date', domain: CUSTOMER_INVOICES, fields: [] },
  {
    model: 'account.invoice',
    stamp: 'create_date',
    domain: [...CUSTOMER_INVOICES, ['write_date', '=', null]],
    fields: [],
  },
];

const CompanyRow = z.object({ 'currency.': z.object({ code: z.string() }) });
const CompanyId = z.object({ company: z.number().int() });

export interface CustomerActivity {
  invoices: ErpInvoiceDetail[];
  payments: ErpPayment[];
  credit: ErpCustomerCredit;
}

export class Financials {
  private companyCurrencyCode: string | null = null;

  constructor(private readonly rpc: TrytonRpc) {}

  /** Two stream reads and one read of the changed invoices. */
  async invoicesChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpInvoiceDetail>> {
    const batch = await readChanges(this.rpc, INVOICE_STREAMS, cursor, limit);
    const ids = distinct(batch.events.map((e) => e.id));
    const invoices = ids.length === 0 ? [] : await readInvoiceDetails(this.rpc, [['id', 'in', ids]]);
    return { items: inOrder(ids, invoices), cursor: batch.cursor, more: batch.more };
  }

  /** One stream read that carries the payments' fields (plus the company currency, once). */
  async paymentsChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpPayment>> {
    const [batch, currency] = await Promise.all([
      readChanges(this.rpc, PAYMENT_STREAMS, cursor, limit),
      this.companyCurrency(),
    ]);
    const items = toPayments(
      batch.events.map((e) => e.row),
      currency,
    );
    return { items, cursor: batch.cursor, more: batch.more };
  }

  /** Five stream reads and one read of the parties concerned (see `credit.ts` for a first read). */
  async creditChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpCustomerCredit>> {
    return creditChangedSince(this.rpc, cursor, limit, await this.companyCurrency());
  }

  /** Three reads side by side (invoices, payments, credit), so about one round trip of latency. */
  async customerActivity(customerId: string): Promise<CustomerActivity> {
    const partyId = toTrytonId(customerId);
    if (partyId === null) throw unknownCustomer(customerId);
    const currency = await this.companyCurrency();
    const [invoices, paymentRows, credit] = await Promise.all([
      readInvoiceDetails(this.rpc, [['party', '=', partyId]]),
      this.rpc.model(
        'account.move.line',
        'search_read',
        [...CUSTOMER_PAYMENT_LINES, ['invoice_payments.party', '=', partyId]],
        0,
        null,
        [
          ['date', 'ASC'],
          ['id', 'ASC'],
        ],
        PAYMENT_FIELDS,
      ),
      readCredit(this.rpc, [['id', '=', partyId]], null, currency),
    ]);
    const [customerCredit] = credit;
    if (!customerCredit) throw unknownCustomer(customerId);
    const rows = parseAnswer(z.array(z.unknown()), paymentRows, 'account.move.line.search_read');
    return { invoices, payments: toPayments(rows, currency), credit: customerCredit };
  }

  /** The company's currency: credit limits are kept in it. Read once per connector. */
  private async companyCurrency(): Promise<string> {
    if (this.companyCurrencyCode === null) {
      const { company } = parseAnswer(CompanyId, await this.rpc.userContext(), 'the user context');
      const rows = await this.rpc.model('company.company', 'read', [company], ['currency.code']);
      const [row] = parseAnswer(z.tuple([CompanyRow]), rows, 'company.company.read');
      this.companyCurrencyCode = row['currency.'].code;
    }
    return this.companyCurrencyCode;
  }
}

function unknownCustomer(id: string): BusinessError {
  return new BusinessError('UNKNOWN_CUSTOMER', `Tryton has no customer with id ${id}`);
}

function distinct(ids: number[]): number[] {
  return [...new Set(ids)];
}

/** The invoices in the order their ids were given (change order). */
function inOrder(ids: number[], invoices: ErpInvoiceDetail[]): ErpInvoiceDetail[] {
  const byId = new Map(invoices.map((i) => [i.id, i]));
  return ids.flatMap((id) => byId.get(String(id)) ?? []);
}
