import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import type { Store } from '../../src/store/db';
import type { ErpFixture } from '../support/harness';
import { pgliteStore, postgresDatabase } from '../support/stores';
import { describeBookingFlow } from './bookingFlow';

function sandboxFixture(store: Store): ErpFixture {
  const erp = new SandboxErp(store);
  return {
    erp,
    currency: 'USD',
    ensureProduct: (code, name, price) => erp.upsertProduct({ code, name, listPrice: price }),
    setCreditLimit: (id, limit) => erp.setCreditLimit(id, limit),
    setOutage: async (down) => erp.setAvailable(!down),
    close: async () => undefined,
  };
}

describeBookingFlow('sandbox ERP on PGlite', async () => {
  const store = await pgliteStore();
  return { store, erp: sandboxFixture(store), close: () => store.close() };
});

describeBookingFlow('sandbox ERP on PostgreSQL', async () => {
  const db = await postgresDatabase();
  return { store: db.store, erp: sandboxFixture(db.store), close: () => db.drop() };
});
