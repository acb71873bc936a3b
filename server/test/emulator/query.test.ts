/**
 * SOQL through jsforce against the local org: relationship paths, child subqueries, paging with
 * nextRecordsUrl, the WHERE operators and literals, ORDER BY / LIMIT / OFFSET, COUNT() and
 * aggregates, and Salesforce's error codes for bad queries.
 */
import type { Connection } from 'jsforce';
import type { LocalSalesforce } from '../../src/emulator/salesforce';
import { API_VERSION, BOOKING_FIXTURE, failure, http, login, start } from './helpers';

type Rec = Record<string, unknown>;

describe('local Salesforce: SOQL', () => {
  let sf: LocalSalesforce;
  let conn: Connection;
  let keys: Record<string, string>;

  beforeAll(async () => {
    sf = await start({ queryBatchSize: 5, clock: () => new Date('2026-11-21T12:00:00Z') });
    conn = await login(sf);
  });
  afterAll(async () => {
    await sf.close();
  });
  beforeEach(() => {
    sf.org.reset();
    keys = sf.org.seed(BOOKING_FIXTURE);
  });

  it('returns parent paths nested and the line-item subquery ordered', async () => {
    const soql =
      'SELECT Id, Name, Amount, IsWon, CloseDate, CreatedDate, Account.Name, Account.ERP_Customer_Id__c, Owner.Name, ' +
      '(SELECT Id, Quantity, UnitPrice, Discount, TotalPrice, Product2.ProductCode, SortOrder FROM OpportunityLineItems ORDER BY SortOrder) ' +
      `FROM Opportunity WHERE Id = '${keys.deal}'`;
    const result = await conn.query<Rec>(soql);
    expect(result).toMatchObject({ totalSize: 1, done: true });
    const opp = result.records[0] as Rec;
    expect(opp.attributes).toEqual({
      type: 'Opportunity',
      url: `/services/data/v${API_VERSION}/sobjects/Opportunity/${keys.deal}`,
    });
    expect(Object.keys(opp)).toEqual([
      'attributes',
      'Id',
      'Name',
      'Amount',
      'IsWon',
      'CloseDate',
      'CreatedDate',
      'Account',
      'Owner',
      'OpportunityLineItems',
    ]);
    expect(opp).toMatchObject({
      Name: 'Acme widgets',
      Amount: 53.07,
      IsWon: true,
      CloseDate: '2026-11-20',
      CreatedDate: '2026-11-21T12:00:00.000+0000',
    });
    expect(opp.Account).toEqual({
      attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${keys.acme}` },
      Name: 'Acme Corp',
      ERP_Customer_Id__c: null,
    });
    expect((opp.Owner as Rec).Name).toBe('Ada Rep');
    const lines = opp.OpportunityLineItems as { totalSize: number; done: boolean; records: Rec[] };
    expect(lines.totalSize).toBe(2);
    expect(lines.done).toBe(true);
    expect(lines.records.map((l) => (l.Product2 as Rec).ProductCode)).toEqual(['G-2', 'W-1']);
    expect(lines.records.map((l) => l.TotalPrice)).toEqual([0.6, 52.47]);
    expect((lines.records[0] as Rec).attributes).toMatchObject({ type: 'OpportunityLineItem' });
  });

  it('answers null for an empty lookup and for an empty child relationship', async () => {
    const { records } = await conn.query<Rec>(
      `SELECT Account.Name, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${keys.open}'`,
    );
    const orphan = sf.org.insert('Opportunity', {
      Name: 'No account',
      StageName: 'Prospecting',
      CloseDate: '2027-01-01',
    });
    const again = await conn.query<Rec>(`SELECT Account.Name FROM Opportunity WHERE Id = '${orphan}'`);
    expect((records[0] as Rec).OpportunityLineItems).toBeNull();
    expect((again.records[0] as Rec).Account).toBeNull();
  });

  it('pages with nextRecordsUrl and jsforce autoFetch follows every page', async () => {
    for (let i = 0; i < 12; i++) sf.org.insert('Account', { Name: `Paged ${String(i).padStart(2, '0')}` });
    const first = await http(
      sf,
      `/services/data/v${API_VERSION}/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name")}`,
      {
        token: conn.accessToken ?? '',
      },
    );
    const page = first.body as { totalSize: number; done: boolean; nextRecordsUrl: string; records: Rec[] };
    expect(page.totalSize).toBe(12);
    expect(page.done).toBe(false);
    expect(page.records).toHaveLength(5);
    expect(page.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${API_VERSION}/query/01g[a-zA-Z0-9]{15}-5$`));

    sf.resetApiCalls();
    const all = await conn.query<Rec>("SELECT Name FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name", {
      autoFetch: true,
      maxFetch: 100,
    });
    expect(all.records.map((r) => r.Name)).toEqual(
      Array.from({ length: 12 }, (_, i) => `Paged ${String(i).padStart(2, '0')}`),
    );
    expect(sf.apiCalls.byCategory.query).toBe(3); // 5 + 5 + 2

    const stale = await http(sf, `/services/data/v${API_VERSION}/query/01gKj0000000000-5`, {
      token: conn.accessToken ?? '',
    });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });

  it('honours Sforce-Query-Options batchSize within Salesforce limits (200-2000)', async () => {
    for (let i = 0; i < 250; i++) sf.org.insert('Account', { Name: `Bulk ${i}` });
    const res = await http(
      sf,
      `/services/data/v${API_VERSION}/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      {
        token: conn.accessToken ?? '',
        headers: { 'Sforce-Query-Options': 'batchSize=10' }, // below the minimum: 200 apply
      },
    );
    const page = res.body as { records: unknown[]; done: boolean };
    expect(page.records).toHaveLength(200);
    expect(page.done).toBe(false);
  });

  it('evaluates WHERE operators, escapes, dates and datetimes like SOQL', async () => {
    const a = sf.org.insert('Account', { Name: "O'Reilly \\ Sons", BillingCity: 'Paris', Industry: 'Retail' });
    const b = sf.org.insert('Account', { Name: 'Under_score 100%', BillingCity: null });
    const names = async (where: string): Promise<unknown[]> =>
      (await conn.query<Rec>(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`)).records.map((r) => r.Name);

    expect(await names("Name = 'o\\'reilly \\\\ sons'")).toEqual(["O'Reilly \\ Sons"]); // case-insensitive, escapes
    expect(await names("Name LIKE 'Under\\_score 100\\%'")).toEqual(['Under_score 100%']);
    expect(await names("Name LIKE 'Under_score%'")).toEqual(['Under_score 100%']);
    expect(await names("Name LIKE 'Unde_\\_%'")).toEqual(['Under_score 100%']);
    expect(await names('BillingCity = null')).toEqual(['Under_score 100%']);
    expect(await names("BillingCity != 'Paris'")).toEqual(['Acme Corp', 'Under_score 100%']); // != matches nulls
    expect(await names("BillingCity IN ('Paris', 'Lyon')")).toEqual(['Acme Corp', "O'Reilly \\ Sons"]);
    expect(await names("BillingCity NOT IN ('Paris')")).toEqual(['Acme Corp', 'Under_score 100%']);
    expect(await names("NOT (BillingCity = 'Paris' OR BillingCity = 'Lyon')")).toEqual(['Under_score 100%']);
    expect(await names("(Industry = 'Retail' OR BillingCity = 'Lyon') AND Name != 'Acme Corp'")).toEqual([
      "O'Reilly \\ Sons",
    ]);
    expect(await names(`Id IN ('${a.slice(0, 15)}', '${b}')`)).toEqual(["O'Reilly \\ Sons", 'Under_score 100%']);

    const opps = async (where: string): Promise<unknown[]> =>
      (await conn.query<Rec>(`SELECT Name FROM Opportunity WHERE ${where} ORDER BY Name`)).records.map((r) => r.Name);
    expect(await opps('Amount > 53.06 AND Amount <= 53.07')).toEqual(['Acme widgets']);
    expect(await opps('IsWon = TRUE')).toEqual(['Acme widgets']);
    expect(await opps('IsClosed = false')).toEqual(['Acme renewal']);
    expect(await opps('CloseDate > 2026-11-20')).toEqual(['Acme renewal']);
    expect(await opps('CloseDate >= 2026-11-20 AND CloseDate < 2027-01-01')).toEqual(['Acme renewal', 'Acme widgets']);
    expect(await opps('CreatedDate = 2026-11-21T12:00:00Z')).toEqual(['Acme renewal', 'Acme widgets']);
    expect(await opps('CreatedDate < 2026-11-21T13:00:00+02:00')).toEqual([]); // 11:00 UTC
    expect(await opps('CreatedDate > 2026-11-21T11:59:59.999Z')).toEqual(['Acme renewal', 'Acme widgets']);
    // The API writes datetimes as ...+0000, but SOQL only takes Z or +hh:mm: copying one back fails.
    expect(
      (await failure(conn.query('SELECT Id FROM Opportunity WHERE CreatedDate > 2026-11-21T12:00:00.000+0000')))
        .errorCode,
    ).toBe('MALFORMED_QUERY');
    expect(await opps('CreatedDate = TODAY AND CloseDate = LAST_N_DAYS:3')).toEqual(['Acme widgets']);
    expect(await opps('CALENDAR_YEAR(CloseDate) = 2026 AND CALENDAR_MONTH(CloseDate) = 12')).toEqual(['Acme renewal']);
    expect(
      await opps(`AccountId IN (SELECT Id FROM Account WHERE BillingCity = 'Lyon') AND StageName = 'Closed Won'`),
    ).toEqual(['Acme widgets']);
    expect(await opps("Account.Owner.Name = 'Ada Rep' AND StageName != 'Closed Won'")).toEqual(['Acme renewal']);
  });

  it('orders by several keys with NULLS FIRST/LAST and applies LIMIT and OFFSET', async () => {
    sf.org.insert('Account', { Name: 'Beta', BillingCity: 'Zurich' });
    sf.org.insert('Account', { Name: 'alpha', BillingCity: 'Zurich' });
    sf.org.insert('Account', { Name: 'Gamma' });
    const q = async (tail: string): Promise<unknown[]> =>
      (await conn.query<Rec>(`SELECT Name FROM Account ${tail}`)).records.map((r) => r.Name);
    expect(await q('ORDER BY BillingCity DESC NULLS LAST, Name')).toEqual(['alpha', 'Beta', 'Acme Corp', 'Gamma']);
    expect(await q('ORDER BY BillingCity')).toEqual(['Gamma', 'Acme Corp', 'Beta', 'alpha']); // ASC: nulls first; ties in Id order
    expect(await q('ORDER BY Name LIMIT 2 OFFSET 1')).toEqual(['alpha', 'Beta']);
  });

  it('answers COUNT() as totalSize with no records, and aggregates as AggregateResult', async () => {
    const count = await conn.query("SELECT COUNT() FROM Opportunity WHERE StageName != 'Closed Lost'");
    expect(count.totalSize).toBe(2);
    expect(count.records).toEqual([]);
    const agg = await conn.query<Rec>(
      'SELECT StageName, COUNT(Id) n, SUM(Amount) FROM Opportunity GROUP BY StageName ORDER BY StageName',
    );
    expect(agg.records).toEqual([
      { attributes: { type: 'AggregateResult' }, StageName: 'Closed Won', n: 1, expr0: 53.07 },
      { attributes: { type: 'AggregateResult' }, StageName: 'Prospecting', n: 1, expr0: null },
    ]);
  });

  it('accepts 15-character ids and answers 18-character ones', async () => {
    const id15 = keys.acme!.slice(0, 15);
    const { records } = await conn.query<Rec>(`SELECT Id FROM Account WHERE Id = '${id15}'`);
    expect(records.map((r) => r.Id)).toEqual([keys.acme]);
    const fetched = (await conn.sobject('Account').retrieve(id15)) as Rec;
    expect(fetched.Id).toBe(keys.acme);
  });

  it('rejects an unknown column with INVALID_FIELD pointing at it', async () => {
    const err = await failure(conn.query('SELECT Id, Foo__c FROM Opportunity'));
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toBe(
      "\nSELECT Id, Foo__c FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expect((await failure(conn.query("SELECT Id FROM Account WHERE Bogus = 'x'"))).errorCode).toBe('INVALID_FIELD');
    expect((await failure(conn.query('SELECT Accnt.Name FROM Opportunity'))).message).toContain(
      "Didn't understand relationship 'Accnt'",
    );
    expect((await failure(conn.query('SELECT Id, (SELECT Id FROM Lines) FROM Opportunity'))).errorCode).toBe(
      'INVALID_TYPE',
    );
  });

  it('rejects bad SOQL with MALFORMED_QUERY, unknown objects with INVALID_TYPE, bad literals by type', async () => {
    const malformed = await failure(conn.query('SELEC Id FRM Account'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    expect(malformed.message).toContain("unexpected token: 'SELEC'");
    expect((await failure(conn.query("SELECT Id FROM Account WHERE Name = 'a\\qb'"))).errorCode).toBe(
      'MALFORMED_QUERY',
    );
    const type = await failure(conn.query('SELECT Id FROM Invoice__c'));
    expect(type.errorCode).toBe('INVALID_TYPE');
    expect(type.message).toContain("sObject type 'Invoice__c' is not supported.");
    const quoted = await failure(conn.query("SELECT Id FROM Opportunity WHERE CloseDate = '2026-11-20'"));
    expect(quoted.errorCode).toBe('INVALID_FIELD');
    expect(quoted.message).toContain(
      "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes",
    );
    expect((await failure(conn.query('SELECT Id FROM Opportunity WHERE CloseDate = 2026-02-30'))).message).toContain(
      'Invalid date: 2026-02-30',
    );
    const badId = await failure(conn.query("SELECT Id FROM Account WHERE Id = 'abc'"));
    expect(badId.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(badId.message).toContain('invalid ID field: abc');
  });

  it('hides deleted records from query and shows them to queryAll', async () => {
    await conn.sobject('Opportunity').destroy(keys.open!);
    const live = await conn.query<Rec>('SELECT Name FROM Opportunity');
    expect(live.records.map((r) => r.Name)).toEqual(['Acme widgets']);
    const all = await conn.query<Rec>('SELECT Name, IsDeleted FROM Opportunity ORDER BY Name', { scanAll: true });
    expect(all.records.map((r) => [r.Name, r.IsDeleted])).toEqual([
      ['Acme renewal', true],
      ['Acme widgets', false],
    ]);
  });
});
