import { ConfigError, describeConfig, loadConfig } from '../../src/config';
import { isoDay, setBusinessTimeZone } from '../../src/financials/invoiceStatus';

const minimal = {
  SF_CLIENT_ID: 'client',
  SF_CLIENT_SECRET: 'secret-value',
  CLOSELOOP_API_TOKENS: 'a-token-of-sixteen-chars',
};

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  test('defaults from PRODUCT.md', () => {
    const c = loadConfig(minimal);
    expect(c.http).toEqual({ host: '127.0.0.1', port: 3000, apiTokens: ['a-token-of-sixteen-chars'] });
    expect(c.jobs.leaseSeconds).toBe(30);
    expect(c.store.databaseUrl).toBeUndefined();
    expect(c.store.dataDir).toMatch(/\.closeloop$/);
    expect(c.salesforce.loginUrl).toBe('https://login.salesforce.com');
    expect(c.salesforce.auth).toEqual({ flow: 'client_credentials', clientId: 'client', clientSecret: 'secret-value' });
    expect(c.erp).toEqual({ kind: 'sandbox' });
    expect(c.schedules).toEqual({ bookings: '* * * * *', financials: '* * * * *', opportunities: '*/5 * * * *' });
    expect(c.businessTimeZone).toBe('UTC');
  });

  test('the business time zone decides which day it is for due dates', () => {
    expect(loadConfig({ ...minimal, BUSINESS_TIMEZONE: 'Pacific/Auckland' }).businessTimeZone).toBe('Pacific/Auckland');
    const lateEveningInUtc = new Date('2026-11-21T22:30:00Z');
    try {
      expect(isoDay(lateEveningInUtc)).toBe('2026-11-21');
      setBusinessTimeZone('Pacific/Auckland'); // UTC+13 in November: already the next morning
      expect(isoDay(lateEveningInUtc)).toBe('2026-11-22');
      setBusinessTimeZone('America/Los_Angeles');
      expect(isoDay(new Date('2026-11-22T05:00:00Z'))).toBe('2026-11-21');
    } finally {
      setBusinessTimeZone('UTC');
    }
  });

  test('several API tokens, comma-separated, for rotation', () => {
    const c = loadConfig({ ...minimal, CLOSELOOP_API_TOKENS: ' first-token-0123456 , second-token-0123456 ' });
    expect(c.http.apiTokens).toEqual(['first-token-0123456', 'second-token-0123456']);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ HOST: 'example.com' }, 'HOST'],
    [{ JOB_LEASE_SECONDS: '0' }, 'JOB_LEASE_SECONDS'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ SF_LOGIN_URL: 'login.salesforce.com' }, 'SF_LOGIN_URL'],
    [{ SF_API_VERSION: 'v62' }, 'SF_API_VERSION'],
    [{ ERP_KIND: 'sap' }, 'ERP_KIND'],
    [{ SYNC_BOOKINGS_CRON: 'every minute' }, 'SYNC_BOOKINGS_CRON'],
    [{ SYNC_FINANCIALS_CRON: '61 * * * *' }, 'SYNC_FINANCIALS_CRON'],
    [{ SYNC_OPPORTUNITIES_CRON: 'hourly' }, 'SYNC_OPPORTUNITIES_CRON'],
    [{ CLOSELOOP_API_TOKENS: 'short' }, 'CLOSELOOP_API_TOKENS'],
    [{ BOOKINGS_SINCE: '2026-13-40' }, 'BOOKINGS_SINCE'],
    [{ BUSINESS_TIMEZONE: 'Mars/Olympus' }, 'BUSINESS_TIMEZONE'],
  ])('a bad value stops start-up naming the variable: %o', (bad, name) => {
    expect(errorOf({ ...minimal, ...bad })).toContain(`${name}:`);
  });

  test('missing required variables are each named', () => {
    const message = errorOf({});
    expect(message).toContain('SF_CLIENT_ID: is required');
    expect(message).toContain('SF_CLIENT_SECRET: is required');
    expect(message).toContain('CLOSELOOP_API_TOKENS: is required');
  });

  test('Tryton needs its four variables', () => {
    const message = errorOf({ ...minimal, ERP_KIND: 'tryton', TRYTON_URL: 'http://127.0.0.1:8000' });
    expect(message).toContain('TRYTON_DATABASE: is required when ERP_KIND=tryton');
    expect(message).toContain('TRYTON_USER');
    expect(message).toContain('TRYTON_PASSWORD');
    expect(message).not.toContain('TRYTON_URL');
  });

  test('JWT bearer is the alternative to client credentials', () => {
    const c = loadConfig({
      CLOSELOOP_API_TOKENS: minimal.CLOSELOOP_API_TOKENS,
      SF_CLIENT_ID: 'client',
      SF_USERNAME: 'integration@example.com',
      SF_PRIVATE_KEY_FILE: '/secrets/key.pem',
    });
    expect(c.salesforce.auth).toEqual({
      flow: 'jwt',
      clientId: 'client',
      username: 'integration@example.com',
      privateKeyFile: '/secrets/key.pem',
    });
    expect(errorOf({ ...minimal, SF_USERNAME: 'x@example.com' })).toContain('SF_PRIVATE_KEY_FILE: is required');
  });

  test('the loggable description carries no secret', () => {
    const c = loadConfig({
      ...minimal,
      ERP_KIND: 'tryton',
      TRYTON_URL: 'http://127.0.0.1:8000',
      TRYTON_DATABASE: 'db',
      TRYTON_USER: 'admin',
      TRYTON_PASSWORD: 'tryton-pass-xyz',
    });
    const text = JSON.stringify(describeConfig(c));
    for (const secret of ['secret-value', 'a-token-of-sixteen-chars', 'tryton-pass-xyz'])
      expect(text).not.toContain(secret);
    expect(text).toContain('1 configured');
  });
});

test('URLs with a user name or password are refused (they would reach the logs)', () => {
  expect(errorOf({ ...minimal, SF_LOGIN_URL: 'https://admin:secret@login.salesforce.com' })).toContain(
    'SF_LOGIN_URL: must not carry',
  );
  expect(
    errorOf({
      ...minimal,
      ERP_KIND: 'tryton',
      TRYTON_URL: 'http://admin:pw@erp:8000',
      TRYTON_DATABASE: 'd',
      TRYTON_USER: 'u',
      TRYTON_PASSWORD: 'p',
    }),
  ).toContain('TRYTON_URL: must not carry');
});
