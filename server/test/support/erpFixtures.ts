/** The ERPs the end-to-end tests run against, each with the ERP-side steps a person would take. */
import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import { createTrytonConnector } from '../../src/erp/tryton';
import type { Store } from '../../src/store/db';
import { startFaultProxy } from './faultProxy';
import type { ErpFixture } from './harness';
import { startTryton, TrytonAdmin } from './tryton';

export function sandboxFixture(store: Store): ErpFixture & { erp: SandboxErp } {
  const erp = new SandboxErp(store);
  return {
    erp,
    currency: 'USD',
    ensureProduct: (code, name, price) => erp.upsertProduct({ code, name, listPrice: price }),
    setCreditLimit: (id, limit) => erp.setCreditLimit(id, limit),
    payInvoice: (id, amount, date) => erp.recordPayment(id, amount, date),
    issueInvoice: (id, amount, date) => erp.issueInvoice(id, amount, date),
    setOutage: async (down) => erp.setAvailable(!down),
    close: async () => undefined,
  };
}

/** Real Tryton, reached through a proxy the tests can switch off (an ERP outage). */
export async function trytonFixture(): Promise<ErpFixture> {
  const tryton = await startTryton();
  const proxy = await startFaultProxy(tryton.url);
  const admin = new TrytonAdmin(tryton);
  const erp = createTrytonConnector({
    url: proxy.url,
    database: tryton.database,
    user: tryton.user,
    password: tryton.password,
    timeoutMs: 5000,
  });
  return {
    erp,
    currency: 'USD',
    ensureProduct: (code, name, price) => admin.ensureProduct(code, name, price),
    setCreditLimit: (id, limit) => admin.setCreditLimit(id, limit),
    payInvoice: (id, amount, date) => admin.payInvoice(id, amount, date),
    issueInvoice: (id, amount, date) => admin.issueInvoice(id, amount, date),
    setOutage: async (down) => proxy.setDown(down),
    async close() {
      await erp.close();
      await admin.close();
      await proxy.close();
      await tryton.stop();
    },
  };
}
