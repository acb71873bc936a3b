/**
 * Shared set-up for the local Salesforce tests: a started emulator and a real jsforce 3.10.16
 * connection logged in over HTTP with the client-credentials flow.
 */
import { Connection, OAuth2 } from 'jsforce';
import { startLocalSalesforce, type LocalSalesforce, type LocalSalesforceOptions } from '../../src/emulator/salesforce';

export const API_VERSION = '62.0';

export async function start(options: LocalSalesforceOptions = {}): Promise<LocalSalesforce> {
  return startLocalSalesforce(options);
}

/** Logs in exactly as the backend does: OAuth2 client credentials against the login URL. */
export async function login(sf: LocalSalesforce, version = API_VERSION): Promise<Connection> {
  const oauth2 = new OAuth2({ loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret });
  const conn = new Connection({ oauth2, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/** A connection with a token but no way to refresh it, so a 401 surfaces as an error. */
export function bareConnection(sf: LocalSalesforce, accessToken: string, version = API_VERSION): Connection {
  return new Connection({ instanceUrl: sf.url, accessToken, version });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(
  promise: PromiseLike<unknown>,
): Promise<{ errorCode?: string; name?: string; message: string; data?: unknown }> {
  try {
    await promise;
  } catch (e) {
    return e as { errorCode?: string; message: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Raw HTTP against the emulator, for shapes jsforce hides. */
export async function http(
  sf: LocalSalesforce,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = headers['content-type'] ?? 'application/json';
  const res = await fetch(sf.url + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** A token from the token endpoint, without jsforce. */
export async function token(sf: LocalSalesforce): Promise<string> {
  const res = await fetch(`${sf.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sf.clientId,
      client_secret: sf.clientSecret,
    }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/** An account, an opportunity with two discounted lines and two products: the booking shape. */
export const BOOKING_FIXTURE = {
  User: [{ $key: 'rep', FirstName: 'Ada', LastName: 'Rep', Username: 'ada@example.com', Email: 'ada@example.com' }],
  Account: [{ $key: 'acme', Name: 'Acme Corp', BillingCity: 'Lyon', OwnerId: { $ref: 'rep' } }],
  Product2: [
    { $key: 'widget', Name: 'Widget', ProductCode: 'W-1', IsActive: true },
    { $key: 'gadget', Name: 'Gadget', ProductCode: 'G-2', IsActive: true },
  ],
  PricebookEntry: [
    { Pricebook2Id: { $ref: '$standardPricebook' }, Product2Id: { $ref: 'widget' }, UnitPrice: 120, IsActive: true },
  ],
  Opportunity: [
    {
      $key: 'deal',
      Name: 'Acme widgets',
      AccountId: { $ref: 'acme' },
      OwnerId: { $ref: 'rep' },
      StageName: 'Closed Won',
      CloseDate: '2026-11-20',
      LeadSource: 'Web',
    },
    {
      $key: 'open',
      Name: 'Acme renewal',
      AccountId: { $ref: 'acme' },
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
    },
  ],
  OpportunityLineItem: [
    // 3 × 19.99 × 0.875 = 52.47375 → 52.47 ; 7 × 0.10 × 0.85 = 0.595 → 0.60 (half up)
    {
      OpportunityId: { $ref: 'deal' },
      Product2Id: { $ref: 'widget' },
      Quantity: 3,
      UnitPrice: 19.99,
      Discount: 12.5,
      SortOrder: 2,
    },
    {
      OpportunityId: { $ref: 'deal' },
      Product2Id: { $ref: 'gadget' },
      Quantity: 7,
      UnitPrice: 0.1,
      Discount: 15,
      SortOrder: 1,
    },
  ],
};
