import { trytonFixture } from '../support/erpFixtures';
import { postgresDatabase } from '../support/stores';
import { describeFinancialFlow } from './financialFlow';

describeFinancialFlow('Tryton on PostgreSQL', async () => {
  const [db, erp] = await Promise.all([postgresDatabase(), trytonFixture()]);
  return { store: db.store, erp, close: async () => (await erp.close(), await db.drop()) };
});
