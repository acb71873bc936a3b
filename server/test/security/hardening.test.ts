/**
 * Issue #8, HTTP hardening: security headers (and the demo preview's own CSP), 413 over 100 kB,
 * 429 with Retry-After past the per-client limit and after failed authentications, the time
 * budget answered 503 (the long one for the sync), the server's timeouts, and a JSON error for
 * every kind of refusal. Limits and budgets are settings made small here, not timed assertions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { DEFAULT_HTTP_LIMITS } from '../../src/config';
import { startLocalSalesforce } from '../../src/emulator/salesforce';
import { SandboxErp } from '../../src/erp/sandbox/sandboxErp';
import { HEADERS_RECEIVE_MS, hardenServer, REQUEST_RECEIVE_MS } from '../../src/http/hardening';
import { PREVIEW_CSP, previewRouter } from '../../src/preview';
import type { Store } from '../../src/store/db';
import { eventually } from '../support/harness';
import { pgliteStore } from '../support/stores';
import { recordGate } from './results';
import { TOKENS, testApp } from './testApp';

const auth = { Authorization: `Bearer ${TOKENS[0]}` };
const OPP = '006000000000001AAA';
let store: Store;
const unused = () => Promise.reject(new Error('not in this test'));
const tally = { tried: 0, failed: 0, checks: [] as string[] };

beforeAll(async () => {
  store = await pgliteStore();
});
afterAll(async () => {
  await store.close();
  recordGate('hardening', { tried: tally.tried, failed: tally.failed, checks: tally.checks });
});
/** Counts each test of this file for the results file (a failed expect throws before `passed`). */
function gate(name: string, run: () => Promise<void>): void {
  test(name, async () => {
    tally.tried++;
    tally.failed++;
    await run();
    tally.failed--;
    tally.checks.push(name);
  });
}

describe('security headers', () => {
  gate('helmet headers on /v1 answers (success and refusal) and on open routes; no X-Powered-By', async () => {
    const app = testApp(store);
    for (const res of [
      await request(app).get('/v1/sync/status').set(auth),
      await request(app).get('/v1/sync/status'),
      await request(app).get('/healthz'),
    ]) {
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    expect((await request(app).get('/v1/sync/status').set(auth)).headers['cache-control']).toBe('no-store');
  });

  gate(
    "the demo's real /preview router keeps its own Content-Security-Policy, with helmet's other headers",
    async () => {
      const dist = mkdtempSync(path.join(os.tmpdir(), 'preview-dist-'));
      writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>preview</title>');
      const sf = await startLocalSalesforce();
      try {
        const preview = previewRouter({
          distDir: dist,
          sf,
          erp: new SandboxErp(store),
          backend: { url: () => '', sweepAndSync: unused, waitForIdle: unused },
          defaultCurrency: 'USD',
        });
        const app = testApp(store, { preview });
        const res = await request(app).get('/preview/');
        expect(res.status).toBe(200);
        expect(res.headers['content-security-policy']).toBe(PREVIEW_CSP);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        // The API part of the preview is the strict one again, and not cacheable.
        const api = await request(app).get('/preview/api/records').set(auth);
        expect(api.headers['content-security-policy']).toContain("default-src 'none'");
        expect(api.headers['cache-control']).toBe('no-store');
      } finally {
        await sf.close();
        rmSync(dist, { recursive: true, force: true });
      }
    },
  );
});

describe('request size', () => {
  gate('a body over 100 kB → 413 JSON, read no further', async () => {
    const res = await request(testApp(store))
      .post('/v1/events')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ type: 'opportunity.closed_won', opportunityId: OPP, pad: 'x'.repeat(100 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'BODY_TOO_LARGE', message: expect.any(String), field: 'body' } });
  });
});

describe('rate limits', () => {
  gate('past HTTP_RATE_LIMIT_PER_MINUTE an authenticated client gets 429 JSON with Retry-After', async () => {
    const app = testApp(store, { limits: { ratePerMinute: 5 } });
    for (let i = 0; i < 5; i++) expect((await request(app).get('/v1/sync/status').set(auth)).status).toBe(200);
    const res = await request(app).get('/v1/sync/status').set(auth);
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.headers['ratelimit-policy']).toBe('5;w=60');
  });

  gate(
    'past HTTP_AUTH_FAILURES_PER_MINUTE a client with a wrong token is refused 429; a valid token still passes; other clients are not affected',
    async () => {
      const app = testApp(store, { limits: { authFailuresPerMinute: 3, trustProxyHops: 1 } });
      const from = (ip: string) => ({ 'X-Forwarded-For': ip });
      for (let i = 0; i < 3; i++) {
        const res = await request(app)
          .get('/v1/sync/status')
          .set(from('10.0.0.1'))
          .set('Authorization', 'Bearer wrong-token-0000000000');
        expect(res.status).toBe(401);
      }
      const locked = await request(app)
        .get('/v1/sync/status')
        .set(from('10.0.0.1'))
        .set('Authorization', 'Bearer wrong-token-0000000001');
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('RATE_LIMITED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The org shares its egress address with other orgs: their bad callouts never lock it out.
      expect((await request(app).get('/v1/sync/status').set(from('10.0.0.1')).set(auth)).status).toBe(200);
      expect((await request(app).get('/v1/sync/status').set(from('10.0.0.2')).set(auth)).status).toBe(200);
    },
  );

  gate('valid requests in flight never count as failures (a busy org is not locked out)', async () => {
    const app = testApp(store, { limits: { authFailuresPerMinute: 3 } });
    const answers = await Promise.all(Array.from({ length: 40 }, () => request(app).get('/v1/sync/status').set(auth)));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
  });
});

describe('time budgets', () => {
  gate('a request past HTTP_REQUEST_TIMEOUT_MS → 503 TIMEOUT JSON; its late answer is dropped and logged', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString()), done()) }),
    );
    let release = () => undefined as void;
    const waiting = new Promise<string>((resolve) => (release = () => resolve('USD')));
    const app = testApp(store, { limits: { requestTimeoutMs: 150 }, log, defaultCurrency: () => waiting });
    const res = await request(app)
      .get(`/v1/opportunities/${OPP}/billing?accountId=001000000000001AAA&amount=10.00`)
      .set(auth);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'TIMEOUT' });
    expect(res.headers['retry-after']).toBe('5');
    release();
    await eventually(() => lines.join('').includes('late answer dropped'), 'the late answer to be dropped and logged');
  });

  gate('a sweep run in the request gets HTTP_SYNC_TIMEOUT_MS, not the short budget', async () => {
    const sweep = () =>
      new Promise<{ status: 'skipped'; reason: string }>((resolve) =>
        setTimeout(() => resolve({ status: 'skipped', reason: 'slow' }), 400),
      );
    const slow = testApp(store, {
      limits: { requestTimeoutMs: 100, syncTimeoutMs: 60_000 },
      status: { sweepFinancials: sweep },
    });
    expect((await request(slow).post('/v1/sync/financials').set(auth)).status).toBe(409); // the sweep's own answer
    const tight = testApp(store, {
      limits: { requestTimeoutMs: 60_000, syncTimeoutMs: 100 },
      status: { sweepFinancials: sweep },
    });
    const res = await request(tight).post('/v1/sync/financials').set(auth);
    expect([res.status, res.body.error.code]).toEqual([503, 'TIMEOUT']);
  });

  gate('the listening server: request, header and keep-alive timeouts set; unreadable requests get JSON', async () => {
    const server = http.createServer(testApp(store));
    hardenServer(server, { ...DEFAULT_HTTP_LIMITS, keepAliveTimeoutMs: 4321 });
    expect([server.requestTimeout, server.headersTimeout, server.keepAliveTimeout]).toEqual([
      REQUEST_RECEIVE_MS,
      HEADERS_RECEIVE_MS,
      4321,
    ]);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const raw = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () =>
          socket.write('GET /v1/events HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
        error: { code: 'BAD_REQUEST', message: expect.any(String) },
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('a JSON error for every kind of refusal', () => {
  gate.call(
    null,
    'malformed JSON 400, wrong type 415, GET with a body 400, bad method 405 + Allow, OPTIONS 204 + Allow, unknown route 404, bad escape 400',
    async () => {
      const app = testApp(store);
      const cases: Array<[request.Test, number, string]> = [
        [
          request(app).post('/v1/events').set(auth).set('Content-Type', 'application/json').send('{"type": '),
          400,
          'INVALID_JSON',
        ],
        [
          request(app).post('/v1/events').set(auth).set('Content-Type', 'text/plain').send('hi'),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          request(app).get('/v1/sync/status').set(auth).set('Content-Type', 'application/json').send('{}'),
          400,
          'BODY_NOT_ALLOWED',
        ],
        [request(app).delete('/v1/events').set(auth), 405, 'METHOD_NOT_ALLOWED'],
        [request(app).get('/v1/nothing-here').set(auth), 404, 'NOT_FOUND'],
        [request(app).get('/v1/accounts/%E0%A4%A/pulse').set(auth), 400, 'INVALID_PATH'],
        [request(app).post('/v1/sync/financials?now=1').set(auth), 400, 'INVALID_QUERY'],
        [request(app).post('/v1/sync/financials').set(auth).send({ force: true }), 400, 'INVALID_BODY'],
        [request(app).get('/v1/sync/dead-letters?limit=0x10').set(auth), 400, 'INVALID_QUERY'],
      ];
      for (const [pending, status, code] of cases) {
        const res = await pending;
        expect([res.status, res.headers['content-type'], res.body.error?.code]).toEqual([
          status,
          expect.stringMatching(/^application\/json/),
          code,
        ]);
      }
      expect((await request(app).delete('/v1/events').set(auth)).headers.allow).toBe('POST');
      const options = await request(app).options('/v1/accounts/001000000000001/pulse').set(auth);
      expect([options.status, options.headers.allow]).toEqual([204, 'GET, HEAD']);
    },
  );
});
