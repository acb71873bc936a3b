/**
 * The org's schema as clients see it: custom fields and picklists read from force-app (not
 * hard-coded), single- vs multi-currency orgs, custom objects, and the id format.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from 'jsforce';
import { checksum, normalizeId, type LocalSalesforce } from '../../src/emulator/salesforce';
import { API_VERSION, failure, http, login, start } from './helpers';

type Field = {
  name: string;
  type: string;
  length: number;
  precision: number;
  scale: number;
  custom: boolean;
  externalId: boolean;
  unique: boolean;
  nillable: boolean;
  updateable: boolean;
  createable: boolean;
  picklistValues: { value: string; defaultValue: boolean; active: boolean }[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  defaultValue: unknown;
};
type Describe = {
  name: string;
  keyPrefix: string;
  fields: Field[];
  childRelationships: { childSObject: string; field: string; relationshipName: string | null }[];
};

describe('local Salesforce: describe and currency', () => {
  let sf: LocalSalesforce;
  let conn: Connection;

  beforeAll(async () => {
    sf = await start();
    conn = await login(sf);
  });
  afterAll(async () => {
    await sf.close();
  });

  const field = (d: Describe, name: string): Field => {
    const f = d.fields.find((x) => x.name === name);
    if (!f) throw new Error(`no field ${name} on ${d.name}`);
    return f;
  };

  it('describes the custom fields of force-app with their types, sizes and picklist values', async () => {
    const account = (await conn.describe('Account')) as unknown as Describe;
    expect(account.keyPrefix).toBe('001');
    expect(field(account, 'ERP_Customer_Id__c')).toMatchObject({
      type: 'string',
      length: 64,
      custom: true,
      externalId: true,
      unique: true,
    });
    expect(field(account, 'Outstanding_Balance__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    expect(field(account, 'Credit_Hold__c')).toMatchObject({ type: 'boolean', nillable: false, defaultValue: false });
    expect(field(account, 'Last_Payment_Date__c').type).toBe('date');
    expect(field(account, 'Finance_Synced_At__c').type).toBe('datetime');
    expect(field(account, 'Days_Sales_Outstanding__c')).toMatchObject({ type: 'double', precision: 6, scale: 1 });

    const opp = (await conn.describe('Opportunity')) as unknown as Describe;
    const status = field(opp, 'Booking_Status__c');
    expect(status).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(status.picklistValues.map((v) => v.value)).toEqual([
      'Not Booked',
      'Pending',
      'Booked',
      'Failed',
      'Credit Hold',
    ]);
    expect(status.picklistValues.find((v) => v.defaultValue)?.value).toBe('Not Booked');
    expect(field(opp, 'Invoice_Status__c').picklistValues.map((v) => v.value)).toEqual([
      'Draft',
      'Open',
      'Partially Paid',
      'Paid',
      'Overdue',
      'Void',
    ]);
    expect(field(opp, 'Booking_Error__c')).toMatchObject({ type: 'textarea', length: 32768 });
    expect(field(opp, 'IsWon')).toMatchObject({ updateable: false, createable: false });
    expect(field(opp, 'AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
    });
    expect(opp.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'OpportunityLineItem',
        field: 'OpportunityId',
        relationshipName: 'OpportunityLineItems',
      }),
    );
    expect(opp.fields.some((f) => f.name === 'CurrencyIsoCode')).toBe(false);
  });

  it('lists the standard objects in describeGlobal with their key prefixes', async () => {
    const global = await conn.describeGlobal();
    const prefixes = Object.fromEntries(global.sobjects.map((s) => [s.name, s.keyPrefix]));
    expect(prefixes).toMatchObject({
      Account: '001',
      Opportunity: '006',
      OpportunityLineItem: '00k',
      Product2: '01t',
      Pricebook2: '01s',
      PricebookEntry: '01u',
      User: '005',
      Organization: '00D',
    });
  });

  it('answers NOT_FOUND for an unknown object in a resource path', async () => {
    const res = await http(sf, `/services/data/v${API_VERSION}/sobjects/Invoice__c/describe`, {
      token: conn.accessToken ?? '',
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });

  it('has no CurrencyIsoCode in a single-currency org: querying it is INVALID_FIELD', async () => {
    const err = await failure(conn.query('SELECT Id, CurrencyIsoCode FROM Opportunity'));
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toContain("No such column 'CurrencyIsoCode' on entity 'Opportunity'");
    const org = await conn.query<{ DefaultCurrencyIsoCode: string }>(
      'SELECT DefaultCurrencyIsoCode, IsSandbox FROM Organization',
    );
    expect(org.records[0]?.DefaultCurrencyIsoCode).toBe('USD');
  });

  it('has CurrencyIsoCode on Account, Opportunity and line items in a multi-currency org', async () => {
    const multi = await start({ multiCurrency: true, defaultCurrency: 'EUR' });
    try {
      const c = await login(multi);
      const describe = (await c.describe('OpportunityLineItem')) as unknown as Describe;
      expect(field(describe, 'CurrencyIsoCode')).toMatchObject({ type: 'picklist', createable: false });
      const acc = multi.org.insert('Account', { Name: 'Euro GmbH' });
      const opp = multi.org.insert('Opportunity', {
        Name: 'Pfund deal',
        AccountId: acc,
        StageName: 'Closed Won',
        CloseDate: '2026-11-01',
        CurrencyIsoCode: 'GBP',
      });
      const prod = multi.org.insert('Product2', { Name: 'Thing' });
      multi.org.insert('OpportunityLineItem', { OpportunityId: opp, Product2Id: prod, Quantity: 2, UnitPrice: 10 });
      const { records } = await c.query<Record<string, unknown>>(
        'SELECT CurrencyIsoCode, Account.CurrencyIsoCode, (SELECT CurrencyIsoCode FROM OpportunityLineItems) FROM Opportunity',
      );
      const row = records[0]!;
      expect(row.CurrencyIsoCode).toBe('GBP');
      expect((row.Account as Record<string, unknown>).CurrencyIsoCode).toBe('EUR');
      expect((row.OpportunityLineItems as { records: Record<string, unknown>[] }).records[0]?.CurrencyIsoCode).toBe(
        'GBP',
      );
      const org = await c.query<{ DefaultCurrencyIsoCode: string }>('SELECT DefaultCurrencyIsoCode FROM Organization');
      expect(org.records[0]?.DefaultCurrencyIsoCode).toBe('EUR');
      const bad = await failure(c.sobject('Account').update({ Id: acc, CurrencyIsoCode: 'XYZ' }));
      expect(bad.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    } finally {
      await multi.close();
    }
  });

  it('reads fields and custom objects from another force-app directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'force-app-'));
    const objects = path.join(dir, 'main', 'default', 'objects');
    mkdirSync(path.join(objects, 'Account', 'fields'), { recursive: true });
    mkdirSync(path.join(objects, 'Invoice__c', 'fields'), { recursive: true });
    writeFileSync(
      path.join(objects, 'Account', 'fields', 'Segment__c.field-meta.xml'),
      '<?xml version="1.0"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Segment__c</fullName><label>Segment</label><type>Text</type><length>3</length></CustomField>',
    );
    writeFileSync(
      path.join(objects, 'Invoice__c', 'Invoice__c.object-meta.xml'),
      '<?xml version="1.0"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Invoice</label><pluralLabel>Invoices</pluralLabel><nameField><label>Invoice Number</label><type>Text</type></nameField></CustomObject>',
    );
    writeFileSync(
      path.join(objects, 'Invoice__c', 'fields', 'Account__c.field-meta.xml'),
      '<?xml version="1.0"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Account__c</fullName><label>Account</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Invoices</relationshipName></CustomField>',
    );
    const custom = await start({ forceAppDir: dir });
    try {
      const c = await login(custom);
      const acc = custom.org.insert('Account', { Name: 'Acme', Segment__c: 'SMB' });
      custom.org.insert('Invoice__c', { Name: 'INV-1', Account__c: acc });
      const { records } = await c.query<Record<string, unknown>>(
        'SELECT Segment__c, (SELECT Name FROM Invoices__r) FROM Account',
      );
      expect(records[0]?.Segment__c).toBe('SMB');
      expect((records[0]?.Invoices__r as { records: { Name: string }[] }).records[0]?.Name).toBe('INV-1');
      const inv = await c.query<Record<string, unknown>>('SELECT Account__r.Name FROM Invoice__c');
      expect((inv.records[0]?.Account__r as { Name: string }).Name).toBe('Acme');
      expect((await failure(c.sobject('Account').create({ Name: 'x', Segment__c: 'TOOLONG' }))).errorCode).toBe(
        'STRING_TOO_LONG',
      );
      expect((await failure(c.query('SELECT ERP_Customer_Id__c FROM Account'))).errorCode).toBe('INVALID_FIELD');
    } finally {
      await custom.close();
    }
  });
});

describe('local Salesforce: ids', () => {
  it('computes the case checksum of 15-character ids', () => {
    expect(checksum('0015000000Gv7qJ')).toBe('AAR');
    expect(normalizeId('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
  });

  it('restores the case of a lower-cased 18-character id from its checksum, and rejects corrupt ones', () => {
    expect(normalizeId('0015000000gv7qjaar')).toBe('0015000000Gv7qJAAR');
    expect(normalizeId('0015000000Gv7qJAAR')).toBe('0015000000Gv7qJAAR');
    expect(normalizeId('0015000000Gv7qJ999')).toBeUndefined(); // 9 is no checksum character
    expect(normalizeId('001500000')).toBeUndefined();
    expect(normalizeId("001500000'Gv7qJ")).toBeUndefined();
  });

  it('hands out 18-character ids with the right prefix and a valid checksum', async () => {
    const sf = await start();
    try {
      const id = sf.org.insert('Product2', { Name: 'P' });
      expect(id).toMatch(/^01t[a-zA-Z0-9]{15}$/);
      expect(id.slice(15)).toBe(checksum(id.slice(0, 15)));
      expect(sf.org.orgId.startsWith('00D')).toBe(true);
      expect(sf.org.userId.startsWith('005')).toBe(true);
    } finally {
      await sf.close();
    }
  });
});
