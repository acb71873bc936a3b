import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import type { Store } from '../../src/store/db';
import { pgliteStore, postgresDatabase } from '../support/stores';
import { describeErpConformance, type ErpTestKit } from './conformance';

function sandboxKit(store: Store, close: () => Promise<void>): ErpTestKit {
  const erp = new SandboxErp(store);
  return {
    connector: erp,
    currency: 'USD',
    ensureProduct: (code, name, listPrice) => erp.upsertProduct({ code, name, listPrice }),
    setCreditLimit: (customerId, limit) => erp.setCreditLimit(customerId, limit),
    payInvoice: (invoiceId, amount, date) => erp.recordPayment(invoiceId, amount, date),
    issueInvoice: (customerId, amount, invoiceDate) => erp.issueInvoice(customerId, amount, invoiceDate),
    unreachableConnector() {
      const down = new SandboxErp(store);
      down.setAvailable(false);
      return down;
    },
    close,
  };
}

describeErpConformance('sandbox on PGlite', async () => {
  const store = await pgliteStore();
  return sandboxKit(store, () => store.close());
});

describeErpConformance('sandbox on PostgreSQL', async () => {
  const db = await postgresDatabase();
  return sandboxKit(db.store, () => db.drop());
});
