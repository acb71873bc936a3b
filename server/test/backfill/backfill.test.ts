/**
 * First-time customer matching for an org that already has data: the backend proposes, a person
 * confirms, and confirmed links bring the customer's balance to the account on the next sweep.
 */
import { money } from '../../src/money';
import { sandboxFixture } from '../support/erpFixtures';
import { startHarness, type Harness } from '../support/harness';
import { pgliteStore } from '../support/stores';

let h: Harness;
let erp: ReturnType<typeof sandboxFixture>;
const ids: Record<string, string> = {};

interface Unmatched {
  items: Array<{
    accountId: string;
    name: string;
    match: { erpCustomerId: string } | null;
    suggestions: Array<{ erpCustomerId: string; name: string; score: number }>;
  }>;
  next: string | null;
}

beforeAll(async () => {
  const store = await pgliteStore();
  erp = sandboxFixture(store);
  h = await startHarness({ store, erp });
  const customer = async (name: string) =>
    (await erp.erp.createCustomer({ name, externalRef: 'imported', countryCode: 'US' })).id;
  ids.globexCustomer = await customer('Globex Corporation');
  ids.initechCustomer = await customer('Initek Software LLC'); // a typo in the ERP: similar, not the same
  ids.hooliCustomer = await customer('Hooli');
  const account = (Name: string, extra: Record<string, unknown> = {}) =>
    h.sf.org.insert('Account', { Name, BillingCountry: 'United States', ...extra });
  ids.hooli = account('Hooli Inc', { ERP_Customer_Id__c: ids.hooliCustomer });
  ids.globex = account('Globex Corporation');
  ids.initech = account('Initech Software');
  ids.umbrella = account('Umbrella Health');
  await h.closeloop.sweepFinancials(); // learns Hooli's link
});
afterAll(async () => {
  await h?.close();
  await h?.store.close();
});

test('unlinked accounts, paged by id, each with the same company or similar names', async () => {
  const first = await h.api('GET', '/v1/backfill/accounts?limit=2');
  expect(first.status).toBe(200);
  const page1 = first.body as Unmatched;
  expect(page1.items).toHaveLength(2);
  expect(page1.next).toBe(page1.items[1]?.accountId);
  const page2 = (await h.api('GET', `/v1/backfill/accounts?limit=2&after=${page1.next}`)).body as Unmatched;
  const all = [...page1.items, ...page2.items];
  expect(all.map((a) => a.name).sort()).toEqual(['Globex Corporation', 'Initech Software', 'Umbrella Health']);

  const byName = new Map(all.map((a) => [a.name, a]));
  expect(byName.get('Globex Corporation')?.match?.erpCustomerId).toBe(ids.globexCustomer);
  expect(byName.get('Initech Software')?.match).toBeNull();
  expect(byName.get('Initech Software')?.suggestions[0]).toMatchObject({
    erpCustomerId: ids.initechCustomer,
    name: 'Initek Software LLC',
  });
  expect(byName.get('Umbrella Health')).toMatchObject({ match: null, suggestions: [] });
  // Hooli's customer belongs to Hooli Inc: never offered again.
  expect(all.flatMap((a) => a.suggestions).some((s) => s.erpCustomerId === ids.hooliCustomer)).toBe(false);
});

test('confirmed links are written to Salesforce and bring the balance; wrong ones are refused with a reason', async () => {
  const res = await h.api('POST', '/v1/backfill/links', {
    links: [
      { accountId: ids.globex, erpCustomerId: ids.globexCustomer },
      { accountId: ids.initech, erpCustomerId: ids.hooliCustomer },
      { accountId: ids.umbrella, erpCustomerId: '999999' },
    ],
  });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    linked: 1,
    rejected: 2,
    results: [
      { accountId: ids.globex, status: 'linked' },
      {
        accountId: ids.initech,
        status: 'rejected',
        reason: expect.stringContaining(`already on account ${ids.hooli}`),
      },
      { accountId: ids.umbrella, status: 'rejected', reason: 'The ERP has no customer 999999.' },
    ],
  });
  expect(h.sf.org.get('Account', ids.globex as string)?.ERP_Customer_Id__c).toBe(ids.globexCustomer);
  expect(h.sf.org.get('Account', ids.initech as string)?.ERP_Customer_Id__c).toBeNull();

  await erp.issueInvoice(ids.globexCustomer as string, money('1200.00', 'USD'), new Date().toISOString().slice(0, 10));
  await h.closeloop.sweepFinancials();
  expect(h.sf.org.get('Account', ids.globex as string)?.Outstanding_Balance__c).toBe(1200);

  // Confirming the same link again is harmless; the account leaves the unmatched list.
  const again = await h.api('POST', '/v1/backfill/links', {
    links: [{ accountId: ids.globex, erpCustomerId: ids.globexCustomer }],
  });
  expect(again.body).toMatchObject({ linked: 1, rejected: 0 });
  const left = (await h.api('GET', '/v1/backfill/accounts')).body as Unmatched;
  expect(left.items.map((a) => a.name).sort()).toEqual(['Initech Software', 'Umbrella Health']);
});

test.each([
  [{ links: [] }, 'links'],
  [{ links: [{ accountId: '006000000000001AAA', erpCustomerId: '1' }] }, 'links.0.accountId'],
  [{ links: [{ accountId: '001000000000001AAA', erpCustomerId: '' }] }, 'links.0.erpCustomerId'],
  [
    {
      links: [
        { accountId: '001000000000001AAA', erpCustomerId: '1' },
        { accountId: '001000000000001AAA', erpCustomerId: '2' },
      ],
    },
    'links',
  ],
])('bad links are refused naming the field, and change nothing: %j', async (body, field) => {
  h.sf.resetApiCalls();
  const res = await h.api('POST', '/v1/backfill/links', body);
  expect(res).toMatchObject({ status: 400, body: { error: { field } } });
  expect(h.sf.apiCalls.total).toBe(0);
});

test('a bad cursor is a 400 naming it', async () => {
  const res = await h.api('GET', "/v1/backfill/accounts?after=' OR Name != '");
  expect(res).toMatchObject({ status: 400, body: { error: { field: 'after' } } });
});
