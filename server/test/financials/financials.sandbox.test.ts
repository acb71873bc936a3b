import { sandboxFixture } from '../support/erpFixtures';
import { pgliteStore, postgresDatabase } from '../support/stores';
import { describeFinancialFlow } from './financialFlow';

describeFinancialFlow('sandbox ERP on PGlite', async () => {
  const store = await pgliteStore();
  return { store, erp: sandboxFixture(store), close: () => store.close() };
});

describeFinancialFlow('sandbox ERP on PostgreSQL', async () => {
  const db = await postgresDatabase();
  return { store: db.store, erp: sandboxFixture(db.store), close: () => db.drop() };
});
