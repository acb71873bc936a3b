/**
 * The sweep at scale, against the local Salesforce's call counter: 1,000 accounts whose figures
 * changed cost at most 5 update calls (200 records each), and a sweep with nothing new costs none.
 */
import { money } from '../../src/money';
import { sandboxFixture } from '../support/erpFixtures';
import { startHarness, type Harness } from '../support/harness';
import { postgresDatabase, type TestDatabase } from '../support/stores';

let db: TestDatabase;
let h: Harness;
const ACCOUNTS = 1000;

beforeAll(async () => {
  db = await postgresDatabase();
  const erp = sandboxFixture(db.store);
  h = await startHarness({ store: db.store, erp });
  // 1,000 customers the ERP already bills, each known to Salesforce by its ERP_Customer_Id__c.
  for (let i = 0; i < ACCOUNTS; i++) {
    const customer = await erp.erp.createCustomer({ name: `Scale Customer ${i}`, externalRef: '', countryCode: 'US' });
    await erp.issueInvoice(customer.id, money(String(100 + i), 'USD'), new Date().toISOString().slice(0, 10));
    h.sf.org.insert('Account', { Name: `Scale Customer ${i}`, ERP_Customer_Id__c: customer.id });
  }
}, 180_000);
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

test('1,000 changed accounts → at most 5 update calls; then a quiet sweep makes none', async () => {
  h.sf.resetApiCalls();
  const first = await h.closeloop.sweepFinancials();
  expect(first).toMatchObject({ status: 'done', linksPolled: ACCOUNTS, push: { sent: ACCOUNTS, rejected: 0 } });
  expect(h.sf.apiCalls.byCategory.composite).toBe(5);
  // The hourly link poll (all 1,000 linked accounts on one page), and once per process the org's currency.
  expect(h.sf.apiCalls.byCategory.query).toBe(1 + 1);
  const sample = h.sf.org.query("SELECT Outstanding_Balance__c FROM Account WHERE Name = 'Scale Customer 7'")
    .records[0];
  expect(sample?.Outstanding_Balance__c).toBe(107);

  h.sf.resetApiCalls();
  const quiet = await h.closeloop.sweepFinancials();
  expect(quiet).toMatchObject({ status: 'done', push: { sent: 0 } });
  expect(h.sf.apiCalls.total).toBe(0);
});
