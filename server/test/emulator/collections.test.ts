/**
 * The rest of what jsforce does with collections and external ids (upsert by ERP_Customer_Id__c,
 * retrieve and destroy of many records), plus the JSON seed format and its error messages.
 */
import type { Connection } from 'jsforce';
import type { LocalSalesforce } from '../../src/emulator/salesforce';
import { API_VERSION, BOOKING_FIXTURE, failure, http, login, start } from './helpers';

type SaveResult = { id?: string; success: boolean; errors: { statusCode: string }[]; created?: boolean };

describe('local Salesforce: upsert, retrieve and destroy collections', () => {
  let sf: LocalSalesforce;
  let conn: Connection;
  let keys: Record<string, string>;

  beforeAll(async () => {
    sf = await start();
    conn = await login(sf);
  });
  afterAll(async () => {
    await sf.close();
  });
  beforeEach(() => {
    sf.org.reset();
    keys = sf.org.seed(BOOKING_FIXTURE);
    sf.org.update('Account', keys.acme!, { ERP_Customer_Id__c: '42' });
  });

  it('upserts a collection by external id: updates the match, creates the rest', async () => {
    sf.resetApiCalls();
    const results = (await conn.sobject('Account').upsert(
      [
        { ERP_Customer_Id__c: '42', Outstanding_Balance__c: 120.5 },
        { ERP_Customer_Id__c: '43', Name: 'Newco', Credit_Hold__c: true },
      ],
      'ERP_Customer_Id__c',
    )) as SaveResult[];
    expect(sf.apiCalls.byCategory.composite).toBe(1);
    expect(results[0]).toEqual({ id: keys.acme, success: true, errors: [], created: false });
    expect(results[1]).toMatchObject({ success: true, errors: [], created: true });
    expect(sf.org.get('Account', keys.acme!)?.Outstanding_Balance__c).toBe(120.5);
    expect(sf.org.get('Account', results[1]!.id!)).toMatchObject({
      Name: 'Newco',
      ERP_Customer_Id__c: '43',
      Credit_Hold__c: true,
    });
  });

  it('upserts one record through /sobjects/{type}/{field}/{value}', async () => {
    const updated = (await conn
      .sobject('Account')
      .upsert({ ERP_Customer_Id__c: '42', Phone: '+33 1' }, 'ERP_Customer_Id__c')) as SaveResult;
    expect(updated).toMatchObject({ id: keys.acme, success: true, created: false });
    const created = (await conn
      .sobject('Account')
      .upsert({ ERP_Customer_Id__c: '77', Name: 'Seventy-seven' }, 'ERP_Customer_Id__c')) as SaveResult;
    expect(created).toMatchObject({ success: true, created: true });
    const byExt = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/ERP_Customer_Id__c/77`, {
      token: conn.accessToken ?? '',
    });
    expect((byExt.body as { Name: string }).Name).toBe('Seventy-seven');
    const notExternal = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/Name/Acme`, {
      method: 'PATCH',
      token: conn.accessToken ?? '',
      body: {},
    });
    expect(notExternal.status).toBe(404);
  });

  it('retrieves many records in one call, null for the missing ones', async () => {
    sf.resetApiCalls();
    const missing = `001Kj0000ZZZZZZ`;
    const records = (await conn
      .sobject('Account')
      .retrieve([keys.acme!, missing], { fields: ['Name', 'ERP_Customer_Id__c'] })) as unknown[];
    expect(sf.apiCalls.byCategory.composite).toBe(1);
    expect(records).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${keys.acme}` },
        Name: 'Acme Corp',
        ERP_Customer_Id__c: '42',
      },
      null,
    ]);
  });

  it('destroys many records in one call, cascading an opportunity to its line items', async () => {
    const results = (await conn.sobject('Opportunity').destroy([keys.deal!, keys.open!, keys.deal!])) as SaveResult[];
    expect(results.map((r) => r.success)).toEqual([true, true, false]);
    expect(results[2]?.errors[0]?.statusCode).toBe('ENTITY_IS_DELETED');
    expect(sf.org.all('OpportunityLineItem')).toEqual([]);
    expect(sf.org.all('OpportunityLineItem', { includeDeleted: true })).toHaveLength(2);
  });

  it('refuses to delete a product that line items use', async () => {
    const err = await failure(conn.sobject('Product2').destroy(keys.widget!));
    expect(err.errorCode).toBe('DELETE_FAILED');
  });
});

describe('local Salesforce: seed fixtures', () => {
  let sf: LocalSalesforce;

  beforeAll(async () => {
    sf = await start();
  });
  afterAll(async () => {
    await sf.close();
  });
  beforeEach(() => sf.org.reset());

  it('loads parents first, resolves $ref and returns the named ids', () => {
    const keys = sf.org.seed({
      $comment: 'refs may point forward in the file',
      Opportunity: [
        { $key: 'd', Name: 'D', StageName: 'Closed Won', CloseDate: '2026-01-02', AccountId: { $ref: 'a' } },
      ],
      Account: [{ $key: 'a', Name: 'A' }],
    });
    expect(Object.keys(keys).sort()).toEqual(['a', 'd']);
    expect(sf.org.get('Opportunity', keys.d!)?.AccountId).toBe(keys.a);
  });

  it('says which record failed and why', () => {
    expect(() => sf.org.seed({ Account: [{ Name: 'ok' }, { $key: 'bad', Name: 'x'.repeat(256) }] })).toThrow(
      /^seed Account\[1\] \(\$key bad\): STRING_TOO_LONG: Account Name: data value too large/,
    );
    expect(() =>
      sf.org.seed({
        Opportunity: [{ Name: 'n', StageName: 'Closed Won', CloseDate: '2026-01-01', AccountId: { $ref: 'nobody' } }],
      }),
    ).toThrow("seed Opportunity[0]: unknown $ref 'nobody' in AccountId");
    expect(() => sf.org.seed({ Invoice__c: [{ Name: 'x' }] })).toThrow(/INVALID_TYPE/);
  });

  it('starts from a fresh org on reset(): default records only, no rules', () => {
    sf.org.seed({ Account: [{ Name: 'gone soon' }] });
    sf.rejectRecords('Account', () => 'never');
    sf.org.reset();
    expect(sf.org.all('Account')).toEqual([]);
    expect(sf.org.all('User').map((u) => u.Id)).toEqual([sf.org.userId]);
    expect(sf.org.all('Pricebook2').map((p) => [p.Id, p.IsStandard])).toEqual([[sf.org.standardPricebookId, true]]);
    expect(() => sf.org.insert('Account', { Name: 'allowed again' })).not.toThrow();
  });
});
