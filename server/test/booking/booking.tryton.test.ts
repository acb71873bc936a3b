import { createTrytonConnector } from '../../src/erp/tryton';
import { startFaultProxy } from '../support/faultProxy';
import { pgliteStore, postgresDatabase } from '../support/stores';
import { startTryton, TrytonAdmin } from '../support/tryton';
import type { ErpFixture } from '../support/harness';
import { describeBookingFlow } from './bookingFlow';

/** Real Tryton, reached through a proxy the tests can switch off (an ERP outage). */
async function trytonFixture(): Promise<ErpFixture> {
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
    setOutage: async (down) => proxy.setDown(down),
    async close() {
      await erp.close();
      await admin.close();
      await proxy.close();
      await tryton.stop();
    },
  };
}

describeBookingFlow('Tryton on PostgreSQL', async () => {
  const [db, erp] = await Promise.all([postgresDatabase(), trytonFixture()]);
  return { store: db.store, erp, close: async () => (await erp.close(), await db.drop()) };
});

describeBookingFlow('Tryton on PGlite', async () => {
  const [store, erp] = await Promise.all([pgliteStore(), trytonFixture()]);
  return { store, erp, close: async () => (await erp.close(), await store.close()) };
});
