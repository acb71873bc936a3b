/** The Salesforce client over real HTTP against the local Salesforce. */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SalesforceClient } from '../../src/salesforce/client';
import { jwtBearerAssertion } from '../../src/salesforce/jwt';
import { describeOrg } from '../../src/salesforce/org';
import { TransientError } from '../../src/errors';
import { z } from 'zod';
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';

let sf: LocalSalesforce;
let client: SalesforceClient;
const newClient = (clientSecret = sf.clientSecret) =>
  new SalesforceClient({
    loginUrl: sf.url,
    apiVersion: '62.0',
    auth: { flow: 'client_credentials', clientId: sf.clientId, clientSecret },
  });

beforeAll(async () => {
  sf = await startLocalSalesforce({ queryBatchSize: 200 });
});
afterAll(async () => sf.close());
beforeEach(() => {
  sf.clearFaults();
  sf.resetApiCalls();
  client = newClient();
});

const accountIds = (n: number) => Array.from({ length: n }, (_, i) => sf.org.insert('Account', { Name: `Bulk ${i}` }));

test('updates are sent 200 records a call, with per-record results; one rejected record does not block the others', async () => {
  const ids = accountIds(450);
  const remove = sf.rejectRecords('Account', (r) =>
    r.Credit_Hold__c === true && r.Name === 'Bulk 7' ? 'Bulk 7 may not be on hold' : null,
  );
  try {
    await client.login();
    sf.resetApiCalls();
    const results = await client.update(ids.map((id) => ({ type: 'Account', id, fields: { Credit_Hold__c: true } })));
    expect(sf.apiCalls.byCategory.composite).toBe(3);
    expect(sf.apiCalls.total).toBe(3);
    expect(results).toHaveLength(450);
    const failed = results.filter((r) => !r.success);
    expect(failed).toEqual([
      {
        type: 'Account',
        id: ids[7],
        success: false,
        errors: [
          expect.objectContaining({
            statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Bulk 7 may not be on hold',
          }),
        ],
      },
    ]);
    expect(sf.org.get('Account', ids[8]!)?.Credit_Hold__c).toBe(true);
    expect(sf.org.get('Account', ids[7]!)?.Credit_Hold__c).toBe(false);
  } finally {
    remove();
  }
});

test('queries follow every page and validate each record', async () => {
  accountIds(450);
  const rows = await client.query('SELECT Id, Name FROM Account', z.object({ Id: z.string(), Name: z.string() }));
  expect(rows.length).toBeGreaterThanOrEqual(450);
  expect(sf.apiCalls.byCategory.query).toBe(Math.ceil(rows.length / 200));
  await expect(
    client.query('SELECT Id, Name FROM Account LIMIT 1', z.object({ Id: z.number() })),
  ).rejects.toMatchObject({ code: 'SALESFORCE_PAYLOAD' });
});

test('the org shape is learnt from the org: single currency, corporate currency', async () => {
  await expect(describeOrg(client)).resolves.toEqual({ multiCurrency: false, defaultCurrency: 'USD' });
  const multi = await startLocalSalesforce({ multiCurrency: true, defaultCurrency: 'EUR' });
  try {
    const c = new SalesforceClient({
      loginUrl: multi.url,
      apiVersion: '62.0',
      auth: { flow: 'client_credentials', clientId: multi.clientId, clientSecret: multi.clientSecret },
    });
    await expect(describeOrg(c)).resolves.toEqual({ multiCurrency: true, defaultCurrency: 'EUR' });
  } finally {
    await multi.close();
  }
});

test('an expired session is renewed once; a token Salesforce keeps rejecting stops after 3 logins', async () => {
  await client.login();
  sf.expireAllTokens();
  const before = sf.tokenRequests;
  await client.query('SELECT Id FROM Account LIMIT 1', z.object({ Id: z.string() }));
  expect(sf.tokenRequests - before).toBe(1);

  // Every fresh token is rejected: jsforce alone would loop forever.
  sf.failNext(1000, { status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
  const start = sf.tokenRequests;
  const failure = client.query('SELECT Id FROM Account LIMIT 1', z.object({ Id: z.string() }));
  await expect(failure).rejects.toBeInstanceOf(TransientError);
  await expect(failure).rejects.toMatchObject({ code: 'SALESFORCE_AUTH' });
  // One re-login was spent above; the cap (3 a minute) leaves exactly two more.
  expect(sf.tokenRequests - start).toBe(2);
});

test('wrong client credentials are a clear auth error naming the variables to check', async () => {
  const bad = newClient('not-the-secret');
  await expect(bad.login()).rejects.toMatchObject({
    code: 'SALESFORCE_AUTH',
    message: expect.stringContaining('SF_CLIENT_SECRET'),
  });
});

test('REQUEST_LIMIT_EXCEEDED backs off for a minute; 503 and unreachable are transient; INVALID_FIELD says so', async () => {
  await client.login();
  sf.setRequestLimitExceeded(true);
  const limited = client.update([{ type: 'Account', id: accountIds(1)[0]!, fields: { Name: 'x' } }]);
  await expect(limited).rejects.toMatchObject({ code: 'SALESFORCE_LIMIT', retryAfterMs: 60_000 });
  sf.setRequestLimitExceeded(false);

  sf.failNext(1, {
    status: 503,
    errorCode: 'SERVER_UNAVAILABLE',
    message: 'Down for maintenance',
    match: { method: 'PATCH' },
  });
  await expect(
    client.update([{ type: 'Account', id: accountIds(1)[0]!, fields: { Name: 'y' } }]),
  ).rejects.toMatchObject({ code: 'SALESFORCE_UNAVAILABLE' });

  await expect(client.query('SELECT Nope__c FROM Account', z.object({}))).rejects.toMatchObject({
    code: 'SALESFORCE_ERROR',
    message: expect.stringContaining('INVALID_FIELD'),
  });

  const nowhere = new SalesforceClient({
    loginUrl: 'http://127.0.0.1:1',
    apiVersion: '62.0',
    auth: { flow: 'client_credentials', clientId: 'x', clientSecret: 'y' },
  });
  await expect(nowhere.login()).rejects.toMatchObject({ code: 'SALESFORCE_UNAVAILABLE' });
});

test('the JWT bearer flow signs an RS256 assertion for the connected app', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'jwt-')), 'key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const assertion = await jwtBearerAssertion(
    { clientId: 'consumer-key', username: 'int@example.com', privateKeyFile: keyFile },
    'https://login.salesforce.com',
    1_800_000_000_000,
  );
  const [header, claims, signature] = assertion.split('.');
  expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
  expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toEqual({
    iss: 'consumer-key',
    sub: 'int@example.com',
    aud: 'https://login.salesforce.com',
    exp: 1_800_000_180,
  });
  expect(
    createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature!, 'base64url')),
  ).toBe(true);
});
