/**
 * A real Tryton for tests: `startTryton()` copies the prepared database (building it once if
 * needed) into a fresh temporary folder and starts trytond on a free loopback port.
 * The logic lives in `src/erp/tryton/localServer.ts`, shared with `scripts/tryton/start.mjs`.
 */
import { z } from 'zod';
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
        account_category: await this.idOf('product.category', [['accounting', '=', true]]),
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

export interface ProductOptions {
  type?: 'goods' | 'service';
  /** Tryton unit name, e.g. "Unit" (whole numbers) or "Hour" (0.01 steps). */
  unit?: string;
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
