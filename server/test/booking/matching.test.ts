import { countryCode } from '../../src/booking/country';
import { matchOrCreateCustomer } from '../../src/booking/customerMatch';
import { nameKey, nameSimilarity } from '../../src/booking/names';
import { BusinessError } from '../../src/errors';
import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import type { Store } from '../../src/store/db';
import { fakeSalesforceId } from '../erp/conformance';
import { pgliteStore } from '../support/stores';

describe('company names', () => {
  test('word order, case, accents, punctuation and legal forms do not matter', () => {
    expect(nameKey('Alex Smith')).toBe(nameKey('Smith, Alex'));
    expect(nameKey('Société Générale S.A.')).toBe(nameKey('SOCIETE GENERALE'));
    expect(nameKey('Smith & Co. Ltd')).toBe(nameKey('smith and company limited'));
    expect(nameKey('Acme Inc')).toBe('acme');
  });

  test('similarity separates typos from different companies', () => {
    expect(nameSimilarity('Umbrella Corp', 'Umbrela Corporation')).toBeGreaterThanOrEqual(0.75);
    expect(nameSimilarity('Initech', 'Initrode')).toBeLessThan(0.75);
    expect(nameSimilarity('Acme', 'Acme Industries')).toBeLessThan(0.75);
    expect(nameSimilarity('', 'Acme')).toBe(0);
  });
});

describe('countries as people type them', () => {
  test.each([
    ['United States', 'US'],
    ['USA', 'US'],
    ['us', 'US'],
    ['Germany', 'DE'],
    ['Deutschland', null],
    ['Côte d’Ivoire', 'CI'],
    ['UK', 'GB'],
    ['United Kingdom', 'GB'],
    ['', null],
    [null, null],
    ['ZZ', null],
    ['Narnia', null],
  ])('%s → %s', (text, code) => {
    expect(countryCode(text)).toBe(code);
  });
});

describe('matching an account to an ERP customer', () => {
  let store: Store;
  let erp: SandboxErp;
  beforeAll(async () => {
    store = await pgliteStore();
    erp = new SandboxErp(store);
  });
  afterAll(async () => store.close());

  const account = (name: string, extra: Partial<Parameters<typeof matchOrCreateCustomer>[2]> = {}) => ({
    id: fakeSalesforceId('001'),
    name,
    currency: 'USD',
    erpCustomerId: null,
    street: null,
    city: null,
    postalCode: null,
    country: 'United States',
    phone: null,
    website: null,
    ...extra,
  });

  test('the stored ERP id wins; a stored id the ERP does not know is a business error', async () => {
    const existing = await erp.createCustomer({ name: 'Stored Id Co', externalRef: fakeSalesforceId('001') });
    await expect(
      matchOrCreateCustomer(erp, store, account('Whatever', { erpCustomerId: existing.id })),
    ).resolves.toEqual({ customer: existing, how: 'stored_id' });
    const missing = matchOrCreateCustomer(erp, store, account('Whatever', { erpCustomerId: '99999' }));
    await expect(missing).rejects.toMatchObject({ code: 'ERP_CUSTOMER_NOT_FOUND' });
  });

  test('a customer created earlier for the same account is found again (crash before write-back)', async () => {
    const a = account('Crashy Ltd');
    const first = await matchOrCreateCustomer(erp, store, a);
    expect(first.how).toBe('created');
    await expect(matchOrCreateCustomer(erp, store, a)).resolves.toEqual({
      customer: first.customer,
      how: 'external_ref',
    });
  });

  test('same name in the same country links deterministically, whatever the word order', async () => {
    const existing = await erp.createCustomer({
      name: 'Smith Alex',
      externalRef: fakeSalesforceId('001'),
      countryCode: 'US',
    });
    await expect(matchOrCreateCustomer(erp, store, account('Alex Smith'))).resolves.toEqual({
      customer: existing,
      how: 'name_and_country',
    });
  });

  test('same name but the country unknown on one side is only a suggestion: the booking waits', async () => {
    await erp.createCustomer({ name: 'Nocountry Widgets', externalRef: fakeSalesforceId('001') });
    const a = account('Nocountry Widgets Inc.');
    const attempt = matchOrCreateCustomer(erp, store, a);
    await expect(attempt).rejects.toBeInstanceOf(BusinessError);
    await expect(attempt).rejects.toMatchObject({ code: 'POSSIBLE_DUPLICATE_CUSTOMER' });
    const suggestions = await store.query<{ erp_customer_name: string; score: string }>(
      'SELECT erp_customer_name, score FROM customer_match_suggestions WHERE account_id = $1',
      [a.id],
    );
    expect(suggestions).toEqual([{ erp_customer_name: 'Nocountry Widgets', score: '1.000' }]);
  });

  test('a similar name is never silently duplicated; a person may choose to create anyway', async () => {
    await erp.createCustomer({ name: 'Umbrella Corporation', externalRef: fakeSalesforceId('001'), countryCode: 'US' });
    const a = account('Umbrela Corp');
    await expect(matchOrCreateCustomer(erp, store, a)).rejects.toThrow(
      /may already exist in the ERP: "Umbrella Corporation"/,
    );
    const forced = await matchOrCreateCustomer(erp, store, a, 'create');
    expect(forced).toMatchObject({
      how: 'created',
      customer: { name: 'Umbrela Corp', externalRef: a.id, countryCode: 'US' },
    });
  });

  test('two exact matches are ambiguous and named', async () => {
    await erp.createCustomer({ name: 'Twin Peaks', externalRef: fakeSalesforceId('001'), countryCode: 'US' });
    await erp.createCustomer({ name: 'Peaks Twin', externalRef: fakeSalesforceId('001'), countryCode: 'US' });
    await expect(matchOrCreateCustomer(erp, store, account('Twin Peaks LLC'))).rejects.toMatchObject({
      code: 'AMBIGUOUS_CUSTOMER',
    });
  });

  test('an exact match is found even among many similar names', async () => {
    for (let i = 0; i < 60; i++)
      await erp.createCustomer({
        name: `Northwind Services ${i}`,
        externalRef: fakeSalesforceId('001'),
        countryCode: 'US',
      });
    const contoso = await erp.createCustomer({
      name: 'Contoso Services',
      externalRef: fakeSalesforceId('001'),
      countryCode: 'US',
    });
    await expect(matchOrCreateCustomer(erp, store, account('Contoso Services, Inc.'))).resolves.toEqual({
      customer: contoso,
      how: 'name_and_country',
    });
  });

  test('too many customers sharing every word of the name → a person decides, nothing is created', async () => {
    for (let i = 0; i < 200; i++)
      await erp.createCustomer({
        name: `Globex Trading ${i}`,
        externalRef: fakeSalesforceId('001'),
        countryCode: 'US',
      });
    const a = account('Globex Trading');
    await expect(matchOrCreateCustomer(erp, store, a)).rejects.toMatchObject({ code: 'TOO_MANY_CANDIDATES' });
    await expect(erp.findCustomersByExternalRef(a.id)).resolves.toEqual([]);
  });

  test('no candidate → a new customer with the account id stored on it', async () => {
    const a = account('Brand New Co', { city: 'Austin', postalCode: '73301' });
    const created = await matchOrCreateCustomer(erp, store, a);
    expect(created).toMatchObject({
      how: 'created',
      customer: { externalRef: a.id, postalCode: '73301', countryCode: 'US' },
    });
  });
});
