/**
 * Issue #8, the authentication gate: every /v1 operation (from the OpenAPI document, checked to
 * cover every mounted route) refuses a request with no token, a wrong one, a rotated-out one, a
 * token in the query string or in the wrong place: 401, JSON, WWW-Authenticate, and nothing
 * happens (jobs, store, ERP, Salesforce records and API calls unchanged). The comparison goes
 * through timingSafeEqual on equal-length digests, for every configured token, every time.
 */
import crypto from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { money } from '../../src/money';
import { bearerAuth } from '../../src/http/auth';
import type { Store } from '../../src/store/db';
import { sandboxFixture } from '../support/erpFixtures';
import { seedDeal, startHarness, type Harness } from '../support/harness';
import { pgliteStore } from '../support/stores';
import { recordGate } from './results';
import { errorOf, send, type RawRequest } from './rawHttp';
import { documentedOperations, key, mountedOperations, type Operation } from './routes';
import { snapshot, type StateSnapshot } from './state';
import { testApp } from './testApp';

jest.setTimeout(120_000);

const OLD_TOKEN = 'closeloop-rotated-out-token-2025-aaaa';
const NEW_TOKEN = 'closeloop-current-token-2026-bbbbbbbb';

let store: Store;
let h: Harness;
let before: StateSnapshot;
let ids: { opportunityId: string; accountId: string };
const tally = { tried: 0, failed: 0, byCase: {} as Record<string, number> };

beforeAll(async () => {
  store = await pgliteStore();
  const erp = sandboxFixture(store);
  // Rotation done: the backend was restarted with the new token only.
  h = await startHarness({
    store,
    erp,
    env: { CLOSELOOP_API_TOKENS: NEW_TOKEN, HTTP_AUTH_FAILURES_PER_MINUTE: '100000' },
  });
  await erp.ensureProduct('AUTH-1', 'Auth product', money('10.00', 'USD'));
  ids = seedDeal(h.sf, { lines: [{ code: 'AUTH-1', quantity: 1, unitPrice: 10 }] });
  // The control: with the current token the API answers (so the 401s below are about the token).
  const ok = await send(h.closeloop.url, {
    method: 'GET',
    path: '/v1/sync/status',
    headers: { Authorization: `Bearer ${NEW_TOKEN}` },
  });
  expect(ok.status).toBe(200);
  before = await snapshot(store, h.sf);
});

afterAll(async () => {
  await h?.close();
  await store?.close();
  recordGate('auth', { tried: tally.tried, failed: tally.failed, byCase: tally.byCase, constantTimeChecked: true });
});

/** A request that would do its work if the token were accepted (real ids, a valid body). */
function wouldWork(op: Operation): RawRequest {
  const path = op.path
    .replace('/opportunities/{id}', `/opportunities/${ids.opportunityId}`)
    .replace('/accounts/{id}', `/accounts/${ids.accountId}`)
    .replace('/dead-letters/{id}', '/dead-letters/1');
  const bodies: Record<string, unknown> = {
    '/v1/events': { type: 'opportunity.closed_won', opportunityId: ids.opportunityId },
    '/v1/backfill/links': { links: [{ accountId: ids.accountId, erpCustomerId: '1' }] },
  };
  const query = op.path === '/v1/dashboards/forecast-vs-actual' ? '?from=2026-01&to=2026-03' : '';
  const body = bodies[op.path];
  return {
    method: op.method,
    path: path + query,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

const withQuery = (path: string, q: string) => `${path}${path.includes('?') ? '&' : '?'}${q}`;

const CASES: Array<[string, (r: RawRequest) => RawRequest]> = [
  ['no token', (r) => r],
  [
    'a wrong token',
    (r) => ({ ...r, headers: { ...r.headers, Authorization: `Bearer ${NEW_TOKEN.replace(/b/g, 'c')}` } }),
  ],
  ['the rotated-out token', (r) => ({ ...r, headers: { ...r.headers, Authorization: `Bearer ${OLD_TOKEN}` } })],
  ['?access_token=', (r) => ({ ...r, path: withQuery(r.path, `access_token=${NEW_TOKEN}`) })],
  ['?token=', (r) => ({ ...r, path: withQuery(r.path, `token=${NEW_TOKEN}`) })],
  ['Basic scheme', (r) => ({ ...r, headers: { ...r.headers, Authorization: `Basic ${NEW_TOKEN}` } })],
  ['token without scheme', (r) => ({ ...r, headers: { ...r.headers, Authorization: NEW_TOKEN } })],
  [
    'a prefix of the token',
    (r) => ({ ...r, headers: { ...r.headers, Authorization: `Bearer ${NEW_TOKEN.slice(0, -1)}` } }),
  ],
  ['X-Api-Key header', (r) => ({ ...r, headers: { ...r.headers, 'X-Api-Key': NEW_TOKEN } })],
  ['a cookie', (r) => ({ ...r, headers: { ...r.headers, Cookie: `token=${NEW_TOKEN}; access_token=${NEW_TOKEN}` } })],
];

test('the OpenAPI document lists every route mounted under /v1 (and nothing else)', async () => {
  const app = testApp(store);
  expect(mountedOperations(app).map(key).sort()).toEqual(documentedOperations().map(key).sort());
  expect(documentedOperations().length).toBeGreaterThanOrEqual(12);
});

describe.each(documentedOperations().map((op) => [key(op), op] as const))('%s', (_name, op) => {
  test.each(CASES)('%s → 401 JSON with WWW-Authenticate', async (what, change) => {
    const answer = await send(h.closeloop.url, change(wouldWork(op)));
    const ok =
      answer.status === 401 &&
      errorOf(answer)?.code === 'UNAUTHORIZED' &&
      /^Bearer /.test(String(answer.headers['www-authenticate']));
    tally.tried++;
    tally.byCase[what] = (tally.byCase[what] ?? 0) + 1;
    if (!ok) tally.failed++;
    expect({ status: answer.status, error: errorOf(answer)?.code, auth: answer.headers['www-authenticate'] }).toEqual({
      status: 401,
      error: 'UNAUTHORIZED',
      auth: 'Bearer realm="closeloop"',
    });
  });
});

test('nothing happened: store, jobs, ERP, Salesforce records and API calls unchanged', async () => {
  const after = await snapshot(store, h.sf);
  expect(after).toEqual(before);
});

describe('tokens are compared in constant time', () => {
  const configured = ['first-configured-token-000', 'second-configured-token-11', 'third-configured-token-222'];
  const app = express()
    .use(bearerAuth(configured))
    .get('/', (_req, res) => void res.json({ ok: true }));

  test.each([
    ['a wrong token', 'not-a-configured-token-xyz', 401],
    ['a one-character token', 'x', 401],
    ['a 2,000-character token', 'y'.repeat(2000), 401],
    ['the first configured token', configured[0], 200],
    ['the last configured token', configured[2], 200],
  ])('%s: timingSafeEqual on two 32-byte digests, once per configured token', async (_what, token, status) => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      const res = await request(app).get('/').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(status);
      expect(spy).toHaveBeenCalledTimes(configured.length); // no early exit on a match
      for (const [a, b] of spy.mock.calls) {
        expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
      }
    } finally {
      spy.mockRestore();
    }
  });
});
