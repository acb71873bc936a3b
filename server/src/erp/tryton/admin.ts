/**
 * What a finance or sales-admin person does in Tryton, over JSON-RPC: add products, set credit
 * limits, record payments with the pay wizard, bill outside a sale. Not part of the connector (the
 * product never does these); the tests, the benchmarks and the demo's scenarios use it.
 */
import { z } from 'zod';
import { Decimal, type Money } from '../../money';
import { CalendarDate } from './codec';
import { TrytonRpc, TrytonUserWarning, type TrytonConfig } from './rpc';

/** Straight over JSON-RPC, not through the connector (which tests use it to check). */
export class TrytonAdmin {
  readonly rpc: TrytonRpc;
  private readonly login: string;

  constructor(tryton: Pick<TrytonConfig, 'url' | 'database' | 'user' | 'password'>) {
    this.rpc = new TrytonRpc(tryton);
    this.login = tryton.user;
  }

  /** Makes sure a sellable product with this code exists (a service unless the name says goods). */
  async ensureProduct(code: string, name: string, listPrice: Money, options: ProductOptions = {}): Promise<void> {
    const existing = await this.rpc.model('product.product', 'search_count', [['code', '=', code]]);
    if (existing !== 0) return;
    const unit = await this.idOf('product.uom', [['name', '=', options.unit ?? 'Unit']]);
    await this.rpc.model('product.template', 'create', [
      {
        name,
        type: options.type ?? (/widget|gateway|hardware/i.test(name) ? 'goods' : 'service'),
        default_uom: unit,
        sale_uom: unit,
        salable: true,
        list_price: new Decimal(listPrice.amount),
        account_category:
          options.accounting === false ? null : await this.idOf('product.category', [['accounting', '=', true]]),
        // product.product.code is computed in Tryton 6.0: set the suffix.
        products: [['create', [{ suffix_code: code }]]],
      },
    ]);
  }

  /** Sets (or with null removes) the party's credit limit, in the company's currency. */
  async setCreditLimit(customerId: string, limit: Money | null): Promise<void> {
    const amount = limit === null ? null : new Decimal(limit.amount);
    await this.rpc.model('party.party', 'write', [Number(customerId)], { credit_limit_amount: amount });
  }

  /**
   * Records a customer payment on a posted invoice through Tryton's pay wizard, as a finance
   * user would: the open amount by default, or a part of it (the rest stays open).
   */
  async payInvoice(invoiceId: string, amount?: Money, date?: string): Promise<void> {
    const base = await this.rpc.userContext();
    const context = {
      ...base,
      active_model: 'account.invoice',
      active_id: Number(invoiceId),
      active_ids: [Number(invoiceId)],
    };
    const [session] = z
      .tuple([z.number(), z.string(), z.string()])
      .parse(await this.rpc.call('wizard.account.invoice.pay.create', [context]));
    const execute = async (data: Record<string, unknown>, state: string) =>
      WizardAnswer.parse(await this.rpc.call('wizard.account.invoice.pay.execute', [session, data, state, context]));
    try {
      const start = withoutDisplayKeys((await execute({}, 'start')).view?.defaults ?? {});
      start.payment_method = await this.idOf('account.invoice.payment.method', []);
      start.description ??= 'Customer payment';
      // Not the wizard's default: once part-paid before its due date, Tryton proposes the negative
      // "amount to pay today" (the earlier payment alone), not the open amount.
      start.amount = amount ? new Decimal(amount.amount) : await this.openAmount(invoiceId);
      if (date) start.date = CalendarDate.parse(date);
      const next = await execute({ start }, 'choice');
      if (next.view) {
        // A part payment: Tryton asks whether to keep the rest open ("partial") or write it off.
        const ask = { ...withoutDisplayKeys(next.view.defaults ?? {}), type: 'partial' };
        await execute({ start, ask }, 'pay');
      }
    } finally {
      await this.rpc.call('wizard.account.invoice.pay.delete', [session, context]);
    }
  }

  /**
   * A posted customer invoice made in Tryton directly, as finance bills outside Closeloop: one
   * line on the revenue account, the default customer payment term (Net 30), dated `invoiceDate`.
   */
  async issueInvoice(customerId: string, amount: Money, invoiceDate: string): Promise<string> {
    const [id] = await this.issueInvoices(customerId, [amount], invoiceDate);
    return id as string;
  }

  /** Several such invoices, created in one transaction and posted in another (shared timestamps). */
  async issueInvoices(customerId: string, amounts: Money[], invoiceDate = todayIso()): Promise<string[]> {
    const header = await this.invoiceHeader(Number(customerId), invoiceDate);
    const revenue = await this.idOf('account.account', [['type.revenue', '=', true]]);
    const currencies = new Map<string, number>();
    for (const { currency } of amounts) {
      if (!currencies.has(currency))
        currencies.set(currency, await this.idOf('currency.currency', [['code', '=', currency]]));
    }
    const values = amounts.map((amount) => {
      const currency = currencies.get(amount.currency);
      const line = {
        type: 'line',
        account: revenue,
        quantity: 1,
        unit_price: new Decimal(amount.amount),
        description: 'Services',
        company: header.company,
        currency,
      };
      return { ...header, currency, lines: [['create', [line]]] };
    });
    const ids = z.array(z.number()).parse(await this.rpc.model('account.invoice', 'create', values));
    try {
      await this.rpc.model('account.invoice', 'post', ids);
    } catch (e) {
      // A back-dated invoice falls due in the past; Tryton asks to confirm that, as a user would.
      if (!(e instanceof TrytonUserWarning && e.warningName.startsWith('invoice_payment_term_'))) throw e;
      await this.acceptWarnings(ids.map((id) => `invoice_payment_term_${id}`));
      await this.rpc.model('account.invoice', 'post', ids);
    }
    return ids.map(String);
  }

  /** What an invoice form would fill in from the party and the accounting configuration. */
  private async invoiceHeader(party: number, invoiceDate: string) {
    const { company } = await this.rpc.userContext();
    const configuration = await this.rpc.model(
      'account.configuration',
      'read',
      [1],
      ['default_account_receivable', 'default_customer_payment_term'],
    );
    const [config] = z
      .tuple([z.object({ default_account_receivable: z.number(), default_customer_payment_term: z.number() })])
      .parse(configuration);
    const today = todayIso();
    return {
      type: 'out',
      company,
      party,
      invoice_address: await this.idOf('party.address', [['party', '=', party]]),
      journal: await this.idOf('account.journal', [['type', '=', 'revenue']]),
      account: config.default_account_receivable,
      payment_term: config.default_customer_payment_term,
      invoice_date: CalendarDate.parse(invoiceDate),
      // Invoice numbers follow the accounting date; booking a back-dated invoice today keeps
      // the sequence in order (Tryton refuses a number older than one already given).
      accounting_date: CalendarDate.parse(invoiceDate < today ? today : invoiceDate),
      description: 'Billed in Tryton',
    };
  }

  private async acceptWarnings(names: string[]): Promise<void> {
    const user = await this.idOf('res.user', [['login', '=', this.login]]);
    await this.rpc.model(
      'res.user.warning',
      'create',
      names.map((name) => ({ user, name, always: false })),
    );
  }

  private async openAmount(invoiceId: string): Promise<Decimal> {
    const rows = await this.rpc.model('account.invoice', 'read', [Number(invoiceId)], ['amount_to_pay']);
    const [row] = z.array(z.object({ amount_to_pay: z.instanceof(Decimal) })).parse(rows);
    if (!row) throw new Error(`no invoice ${invoiceId}`);
    return row.amount_to_pay;
  }

  async idOf(model: string, domain: unknown[]): Promise<number> {
    const ids = await this.rpc.model(model, 'search', domain, 0, 1, null);
    const [id] = z.array(z.number()).parse(ids);
    if (id === undefined) throw new Error(`no ${model} matches ${JSON.stringify(domain)}`);
    return id;
  }

  close(): Promise<void> {
    return this.rpc.close();
  }
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

const WizardAnswer = z.object({
  view: z.object({ defaults: z.record(z.string(), z.unknown()).optional() }).optional(),
});

/** The wizard's defaults include display values (`company.`, `currency.rec_name`) it will not take back. */
function withoutDisplayKeys(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !key.includes('.')));
}

export interface ProductOptions {
  type?: 'goods' | 'service';
  /** Tryton unit name, e.g. "Unit" (whole numbers) or "Hour" (0.01 steps). */
  unit?: string;
  /** false: no accounting category, so Tryton cannot invoice it (a misconfigured product). */
  accounting?: boolean;
}

/** The conformance kit for a running Tryton. `close()` closes the connectors, not the server. */
