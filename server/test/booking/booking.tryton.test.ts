import { trytonFixture } from '../support/erpFixtures';
import { pgliteStore, postgresDatabase } from '../support/stores';
import { describeBookingFlow } from './bookingFlow';

describeBookingFlow('Tryton on PostgreSQL', async () => {
  const [db, erp] = await Promise.all([postgresDatabase(), trytonFixture()]);
  return { store: db.store, erp, close: async () => (await erp.close(), await db.drop()) };
});

describeBookingFlow('Tryton on PGlite', async () => {
  const [store, erp] = await Promise.all([pgliteStore(), trytonFixture()]);
  return { store, erp, close: async () => (await erp.close(), await store.close()) };
});
