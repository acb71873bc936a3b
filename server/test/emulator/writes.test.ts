/**
 * Writes through jsforce: sObject Collections (partial success, allOrNone, the 200-record limit),
 * single-record create / update / delete, the field checks a real org applies, and the fields it
 * derives (IsWon, TotalPrice, the Amount roll-up).
 */
import type { Connection } from 'jsforce';
import type { LocalSalesforce } from '../../src/emulator/salesforce';
import { API_VERSION, BOOKING_FIXTURE, failure, http, login, start } from './helpers';

type SaveResult = {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
};

describe('local Salesforce: writes', () => {
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
    sf.clearFaults();
    keys = sf.org.seed(BOOKING_FIXTURE);
  });

  /** `count` fresh open opportunities on Acme; `ids(i)` is the i-th id. */
  function opportunities(count: number): (i: number) => string {
    const list = Array.from({ length: count }, (_, i) =>
      sf.org.insert('Opportunity', {
        Name: `Deal ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2026-12-01',
        AccountId: keys.acme,
      }),
    );
    return (i) => {
      const id = list[i];
      if (!id) throw new Error(`no opportunity #${i}`);
      return id;
    };
  }

  it('saves the valid records of a collection update and reports the one a validation rule rejects', async () => {
    const ids = opportunities(3);
    sf.rejectRecords('Opportunity', (r) =>
      r.Booking_Status__c === 'Booked' && r.ERP_Order_Id__c === null ? 'A booked deal needs its ERP order id.' : null,
    );
    sf.resetApiCalls();
    const results = (await conn.sobject('Opportunity').update([
      { Id: ids(0), Booking_Status__c: 'Booked', ERP_Order_Id__c: 'SO-1' },
      { Id: ids(1), Booking_Status__c: 'Booked' },
      { Id: ids(2), Booking_Status__c: 'Pending' },
    ])) as SaveResult[];
    expect(sf.apiCalls.byCategory.composite).toBe(1);
    expect(sf.apiCalls.total).toBe(1);
    expect(results).toEqual([
      { id: ids(0), success: true, errors: [] },
      {
        id: ids(1),
        success: false,
        errors: [
          {
            statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'A booked deal needs its ERP order id.',
            fields: [],
          },
        ],
      },
      { id: ids(2), success: true, errors: [] },
    ]);
    expect(sf.org.get('Opportunity', ids(0))?.ERP_Order_Id__c).toBe('SO-1');
    expect(sf.org.get('Opportunity', ids(1))?.Booking_Status__c).toBe('Not Booked'); // the picklist default, untouched
    expect(sf.org.get('Opportunity', ids(2))?.Booking_Status__c).toBe('Pending');
  });

  it('rolls everything back with allOrNone and marks the others ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const ids = opportunities(2);
    const results = (await conn.sobject('Opportunity').update(
      [
        { Id: ids(0), ERP_Invoice_Number__c: 'INV-1' },
        { Id: ids(1), Invoice_Status__c: 'Refunded' },
      ],
      { allOrNone: true },
    )) as SaveResult[];
    expect(results[0]).toEqual({
      id: ids(0),
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(results[1]?.errors[0]).toEqual({
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Invoice Status: bad value for restricted picklist field: Refunded',
      fields: ['Invoice_Status__c'],
    });
    expect(sf.org.get('Opportunity', ids(0))?.ERP_Invoice_Number__c).toBeNull();
  });

  it('refuses 201 records in one collection call with HTTP 400 EXCEEDED_ID_LIMIT and saves nothing', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ Name: `Bulk ${i}` }));
    const err = await failure(conn.sobject('Account').create(records));
    expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(err.message).toBe('record limit reached. cannot submit more than 200 records into this call');
    expect(sf.org.all('Account')).toHaveLength(1);
    // jsforce sends an update of 250 records as ONE call too: refused the same way.
    const many = Array.from({ length: 250 }, () => ({ Id: keys.acme!, Phone: '1' }));
    expect((await failure(conn.sobject('Account').update(many))).errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(sf.org.get('Account', keys.acme!)?.Phone).toBeNull();
    const ok = (await conn.sobject('Account').create(records.slice(0, 200))) as SaveResult[];
    expect(ok.every((r) => r.success)).toBe(true);
    expect(sf.org.all('Account')).toHaveLength(201);
  });

  it('creates mixed types in one collection and reports per-record errors in order', async () => {
    const res = await http(sf, `/services/data/v${API_VERSION}/composite/sobjects`, {
      method: 'POST',
      token: conn.accessToken ?? '',
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'Mixed Co' },
          { attributes: { type: 'Opportunity' }, Name: 'Mixed deal', StageName: 'Prospecting' },
          { attributes: { type: 'Product2' }, Name: 'Thing', ProductCode: 'T-1' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const [acc, opp, prod] = res.body as SaveResult[];
    expect(acc?.id).toMatch(/^001[a-zA-Z0-9]{15}$/);
    expect(opp).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [CloseDate]',
          fields: ['CloseDate'],
        },
      ],
    });
    expect(prod?.id).toMatch(/^01t/);
  });

  it('fails a whole collection on an unknown column, as JSON deserialization does', async () => {
    const ids = opportunities(1);
    const err = await failure(conn.sobject('Opportunity').update([{ Id: ids(0), Foo__c: 1 }]));
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toBe("No such column 'Foo__c' on sobject of type Opportunity");
  });

  it('answers unreadable JSON and wrongly typed values with JSON_PARSER_ERROR, unknown columns with INVALID_FIELD', async () => {
    const base = `/services/data/v${API_VERSION}/sobjects/Account`;
    const token = conn.accessToken ?? '';
    const broken = await http(sf, base, { method: 'POST', token, body: '{"Name": ' });
    expect(broken.status).toBe(400);
    expect((broken.body as { errorCode: string }[])[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    const wrongType = await http(sf, base, {
      method: 'POST',
      token,
      body: { Name: 'x', Last_Payment_Date__c: 'yesterday' },
    });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body as { errorCode: string }[])[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    const unknown = await http(sf, base, { method: 'POST', token, body: { Name: 'x', Colour__c: 'red' } });
    expect(unknown.body).toEqual([
      { message: "No such column 'Colour__c' on sobject of type Account", errorCode: 'INVALID_FIELD' },
    ]);
    expect(sf.org.all('Account').map((a) => a.Name)).toEqual(['Acme Corp']);
  });

  it('refuses read-only fields with INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const err = await failure(conn.sobject('Opportunity').update({ Id: keys.deal!, IsWon: false, Name: 'x' }));
    expect(err.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(err.message).toMatch(/^Unable to create\/update fields: IsWon\. Please check the security settings/);
    const line = sf.org.all('OpportunityLineItem')[0]!;
    const results = (await conn
      .sobject('OpportunityLineItem')
      .update([{ Id: String(line.Id), TotalPrice: 1 }])) as SaveResult[];
    expect(results[0]?.errors[0]).toMatchObject({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['TotalPrice'],
    });
    const raw = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/${keys.acme}`, {
      method: 'PATCH',
      token: conn.accessToken ?? '',
      body: { Id: keys.acme, Name: 'Renamed' },
    });
    expect(raw.status).toBe(400);
    expect((raw.body as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('enforces text length, uniqueness of ERP_Customer_Id__c and picklist values from force-app', async () => {
    const tooLong = await failure(
      conn.sobject('Account').update({ Id: keys.acme!, ERP_Customer_Id__c: 'x'.repeat(65) }),
    );
    expect(tooLong.errorCode).toBe('STRING_TOO_LONG');
    expect(tooLong.message).toBe(`ERP Customer Id: data value too large: ${'x'.repeat(65)} (max length=64)`);
    await conn.sobject('Account').update({ Id: keys.acme!, ERP_Customer_Id__c: 'cust-42' });
    const other = (await conn
      .sobject('Account')
      .create({ Name: 'Copycat', ERP_Customer_Id__c: 'CUST-42' })
      .catch((e: unknown) => e)) as {
      errorCode?: string;
      message?: string;
    };
    expect(other.errorCode).toBe('DUPLICATE_VALUE');
    expect(other.message).toBe(
      `duplicate value found: ERP_Customer_Id__c duplicates value on record with id: ${keys.acme!.slice(0, 15)}`,
    );
    const bad = await failure(conn.sobject('Opportunity').update({ Id: keys.deal!, Booking_Status__c: 'Done' }));
    expect(bad.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  it('creates, reads, updates and deletes single records with the REST shapes', async () => {
    const created = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account`, {
      method: 'POST',
      token: conn.accessToken ?? '',
      body: { Name: 'Solo' },
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    expect(created.body).toEqual({ id, success: true, errors: [] });
    const read = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/${id}?fields=Name,Credit_Hold__c`, {
      token: conn.accessToken ?? '',
    });
    expect(read.body).toEqual({
      attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${id}` },
      Name: 'Solo',
      Credit_Hold__c: false,
    });
    const patched = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/${id}`, {
      method: 'PATCH',
      token: conn.accessToken ?? '',
      body: { Outstanding_Balance__c: 10.005 },
    });
    expect(patched.status).toBe(204);
    expect(sf.org.get('Account', id)?.Outstanding_Balance__c).toBe(10.01); // rounded half up to the field's scale
    expect(
      (
        await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/${id}`, {
          method: 'DELETE',
          token: conn.accessToken ?? '',
        })
      ).status,
    ).toBe(204);
    const gone = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/${id}`, {
      token: conn.accessToken ?? '',
    });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED' }]);
    const missing = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/001Kj0000ZZZZZZ`, {
      token: conn.accessToken ?? '',
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const malformed = await http(sf, `/services/data/v${API_VERSION}/sobjects/Account/${keys.deal}`, {
      token: conn.accessToken ?? '',
    });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { errorCode: string }[])[0]?.errorCode).toBe('MALFORMED_ID');
  });

  it('derives IsWon/IsClosed from the stage and TotalPrice / Amount exactly from the lines', async () => {
    expect(sf.org.get('Opportunity', keys.deal!)).toMatchObject({
      IsWon: true,
      IsClosed: true,
      Probability: 100,
      ForecastCategoryName: 'Closed',
      Amount: 53.07,
    });
    await conn.sobject('Opportunity').update({ Id: keys.open!, StageName: 'Closed Lost' });
    expect(sf.org.get('Opportunity', keys.open!)).toMatchObject({ IsWon: false, IsClosed: true, Probability: 0 });

    const lineId = (
      (await conn.sobject('OpportunityLineItem').create({
        OpportunityId: keys.deal,
        Product2Id: keys.widget,
        Quantity: 1.5,
        UnitPrice: 33.33,
        Discount: 33.333,
      })) as SaveResult
    ).id!;
    // Discount is saved at its scale (33.33 %), then 1.5 × 33.33 × 0.6667 = 33.3316665 → 33.33.
    const line = sf.org.get('OpportunityLineItem', lineId)!;
    expect(line).toMatchObject({
      TotalPrice: 33.33,
      Discount: 33.33,
      ListPrice: 120,
      ProductCode: 'W-1',
      Name: 'Acme widgets Widget',
    });
    expect(line.PricebookEntryId).toMatch(/^01u/);
    expect(sf.org.get('Opportunity', keys.deal!)?.Amount).toBe(86.4); // 53.07 + 33.33

    // Amount is read-only while there are lines: a written value is ignored.
    await conn.sobject('Opportunity').update({ Id: keys.deal!, Amount: 1 });
    expect(sf.org.get('Opportunity', keys.deal!)?.Amount).toBe(86.4);
    await conn.sobject('OpportunityLineItem').destroy(lineId);
    expect(sf.org.get('Opportunity', keys.deal!)?.Amount).toBe(53.07);
  });

  it('lets in-process seeding force an Amount that disagrees with the lines', () => {
    sf.org.update('Opportunity', keys.deal!, { Amount: 999.99 }, { force: true });
    expect(sf.org.get('Opportunity', keys.deal!)?.Amount).toBe(999.99);
    sf.org.update('Opportunity', keys.deal!, { Booking_Status__c: 'Failed' }); // an unrelated write keeps it
    expect(sf.org.get('Opportunity', keys.deal!)?.Amount).toBe(999.99);
    // In a fixture, $force applies after every record (lines included) exists.
    const seeded = sf.org.seed({
      Product2: [{ $key: 'thing', Name: 'Thing', ProductCode: 'T-1' }],
      Opportunity: [
        { $key: 'odd', Name: 'Odd', StageName: 'Closed Won', CloseDate: '2026-11-01', $force: { Amount: 10 } },
      ],
      OpportunityLineItem: [
        { OpportunityId: { $ref: 'odd' }, Product2Id: { $ref: 'thing' }, Quantity: 1, UnitPrice: 5 },
      ],
    });
    expect(sf.org.get('Opportunity', seeded.odd!)?.Amount).toBe(10);
    expect(
      sf.org
        .all('OpportunityLineItem')
        .filter((l) => l.OpportunityId === seeded.odd)
        .map((l) => l.TotalPrice),
    ).toEqual([5]);
  });

  it('maintains audit fields and rejects wrong-type references', async () => {
    const before = sf.org.get('Account', keys.acme!)!;
    expect(before).toMatchObject({
      IsDeleted: false,
      CreatedById: sf.org.userId,
      OwnerId: expect.stringMatching(/^005/),
    });
    expect(before.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    const err = await failure(conn.sobject('Opportunity').update({ Id: keys.open!, AccountId: keys.deal }));
    expect(err.errorCode).toBe('MALFORMED_ID');
    expect(err.message).toBe(`Account ID: id value of incorrect type: ${keys.deal}`);
  });
});
