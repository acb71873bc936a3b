/**
 * The gate in front of the data API: client-credentials login (as jsforce does it), bearer
 * tokens and their expiry, the daily request limit, injected failures, Sforce-Limit-Info and the
 * API call counters that benchmarks rely on.
 */
import type { LocalSalesforce } from '../../src/emulator/salesforce';
import { API_VERSION, bareConnection, failure, http, login, start, token } from './helpers';

describe('local Salesforce: authentication and metering', () => {
  let sf: LocalSalesforce;
  let now = new Date('2026-11-21T10:00:00Z');

  beforeAll(async () => {
    sf = await start({ tokenTtlMs: 60_000, clock: () => now, dailyApiLimit: 5000 });
  });
  afterAll(async () => {
    await sf.close();
  });
  beforeEach(() => {
    now = new Date('2026-11-21T10:00:00Z');
    sf.clearFaults();
    sf.resetApiCalls();
  });

  it('logs jsforce in with the client-credentials flow and answers its identity', async () => {
    const conn = await login(sf);
    expect(conn.instanceUrl).toBe(sf.url);
    expect(conn.accessToken).toMatch(/^00D[a-zA-Z0-9]{12}!/);
    expect(conn.userInfo?.organizationId).toBe(sf.org.orgId);
    expect(conn.userInfo?.id).toBe(sf.org.userId);
    expect(sf.tokenRequests).toBe(1);
    const result = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM User');
    expect(result.records.map((u) => u.Name)).toEqual(['Closeloop Integration']);
  });

  it('accepts the client credentials in a Basic header too', async () => {
    const res = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${sf.clientId}:${sf.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'api', instance_url: sf.url });
    expect(body.id).toBe(`${sf.url}/id/${sf.org.orgId}/${sf.org.userId}`);
    expect(typeof body.signature).toBe('string');
    expect(body.issued_at).toMatch(/^\d{13}$/);
  });

  it('refuses a wrong secret with invalid_client, as Salesforce does', async () => {
    const res = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sf.clientId, client_secret: 'nope' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('surfaces invalid_client through jsforce', async () => {
    const { OAuth2, Connection } = await import('jsforce');
    const conn = new Connection({
      oauth2: new OAuth2({ loginUrl: sf.url, clientId: sf.clientId, clientSecret: 'wrong' }),
    });
    const err = await failure(conn.authorize({ grant_type: 'client_credentials' }));
    expect(err.name).toBe('invalid_client');
  });

  it('refuses other grant types with unsupported_grant_type', async () => {
    const res = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'u', password: 'p' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('answers 401 INVALID_SESSION_ID without a token, with an unknown token, and after expiry', async () => {
    const missing = await http(sf, `/services/data/v${API_VERSION}/sobjects`);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const unknown = await http(sf, `/services/data/v${API_VERSION}/sobjects`, { token: '00Dxx!forged' });
    expect(unknown.status).toBe(401);

    const access = await token(sf);
    const conn = bareConnection(sf, access);
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ totalSize: 0 });
    now = new Date(now.getTime() + 61_000); // past the 60 s TTL
    const err = await failure(conn.query('SELECT Id FROM Account'));
    expect(err.errorCode).toBe('INVALID_SESSION_ID');
    expect(sf.apiCalls.total).toBe(1); // the rejected request is not an API call
  });

  it('expireAllTokens() invalidates every issued token; a new login works again', async () => {
    const conn = bareConnection(sf, await token(sf));
    await conn.query('SELECT Id FROM Account');
    sf.expireAllTokens();
    expect((await failure(conn.query('SELECT Id FROM Account'))).errorCode).toBe('INVALID_SESSION_ID');
    const fresh = await login(sf);
    await expect(fresh.query('SELECT Id FROM Account')).resolves.toMatchObject({ done: true });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED while the daily limit is exhausted', async () => {
    const conn = await login(sf);
    sf.setRequestLimitExceeded(true);
    const raw = await http(sf, `/services/data/v${API_VERSION}/query?q=SELECT+Id+FROM+Account`, {
      token: conn.accessToken ?? '',
    });
    expect(raw.status).toBe(403);
    expect(raw.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect((await failure(conn.query('SELECT Id FROM Account'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    sf.setRequestLimitExceeded(false);
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ totalSize: 0 });
  });

  it('fails exactly the next N matching requests with failNext', async () => {
    const conn = await login(sf);
    sf.failNext(2, {
      status: 400,
      errorCode: 'QUERY_TIMEOUT',
      message: 'Your query request was running for too long.',
      match: { method: 'GET', path: /^\/query\?/ },
    });
    await expect(conn.describe('Account')).resolves.toMatchObject({ name: 'Account' }); // does not match
    for (let i = 0; i < 2; i++) {
      const err = await failure(conn.query('SELECT Id FROM Account'));
      expect(err.errorCode).toBe('QUERY_TIMEOUT');
      expect(err.message).toBe('Your query request was running for too long.');
    }
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ done: true });
  });

  it('shows jsforce retrying a 503 on GET by itself (each retry is an API call), but not on PATCH', async () => {
    const conn = await login(sf);
    const id = sf.org.insert('Account', { Name: 'Retry' });
    sf.resetApiCalls();
    sf.failNext(1, {
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Server unavailable',
      match: { method: 'GET' },
    });
    await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ totalSize: 1 });
    expect(sf.apiCalls.byCategory.query).toBe(2);
    sf.failNext(1, {
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Server unavailable',
      match: { method: 'PATCH' },
    });
    const err = await failure(conn.sobject('Account').update({ Id: id, Phone: '1' }));
    expect(err.errorCode).toBe('SERVER_UNAVAILABLE');
    expect(sf.org.get('Account', id)?.Phone).toBeNull();
  });

  it('counts API calls exactly, by category, and reports usage in Sforce-Limit-Info', async () => {
    const conn = await login(sf);
    sf.resetApiCalls();
    const acc = await conn.sobject('Account').create({ Name: 'Counted' });
    const id = (acc as { id: string }).id;
    await conn.sobject('Account').retrieve(id);
    await conn.sobject('Account').update({ Id: id, Phone: '555' });
    await conn.query('SELECT Id FROM Account');
    await conn.describe('Account');
    await conn.sobject('Account').update([{ Id: id, Phone: '556' }]);
    const calls = sf.apiCalls;
    expect(calls.total).toBe(6);
    expect(calls.byCategory).toEqual({
      query: 1,
      'sobject-read': 1,
      'sobject-write': 2,
      composite: 1,
      describe: 1,
      other: 0,
    });
    expect(calls.log.map((c) => c.method)).toEqual(['POST', 'GET', 'PATCH', 'GET', 'GET', 'PATCH']);
    expect(sf.tokenRequests).toBe(0);
    const limitInfo = conn.limitInfo as { apiUsage?: { used: number; limit: number } };
    expect(limitInfo.apiUsage?.limit).toBe(5000);
    const raw = await http(sf, `/services/data/v${API_VERSION}/limits`, { token: conn.accessToken ?? '' });
    expect(raw.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/5000$/);
    sf.resetApiCalls();
    expect(sf.apiCalls.total).toBe(0);
  });

  it('lists API versions 31.0 to 66.0 and refuses others with NOT_FOUND', async () => {
    const list = await http(sf, '/services/data/');
    expect(list.status).toBe(200);
    const versions = (list.body as { version: string; label: string }[]).map((v) => v.version);
    expect(versions[0]).toBe('31.0');
    expect(versions[versions.length - 1]).toBe('66.0');
    expect((list.body as { version: string; label: string }[]).find((v) => v.version === '66.0')?.label).toBe(
      "Spring '26",
    );
    const access = await token(sf);
    expect((await http(sf, '/services/data/v67.0/sobjects', { token: access })).status).toBe(404);
    expect((await http(sf, '/services/data/v30.0/sobjects', { token: access })).status).toBe(404);
    expect((await http(sf, '/services/data/v31.0/sobjects', { token: access })).status).toBe(200);
  });
});
