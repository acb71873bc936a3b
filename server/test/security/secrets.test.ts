/**
 * Issue #8, secrets never leave: the real backend process (server/dist/main.js, LOG_LEVEL=trace)
 * against real Tryton and the local Salesforce, configured with known distinctive secrets, books a
 * deal, sweeps, and goes through error paths (a wrong token, a token in the query string, the ERP
 * down, a Salesforce login refused). Every log line (stdout and stderr) and every HTTP answer is
 * searched for each secret, raw and base64/base64url/URL-encoded: zero hits. The logger's redaction
 * list is checked to cover authorization headers.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { REDACT_PATHS } from '../../src/log';
import { money } from '../../src/money';
import { startBackend, type BackendProcess } from '../support/backendProcess';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { eventually, seedDeal } from '../support/harness';
import { postgresDatabase, type TestDatabase } from '../support/stores';
import { startTryton, TrytonAdmin, type RunningTryton } from '../support/tryton';
import { recordGate } from './results';

jest.setTimeout(240_000);

const API_TOKEN = 'api-token-S3CRET-7f4e2a9c1b';
const ROTATED_TOKEN = 'api-token-R0TATED-5d8b3e6f0a';
const SF_SECRET = 'sf-client-secret-Q9x7Lm2Pz4';
const WRONG_SF_SECRET = 'sf-wrong-secret-K3v8Tn6Wy1';
const DB_PASSWORD = 'pg-password-H5j2Rq9Xc7';

let tryton: RunningTryton;
let erpProxy: FaultProxy;
let sf: LocalSalesforce;
let db: TestDatabase;
const backends: BackendProcess[] = [];
/** Everything the backends wrote and answered. */
const output: string[] = [];
let secrets: Record<string, string>;
let hits: Array<{ secret: string; form: string; where: string }> = [];
let searched = false;

beforeAll(async () => {
  [tryton, sf, db] = await Promise.all([
    startTryton(),
    startLocalSalesforce({ clientSecret: SF_SECRET }),
    postgresDatabase(),
  ]);
  erpProxy = await startFaultProxy(tryton.url);
  secrets = {
    API_TOKEN,
    ROTATED_TOKEN,
    SF_CLIENT_SECRET: SF_SECRET,
    WRONG_SF_CLIENT_SECRET: WRONG_SF_SECRET,
    TRYTON_PASSWORD: tryton.password,
    DATABASE_URL_PASSWORD: DB_PASSWORD,
  };
  const admin = new TrytonAdmin(tryton);
  await admin.ensureProduct('SECRET-1', 'Secrets-test product', money('120.00', 'USD'));
  await admin.close();
});

afterAll(async () => {
  await Promise.all(backends.map((b) => b.kill()));
  await erpProxy?.close();
  await Promise.all([tryton?.stop(), sf?.close(), db?.drop()]);
  const forms = Object.keys(secrets ?? {}).length * 4;
  recordGate('secrets', {
    tried: forms,
    failed: searched ? hits.length : forms,
    secrets: Object.keys(secrets ?? {}),
    forms: ['raw', 'base64', 'base64url', 'urlEncoded'],
    linesSearched: searched ? output.join('\n').split('\n').filter(Boolean).length : 0,
    hits,
  });
});

/** The backend as a process; a password in DATABASE_URL (trust authentication ignores it). */
async function start(sfSecret: string): Promise<BackendProcess> {
  const url = new URL(db.url);
  url.password = DB_PASSWORD;
  const backend = await startBackend({
    LOG_LEVEL: 'trace',
    DATABASE_URL: url.toString(),
    ERP_KIND: 'tryton',
    TRYTON_URL: erpProxy.url,
    TRYTON_DATABASE: tryton.database,
    TRYTON_USER: tryton.user,
    TRYTON_PASSWORD: tryton.password,
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sfSecret,
    CLOSELOOP_API_TOKENS: `${API_TOKEN},${ROTATED_TOKEN}`,
    BOOKINGS_SINCE: '2020-01-01',
    JOB_BACKOFF_BASE_MS: '100',
    JOB_BACKOFF_MAX_MS: '300',
    JOB_MAX_ATTEMPTS: '2',
  });
  backends.push(backend);
  output.push(...backend.logs.map((l) => JSON.stringify(l)));
  backend.child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  backend.child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return backend;
}

async function call(backend: BackendProcess, method: string, path: string, body?: unknown, token = API_TOKEN) {
  const res = await fetch(`${backend.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  output.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
  return { status: res.status, text };
}

/** Until no job is queued or running (a failing booking has used its attempts). */
async function queueIdle(backend: BackendProcess): Promise<void> {
  await eventually(async () => {
    const { text } = await call(backend, 'GET', '/v1/sync/status');
    const queue = (JSON.parse(text) as { queue: { queued: number; running: number } }).queue;
    return queue.queued === 0 && queue.running === 0;
  }, 'the queue to be idle');
}

test('a booking and a sweep, then the error paths, with secrets configured', async () => {
  const backend = await start(SF_SECRET);
  const { opportunityId, accountId } = seedDeal(sf, { lines: [{ code: 'SECRET-1', quantity: 1, unitPrice: 120 }] });
  expect((await call(backend, 'POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId })).status).toBe(
    202,
  );
  await eventually(() => sf.org.get('Opportunity', opportunityId)?.Booking_Status__c === 'Booked', 'the booking');
  expect((await call(backend, 'POST', '/v1/sync/financials')).status).toBe(200);
  expect((await call(backend, 'GET', `/v1/accounts/${accountId}/pulse?refresh=true`)).status).toBe(200);
  expect((await call(backend, 'GET', '/v1/sync/status', undefined, ROTATED_TOKEN)).status).toBe(200);

  // A wrong token, and the real one where it does not belong.
  expect((await call(backend, 'GET', '/v1/sync/status', undefined, 'not-the-token-0000000')).status).toBe(401);
  expect((await call(backend, 'GET', `/v1/sync/status?access_token=${API_TOKEN}`, undefined, '')).status).toBe(401);
  expect((await call(backend, 'POST', '/v1/events', 'x'.repeat(10))).status).toBe(400);

  // The ERP down: a booking fails its attempts, the sweep and readiness fail.
  erpProxy.setDown(true);
  const failing = seedDeal(sf, { lines: [{ code: 'SECRET-1', quantity: 2, unitPrice: 120 }] });
  await call(backend, 'POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId: failing.opportunityId });
  expect((await call(backend, 'POST', '/v1/sync/financials')).status).toBeGreaterThanOrEqual(500);
  expect((await call(backend, 'GET', '/readyz', undefined, '')).status).toBe(503);
  await queueIdle(backend); // the booking's attempts failed
  expect((await call(backend, 'GET', '/v1/sync/dead-letters')).text).toContain('"total":1');
  erpProxy.setDown(false);
  await backend.kill('SIGTERM');

  // Salesforce refuses the login (a wrong client secret, itself a secret).
  const refused = await start(WRONG_SF_SECRET);
  await call(refused, 'POST', '/v1/sync/opportunities');
  await call(refused, 'GET', '/readyz', undefined, '');
  const other = seedDeal(sf, { lines: [{ code: 'SECRET-1', quantity: 3, unitPrice: 120 }] });
  await call(refused, 'POST', '/v1/events', { type: 'opportunity.closed_won', opportunityId: other.opportunityId });
  await queueIdle(refused);
  expect((await call(refused, 'GET', '/v1/sync/dead-letters')).text).toContain('"total":2');
  await refused.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200)); // the last lines the processes wrote before exiting

  expect(output.length).toBeGreaterThan(50); // trace level: the backends said a lot
  hits = [];
  for (const [name, secret] of Object.entries(secrets)) {
    const forms = {
      raw: secret,
      base64: Buffer.from(secret).toString('base64'),
      base64url: Buffer.from(secret).toString('base64url'),
      urlEncoded: encodeURIComponent(secret),
    };
    for (const [form, value] of Object.entries(forms)) {
      for (const chunk of output)
        if (chunk.includes(value)) hits.push({ secret: name, form, where: chunk.slice(0, 300) });
    }
  }
  searched = true;
  expect(hits).toEqual([]);
});

test('the log redaction covers authorization headers, however they are spelt, and credentials', () => {
  const lines: string[] = [];
  const log = pino(
    { redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString()), done()) }),
  );
  const secret = 'Bearer should-never-be-logged-123';
  log.info({ req: { headers: { authorization: secret, cookie: secret } } });
  log.info({ headers: { authorization: secret, Authorization: secret } });
  log.info({ request: { headers: { Authorization: secret, Cookie: secret } } });
  log.info({ authorization: secret, Authorization: secret });
  log.info({ config: { password: secret, clientSecret: secret, token: secret, accessToken: secret } });
  expect(lines).toHaveLength(5);
  expect(lines.join('')).not.toContain(secret);
});
