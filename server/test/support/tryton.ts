/**
 * A real Tryton for tests: `startTryton()` copies the prepared database (building it once if
 * needed) into a fresh temporary folder and starts trytond on a free loopback port.
 * The logic lives in `src/erp/tryton/localServer.ts`, shared with `scripts/tryton/start.mjs`.
 */
import { z } from 'zod';
import { CalendarDate } from '../../src/erp/tryton/codec';
import { createTrytonConnector } from '../../src/erp/tryton/connector';
import { freePort, startLocalTryton } from '../../src/erp/tryton/localServer';
import { TrytonRpc } from '../../src/erp/tryton/rpc';
import { Decimal, type Money } from '../../src/money';
import type { ErpTestKit } from '../erp/conformance';

export interface RunningTryton {
  /** http://127.0.0.1:PORT */
  url: string;
  database: string;
  user: string;
  password: string;
  stop(): Promise<void>;
  pid: number;
}

export async function startTryton(options: { port?: number; dataDir?: string } = {}): Promise<RunningTryton> {
  const { url, database, user, password, pid, stop } = await startLocalTryton({
    ...options,
    log: process.env.TRYTON_DEBUG ? (m) => console.error(`[tryton] ${m}`) : undefined,
  });
  return { url, database, user, password, pid, stop };
}

/**
 * Test helpers that set up data in a running Tryton the way an ERP user would, straight over
 * JSON-RPC (not through the connector under test).
 */
export class TrytonAdmin {
  readonly rpc: TrytonRpc;

  constructor(tryton: Pick<RunningTryton, 'url' | 'database' | 'user' | 'password'>) {
    this.rpc = new TrytonRpc(tryton);
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
export async function trytonTestKit(tryton: RunningTryton): Promise<ErpTestKit> {
  // A port that was free a moment ago: nothing answers there, so calls are refused at once.
  const closedPort = await freePort();
  const admin = new TrytonAdmin(tryton);
  const connector = createTrytonConnector(tryton);
  return {
    connector,
    currency: 'USD',
    ensureProduct: (code, name, listPrice) => admin.ensureProduct(code, name, listPrice),
    setCreditLimit: (customerId, limit) => admin.setCreditLimit(customerId, limit),
    unreachableConnector: () =>
      createTrytonConnector({ ...tryton, url: `http://127.0.0.1:${closedPort}`, timeoutMs: 2_000 }),
    close: async () => {
      await connector.close();
      await admin.close();
    },
  };
}
