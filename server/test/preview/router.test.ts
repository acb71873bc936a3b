/**
 * The preview's router (demo only): the static page is served without a token and with its CSP;
 * every /preview/api call needs the bearer token; bad input is a 400 naming the field. The
 * scenarios' full path (booking, payment, sweep) runs in the browser tests (preview/test).
 */
import express, { type Express } from 'express';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import { DEFAULT_HTTP_LIMITS } from '../../src/config';
import { mountPreview } from '../../src/http/app';
import { errorHandler, notFound } from '../../src/http/errors';
import { silentLogger } from '../../src/log';
import { money } from '../../src/money';
import { PREVIEW_CSP, previewRouter, type PreviewBackend } from '../../src/preview';
import type { Store } from '../../src/store/db';
import { pgliteStore } from '../support/stores';

const TOKEN = 'preview-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

let sf: LocalSalesforce;
let store: Store;
let dist: string;
let app: Express;
let accountId: string;
let opportunityId: string;

/** The router only reaches the backend in scenarios these tests stop before. */
const unusedBackend: PreviewBackend = {
  url: () => 'http://127.0.0.1:1',
  sweepAndSync: () => Promise.reject(new Error('not in this test')),
  waitForIdle: async () => true,
};

beforeAll(async () => {
  sf = await startLocalSalesforce();
  store = await pgliteStore();
  accountId = sf.org.insert('Account', { Name: 'Coho Winery' });
  opportunityId = sf.org.insert('Opportunity', {
    Name: 'Coho — cellar sensors',
    AccountId: accountId,
    StageName: 'Prospecting',
    CloseDate: '2026-12-01',
    Amount: 5394.1,
  });
  dist = mkdtempSync(path.join(os.tmpdir(), 'preview-dist-'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Closeloop preview</title>');
  app = express();
  mountPreview(
    app,
    previewRouter({
      distDir: dist,
      sf,
      erp: new SandboxErp(store),
      backend: unusedBackend,
      defaultCurrency: 'USD',
    }),
    [TOKEN],
    { ...DEFAULT_HTTP_LIMITS, authFailuresPerMinute: 1000 },
  );
  app.use(notFound);
  app.use(errorHandler(silentLogger));
});

afterAll(async () => {
  await sf.close();
  await store.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('the page', () => {
  it('is served without a token, with a CSP that allows only this origin', async () => {
    const res = await request(app).get('/preview/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Closeloop preview');
    expect(res.headers['content-security-policy']).toBe(PREVIEW_CSP);
    expect(PREVIEW_CSP).toContain("script-src 'self'");
    expect(PREVIEW_CSP).not.toMatch(/https?:|\*/);
  });

  it('/preview redirects to /preview/ so the relative asset URLs resolve', async () => {
    const res = await request(app).get('/preview');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/preview/');
  });
});

describe('/preview/api', () => {
  it.each([
    ['get', '/preview/api/records'],
    ['get', '/preview/api/records/001000000000001AAA'],
    ['post', '/preview/api/scenarios/close-won'],
    ['post', '/preview/api/scenarios/payment'],
    ['post', '/preview/api/scenarios/overdue'],
    ['post', '/preview/api/sync'],
  ] as const)('%s %s needs the bearer token', async (method, url) => {
    const res = await request(app)[method](url).set('Authorization', 'Bearer wrong-token');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('answers like /v1 does: no caching, the failed-auth throttle, the body limit', async () => {
    const throttled = express();
    mountPreview(throttled, (_req, res) => void res.json({}), [TOKEN], {
      ...DEFAULT_HTTP_LIMITS,
      authFailuresPerMinute: 2,
    });
    for (let i = 0; i < 2; i++)
      expect(
        (await request(throttled).get('/preview/api/records').set('Authorization', 'Bearer wrong-token')).status,
      ).toBe(401);
    const locked = await request(throttled).get('/preview/api/records').set('Authorization', 'Bearer wrong-token');
    expect(locked.status).toBe(429);
    const ok = await request(app).get('/preview/api/records').set(auth);
    expect(ok.headers['cache-control']).toBe('no-store');
    const huge = await request(app)
      .post('/preview/api/scenarios/payment')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ opportunityId, pad: 'x'.repeat(200_000) }));
    expect(huge.status).toBe(413);
  });

  it('lists the local Salesforce records, amounts as decimal strings', async () => {
    const res = await request(app).get('/preview/api/records').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.accounts).toContainEqual({
      id: accountId,
      name: 'Coho Winery',
      currency: 'USD',
      erpCustomerId: null,
    });
    expect(res.body.opportunities).toContainEqual(
      expect.objectContaining({
        id: opportunityId,
        accountName: 'Coho Winery',
        amount: '5394.10',
        stage: 'Prospecting',
      }),
    );
  });

  it('answers one record in the shape uiRecordApi hands out', async () => {
    const res = await request(app).get(`/preview/api/records/${opportunityId}`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      apiName: 'Opportunity',
      id: opportunityId,
      fields: { StageName: { value: 'Prospecting' }, Amount: { value: '5394.10' }, IsClosed: { value: false } },
    });
  });

  it.each([
    ['/preview/api/records/not-an-id', 'get', undefined, 'id'],
    ['/preview/api/scenarios/close-won', 'post', {}, 'opportunityId'],
    ['/preview/api/scenarios/close-won', 'post', { opportunityId: accountIdPlaceholder() }, 'opportunityId'],
    ['/preview/api/scenarios/payment', 'post', { opportunityId: 'x', amount: '10' }, 'opportunityId'],
    ['/preview/api/scenarios/payment', 'post', { opportunityId: oppPlaceholder(), amount: '12.3.4' }, 'amount'],
    ['/preview/api/scenarios/payment', 'post', { opportunityId: oppPlaceholder(), amount: '0' }, 'amount'],
    ['/preview/api/scenarios/overdue', 'post', { opportunityId: oppPlaceholder(), daysAgo: -3 }, 'daysAgo'],
    ['/preview/api/scenarios/overdue', 'post', { opportunityId: oppPlaceholder(), extra: 1 }, 'body'],
  ])('%s %s %j is a 400 naming %s', async (url, method, body, field) => {
    const req = method === 'get' ? request(app).get(url) : request(app).post(url).send(resolve(body));
    const res = await req.set(auth);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  it('a payment on a deal that has no invoice yet is refused with the reason', async () => {
    const res = await request(app).post('/preview/api/scenarios/payment').set(auth).send({ opportunityId });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'NO_INVOICE', field: 'opportunityId' });
  });

  describe('on a booked deal', () => {
    let bookedId: string;
    let draftInvoiceId: string;
    let erp: SandboxErp;

    beforeAll(async () => {
      erp = new SandboxErp(store);
      await erp.upsertProduct({ code: 'PV-1', name: 'Preview seat', listPrice: money('100.00', 'USD') });
      const customer = await erp.createCustomer({ name: 'Fourth Coffee', externalRef: '' });
      bookedId = sf.org.insert('Opportunity', {
        Name: 'Fourth Coffee — seats',
        AccountId: accountId,
        StageName: 'Prospecting',
        CloseDate: '2026-12-01',
        Amount: 100,
      });
      const sale = await erp.createSale({
        reference: bookedId,
        customerId: customer.id,
        currency: 'USD',
        saleDate: '2026-11-01',
        description: 'Fourth Coffee — seats',
        lines: [{ productCode: 'PV-1', description: 'Preview seat', quantity: '1', unitPrice: money('100.00', 'USD') }],
      });
      await erp.confirmSale(sale.id);
      draftInvoiceId = (await erp.getSale(sale.id)).invoiceIds[0] as string;
      sf.org.update('Opportunity', bookedId, { ERP_Order_Id__c: sale.id });
    });

    it('a payment with more decimals than the currency has is a 400 on amount, and nothing is paid', async () => {
      const before = await erp.getInvoice(draftInvoiceId);
      const res = await request(app)
        .post('/preview/api/scenarios/payment')
        .set(auth)
        .send({ opportunityId: bookedId, amount: '10.125' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ field: 'amount' });
      expect(res.body.error.message).toContain('USD has 2 decimals');
      expect((await erp.getInvoice(draftInvoiceId)).amountToPay).toEqual(before.amountToPay);
    });

    it('an invoice the ERP has not posted cannot fall overdue: 409 with the reason, due date unchanged', async () => {
      const before = await erp.getInvoice(draftInvoiceId);
      const res = await request(app).post('/preview/api/scenarios/overdue').set(auth).send({ opportunityId: bookedId });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'DUE_DATE_REFUSED', field: 'opportunityId' });
      expect((await erp.getInvoice(draftInvoiceId)).dueDate).toBe(before.dueDate);
    });

    it('Closed Won that the backend refuses is a 502, and the opportunity is as it was', async () => {
      // unusedBackend's URL refuses connections; a backend answering 503 stands in for a refusal.
      const refusing = express();
      refusing.post('/v1/events', (_req, res) => void res.status(503).json({}));
      const server = refusing.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      const withBackend = express();
      mountPreview(
        withBackend,
        previewRouter({
          distDir: dist,
          sf,
          erp,
          backend: { ...unusedBackend, url: () => `http://127.0.0.1:${port}` },
          defaultCurrency: 'USD',
        }),
        [TOKEN],
        DEFAULT_HTTP_LIMITS,
      );
      withBackend.use(errorHandler(silentLogger));
      const before = { ...sf.org.get('Opportunity', bookedId) };
      try {
        const res = await request(withBackend)
          .post('/preview/api/scenarios/close-won')
          .set(auth)
          .send({ opportunityId: bookedId });
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe('EVENT_REFUSED');
        const opp = sf.org.get('Opportunity', bookedId);
        expect(opp?.StageName).toBe('Prospecting');
        expect(opp?.Booking_Status__c).toBe(before.Booking_Status__c);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });
  });

  it('an unknown record is a 404', async () => {
    const res = await request(app).get('/preview/api/records/006000000000001AAA').set(auth);
    expect(res.status).toBe(404);
  });
});

/** Ids created in beforeAll are not known when it.each's table is built: placeholders stand in. */
function accountIdPlaceholder() {
  return '$account';
}
function oppPlaceholder() {
  return '$opportunity';
}
function resolve(body: Record<string, unknown> | undefined) {
  if (!body) return body;
  const ids: Record<string, string> = { $account: accountId, $opportunity: opportunityId };
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && ids[v] ? ids[v] : v]));
}
