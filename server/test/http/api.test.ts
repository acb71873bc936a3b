/** The HTTP contract: authentication, validation that names the field, and nothing enqueued on a mistake. */
import request from 'supertest';
import type { Express } from 'express';
import { TransientError } from '../../src/errors';
import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import { createApp } from '../../src/http/app';
import { Metrics } from '../../src/metrics';
import { JobQueue } from '../../src/jobs/queue';
import { silentLogger } from '../../src/log';
import type { Store } from '../../src/store/db';
import { pgliteStore } from '../support/stores';

const TOKENS = ['current-token-0123456789', 'previous-token-0123456789'];
const auth = { Authorization: `Bearer ${TOKENS[0]}` };
const OPP = '0065g00000AbCdEAAV'.slice(0, 15); // a 15-character id; the API answers in 18

let store: Store;
let queue: JobQueue;
let app: Express;

beforeAll(async () => {
  store = await pgliteStore();
  queue = new JobQueue(store, { leaseSeconds: 30, maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 5000 });
  app = createApp({
    store,
    queue,
    metrics: new Metrics(),
    refreshGauges: async () => undefined,
    pulse: { store, erp: new SandboxErp(store), defaultCurrency: async () => 'USD' },
    apiTokens: TOKENS,
    log: silentLogger,
    version: '1.2.3',
    readiness: {
      store: async () => undefined,
      erp: async () =>
        Promise.reject(new TransientError('ERP_UNAVAILABLE', 'Tryton at http://10.0.0.5:8000 is unreachable')),
    },
    status: {
      sweepFinancials: async () => ({ status: 'skipped', reason: 'not in this test' }),
      syncOpportunities: async () => ({ read: 0, deleted: 0, rates: 0 }),
      erpKind: 'sandbox',
      bookingsSince: '2026-01-01',
      schedules: { bookings: '* * * * *', financials: '* * * * *', opportunities: '*/5 * * * *' },
      salesforceApiUsage: () => ({ used: 12, limit: 15000 }),
    },
  });
});
afterAll(async () => store.close());
beforeEach(async () => {
  await store.query('DELETE FROM jobs');
});

const jobCount = async () => (await store.query<{ n: number }>('SELECT count(*) AS n FROM jobs'))[0]?.n;

describe('authentication', () => {
  test.each([
    ['no header', {}],
    ['a wrong token', { Authorization: 'Bearer not-the-token-at-all' }],
    ['a token of another scheme', { Authorization: `Basic ${TOKENS[0]}` }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('%s → 401 and nothing happens', async (_what, headers) => {
    const res = await request(app)
      .post('/v1/events')
      .set(headers)
      .send({ type: 'opportunity.closed_won', opportunityId: OPP });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expect(await jobCount()).toBe(0);
  });

  test('a token in the query string is not accepted', async () => {
    const res = await request(app).get(`/v1/sync/status?access_token=${TOKENS[0]}`);
    expect(res.status).toBe(401);
  });

  test('every configured token works (rotation), and unknown /v1 routes still need one', async () => {
    for (const token of TOKENS) {
      expect(
        (
          await request(app)
            .get('/v1/sync/status')
            .set({ Authorization: `Bearer ${token}` })
        ).status,
      ).toBe(200);
    }
    expect((await request(app).get('/v1/nothing-here')).status).toBe(401);
    expect((await request(app).get('/v1/nothing-here').set(auth)).status).toBe(404);
  });
});

describe('POST /v1/events', () => {
  test('one event → 202 and one job keyed by the 18-character id', async () => {
    const res = await request(app)
      .post('/v1/events')
      .set(auth)
      .send({ type: 'opportunity.closed_won', opportunityId: OPP });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, enqueued: 1, duplicates: 0 });
    const rows = await store.query<{ key: string; trigger: string }>('SELECT key, trigger FROM jobs');
    expect(rows).toEqual([{ key: 'book:0065g00000AbCdEAAV', trigger: 'event' }]);
  });

  test('the same event five times → one job', async () => {
    for (let i = 0; i < 5; i++) {
      await request(app)
        .post('/v1/events')
        .set(auth)
        .send({ type: 'opportunity.closed_won', opportunityId: OPP })
        .expect(202);
    }
    expect(await jobCount()).toBe(1);
  });

  test('a batch of 200 in one callout', async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({
      type: 'opportunity.closed_won',
      opportunityId: `006000000000${String(i).padStart(3, '0')}`,
    }));
    events.push({ ...events[0]! }); // a duplicate inside the batch is harmless
    const res = await request(app)
      .post('/v1/events')
      .set(auth)
      .send({ events: events.slice(0, 200) });
    expect(res.status).toBe(202);
    expect(res.body.enqueued).toBe(200);
    const tooMany = await request(app).post('/v1/events').set(auth).send({ events });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.field).toBe('events');
  });

  test.each([
    ['an unknown type', { type: 'opportunity.deleted', opportunityId: OPP }, 'type'],
    ['a missing id', { type: 'opportunity.closed_won' }, 'opportunityId'],
    ['an account id', { type: 'opportunity.closed_won', opportunityId: '001D000000IqhSL' }, 'opportunityId'],
    ['SOQL in the id', { type: 'opportunity.closed_won', opportunityId: "006' OR Name != '" }, 'opportunityId'],
    ['a bad checksum', { type: 'opportunity.closed_won', opportunityId: '0065g00000AbCdEXXX' }, 'opportunityId'],
    ['a number for the id', { type: 'opportunity.closed_won', opportunityId: 6 }, 'opportunityId'],
    ['a bad user id', { type: 'opportunity.closed_won', opportunityId: OPP, userId: 'me' }, 'userId'],
    [
      'a bad event in a batch',
      { events: [{ type: 'opportunity.closed_won', opportunityId: OPP }, { type: 'x' }] },
      'events.1.type',
    ],
    ['an empty batch', { events: [] }, 'events'],
  ])('%s → 400 naming the field, nothing enqueued', async (_what, body, field) => {
    const res = await request(app).post('/v1/events').set(auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_BODY', field });
    expect(res.body.error.message).toContain(field);
    expect(await jobCount()).toBe(0);
  });

  test('malformed JSON → 400, a body over 100 kB → 413, no JSON at all → 400', async () => {
    const bad = await request(app)
      .post('/v1/events')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"type": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_JSON', field: 'body' });
    const big = await request(app)
      .post('/v1/events')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ type: 'opportunity.closed_won', opportunityId: OPP, padding: 'x'.repeat(120_000) }));
    expect(big.status).toBe(413);
    const text = await request(app).post('/v1/events').set(auth).set('Content-Type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
    expect(text.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'body' });
    const bigText = await request(app)
      .post('/v1/events')
      .set(auth)
      .set('Content-Type', 'text/plain')
      .send('x'.repeat(200_000));
    expect(bigText.status).toBe(415);
    expect(await jobCount()).toBe(0);
  });
});

describe('POST /v1/opportunities/{id}/book', () => {
  test('queues a manual booking and returns the job', async () => {
    const res = await request(app).post(`/v1/opportunities/${OPP}/book`).set(auth).send({ userId: '005000000000001' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      opportunityId: '0065g00000AbCdEAAV',
      job: { status: 'queued', trigger: 'manual', opportunityId: '0065g00000AbCdEAAV' },
    });
    const [row] = await store.query<{ payload: { actor: string } }>('SELECT payload FROM jobs');
    expect(row?.payload.actor).toBe('005000000000001AAA');
  });

  test('a choice sent as text/plain is refused, not silently dropped', async () => {
    const res = await request(app)
      .post(`/v1/opportunities/${OPP}/book`)
      .set(auth)
      .set('Content-Type', 'text/plain')
      .send('{"customerResolution":"create"}');
    expect(res.status).toBe(415);
    expect(await jobCount()).toBe(0);
  });

  test('a bad id or body → 400, nothing queued', async () => {
    expect((await request(app).post('/v1/opportunities/abc/book').set(auth)).body.error).toMatchObject({
      code: 'INVALID_PATH',
      field: 'id',
    });
    const bad = await request(app)
      .post(`/v1/opportunities/${OPP}/book`)
      .set(auth)
      .send({ customerResolution: 'merge' });
    expect(bad.body.error).toMatchObject({ code: 'INVALID_BODY', field: 'customerResolution' });
    const extra = await request(app).post(`/v1/opportunities/${OPP}/book`).set(auth).send({ force: true });
    expect(extra.status).toBe(400);
    expect(await jobCount()).toBe(0);
  });
});

describe('sync status, dead letters and replay', () => {
  test('status shows the queue and what Salesforce reported', async () => {
    await queue.enqueueMany([{ kind: 'book', key: 'book:x', payload: {}, trigger: 'poll' }]);
    const res = await request(app).get('/v1/sync/status').set(auth);
    expect(res.body).toMatchObject({
      queue: { queued: 1, deadLetters: 0 },
      salesforce: { apiUsage: { used: 12, limit: 15000 } },
      erp: { kind: 'sandbox' },
      bookings: { since: '2026-01-01', lastPoll: null },
    });
  });

  test('dead letters are listed and replayed once; unknown ids are 404; bad paging is 400', async () => {
    const q = new JobQueue(store, { ...queue.options, maxAttempts: 1 });
    await q.enqueue({
      kind: 'book',
      key: 'book:dead',
      payload: { opportunityId: '006000000000001AAA' },
      trigger: 'event',
    });
    const [j] = await q.claim('w', 1);
    await q.fail(j!, 'w', { message: 'ERP unreachable', errorClass: 'ERP_UNAVAILABLE' });

    const list = await request(app).get('/v1/sync/dead-letters?limit=10').set(auth);
    expect(list.body).toMatchObject({
      total: 1,
      items: [
        { id: j!.id, lastError: 'ERP unreachable', errorClass: 'ERP_UNAVAILABLE', opportunityId: '006000000000001AAA' },
      ],
    });
    const replay = await request(app).post(`/v1/sync/dead-letters/${j!.id}/replay`).set(auth);
    expect(replay.status).toBe(202);
    expect(replay.body.job).toMatchObject({ status: 'queued', trigger: 'replay', attempts: 0 });
    expect((await request(app).post(`/v1/sync/dead-letters/${j!.id}/replay`).set(auth)).status).toBe(404);
    expect((await request(app).post('/v1/sync/dead-letters/abc/replay').set(auth)).body.error.field).toBe('id');
    expect((await request(app).get('/v1/sync/dead-letters?limit=9999').set(auth)).body.error.field).toBe('limit');
  });
});

describe('health, readiness and the OpenAPI document (no token needed)', () => {
  test('healthz is ok; readyz names the failing part', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ store: { ok: true }, erp: { ok: false, error: 'ERP_UNAVAILABLE' } });
    expect(JSON.stringify(ready.body)).not.toContain('10.0.0.5'); // no internal address for anonymous callers
  });

  test('the OpenAPI document describes every /v1 route with bearer security', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.2.3');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/events',
        '/v1/opportunities/{id}/book',
        '/v1/opportunities/{id}/billing',
        '/v1/accounts/{id}/pulse',
        '/v1/sync/status',
        '/v1/sync/financials',
        '/v1/sync/opportunities',
        '/v1/dashboards/forecast-vs-actual',
        '/v1/sync/dead-letters',
        '/v1/sync/dead-letters/{id}/replay',
        '/metrics',
      ]),
    );
    const forecast = doc.paths['/v1/dashboards/forecast-vs-actual'].get;
    expect(forecast.parameters.map((p: { name: string }) => p.name)).toEqual([
      'from',
      'to',
      'grain',
      'groupBy',
      'ownerId',
      'leadSource',
      'convert',
    ]);
    const pulse = doc.paths['/v1/accounts/{id}/pulse'].get;
    expect(pulse.parameters.map((p: { name: string }) => p.name)).toEqual([
      'id',
      'invoicesLimit',
      'invoicesOffset',
      'paymentsLimit',
      'paymentsOffset',
      'refresh',
    ]);
    expect(pulse.responses['200'].content['application/json'].schema.properties.summary).toBeDefined();
    expect(doc.paths['/v1/events'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
  });
});
