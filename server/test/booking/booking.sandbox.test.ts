import { sandboxFixture } from '../support/erpFixtures';
import { pgliteStore, postgresDatabase } from '../support/stores';
import { describeBookingFlow } from './bookingFlow';

describeBookingFlow('sandbox ERP on PGlite', async () => {
  const store = await pgliteStore();
  return { store, erp: sandboxFixture(store), close: () => store.close() };
});

describeBookingFlow('sandbox ERP on PostgreSQL', async () => {
  const db = await postgresDatabase();
  return { store: db.store, erp: sandboxFixture(db.store), close: () => db.drop() };
});
