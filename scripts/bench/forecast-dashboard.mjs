#!/usr/bin/env node
/**
 * Benchmark: GET /v1/dashboards/forecast-vs-actual on PostgreSQL with 100k opportunities (three
 * years, 50 owners, 6 lead sources, USD and EUR) and 1M invoices linked to the won deals (plus
 * 500k payments), the backend running as its own process. Requests go one at a time (a manager
 * opening the page), cycling through the questions managers ask: a year by month, quarters by
 * owner, by lead source, one rep, converted, all three years.
 *
 *   npm run bench:forecast [-- --opportunities 100000 --invoices 1000000 --requests 300]
 *
 * Results: results/forecast-dashboard.json. Target (issue 5): p95 ≤ 200 ms.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  backend,
  benchDatabase,
  latencySummary,
  postgresOption,
  run,
  seedingClient,
  sleep,
  startBackend,
  writeResult,
} from './lib.mjs';

const { openStore } = backend('store/open.js');
const { refreshOpportunityRollups } = backend('forecast/rollups.js');

const { values } = parseArgs({
  options: {
    opportunities: { type: 'string', default: '100000' },
    invoices: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '300' },
    /** Keep the seeded database (its URL is printed) to study plans with EXPLAIN. */
    'keep-database': { type: 'boolean', default: false },
    ...postgresOption,
  },
});
const OPPORTUNITIES = Number(values.opportunities);
const INVOICES = Number(values.invoices);
const TOKEN = `bench-${randomUUID()}`;
const ownerId = (n) => `005${String(n).padStart(12, '0')}AAA`;

async function seed(url) {
  const client = await seedingClient(url);
  const t0 = Date.now();
  // Deals n = 1..N close over 2024-01-01 + (n % 1096) days; n % 10 < 6 won, < 8 lost, else open.
  // Invoice i belongs to won deal number ((i - 1) % won) — so every won deal has ~16 invoices.
  await client.query(`
    INSERT INTO sf_opportunities (id, account_id, owner_id, owner_name, lead_source, amount, currency, probability,
                                  stage, close_date, is_won, is_closed, modified_at)
    SELECT '006' || lpad(n::text, 12, '0') || 'AAA', '001' || lpad((n % 20000)::text, 12, '0') || 'AAA',
           '005' || lpad((n % 50)::text, 12, '0') || 'AAA', 'Rep ' || (n % 50),
           (ARRAY['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', NULL])[1 + n % 6],
           1000 + (n % 9000) + 0.25 * (n % 4), CASE WHEN n % 5 = 0 THEN 'EUR' ELSE 'USD' END,
           CASE WHEN n % 10 < 6 THEN 100 WHEN n % 10 < 8 THEN 0 ELSE 10 * (n % 10) END,
           CASE WHEN n % 10 < 6 THEN 'Closed Won' WHEN n % 10 < 8 THEN 'Closed Lost' ELSE 'Negotiation/Review' END,
           date '2024-01-01' + (n % 1096), n % 10 < 6, n % 10 < 8, now()
      FROM generate_series(1, ${OPPORTUNITIES}) n;
    CREATE TEMP TABLE won AS
      SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, currency, close_date FROM sf_opportunities WHERE is_won;
    INSERT INTO erp_invoices (erp_id, number, erp_customer_id, erp_sale_id, opportunity_id, state, currency, total, untaxed,
                              open_amount, issue_date, due_date)
    SELECT i::text, 'INV-' || lpad(i::text, 8, '0'), (i % 20000)::text, i::text, w.id,
           CASE WHEN i % 2 = 0 THEN 'paid' ELSE 'posted' END, w.currency, 100 + (i % 900), 100 + (i % 900),
           CASE WHEN i % 2 = 0 THEN 0 WHEN i % 3 = 0 THEN 50 ELSE 100 + (i % 900) END,
           w.close_date + (i % 20), w.close_date + (i % 20) + 30
      FROM generate_series(1, ${INVOICES}) i
      JOIN won w ON w.k = (i - 1) % (SELECT count(*) FROM won);
    INSERT INTO erp_payments (erp_id, erp_invoice_id, erp_customer_id, currency, amount, paid_on)
    SELECT 'P' || erp_id, erp_id, erp_customer_id, currency, total, issue_date + (erp_id::int % 50)
      FROM erp_invoices WHERE state = 'paid';
    INSERT INTO currency_rates (currency, rate, corporate) VALUES ('USD', 1, true), ('EUR', 0.92, false);
    INSERT INTO sync_runs (kind, trigger, started_at, finished_at) VALUES ('financials', 'schedule', now(), now());
    INSERT INTO sync_cursors (name, value) VALUES ('salesforce.opportunities', now()::text);
    ANALYZE;`);
  const seedMs = Date.now() - t0;
  const [{ n: payments }] = (await client.query('SELECT count(*)::int AS n FROM erp_payments')).rows;
  await client.end();
  // What the daily sweep does: every deal's invoicing rollup for today.
  const store = await openStore({ databaseUrl: url, dataDir: '/tmp' });
  await store.query('SET statement_timeout = 0');
  const t1 = Date.now();
  await refreshOpportunityRollups(store, 'all', new Date().toISOString().slice(0, 10));
  const rollupMs = Date.now() - t1;
  // What a sweep every minute does: the rollups (and cube months) of the few deals it touched.
  const sweepRefreshMs = [];
  for (let run = 0; run < 30; run++) {
    const ids = Array.from(
      { length: 10 },
      (_, k) => `006${String(1 + (((run * 10 + k) * 97) % OPPORTUNITIES)).padStart(12, '0')}AAA`,
    );
    const t = performance.now();
    await refreshOpportunityRollups(store, ids, new Date().toISOString().slice(0, 10));
    sweepRefreshMs.push(performance.now() - t);
  }
  await store.close();
  return { seedMs, rollupMs, sweepRefreshMs, payments };
}

/** The questions, as query strings; each request picks the next one. */
const QUESTIONS = {
  'year by month': 'from=2026-01&to=2026-12&grain=month&groupBy=period',
  'quarters by owner': 'from=2026-Q1&to=2026-Q4&grain=quarter&groupBy=owner',
  'year by lead source': 'from=2025-01&to=2025-12&groupBy=leadSource',
  'one rep by month': `from=2025-07&to=2026-06&groupBy=period&ownerId=${ownerId(7)}`,
  'quarter by owner, converted': 'from=2026-Q2&to=2026-Q2&grain=quarter&groupBy=owner&convert=true',
  'three years by quarter': 'from=2024-Q1&to=2026-Q4&grain=quarter&groupBy=period',
};

async function ask(url, query) {
  const t = performance.now();
  const res = await fetch(`${url}/v1/dashboards/forecast-vs-actual?${query}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${query} → ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t, groups: body.groups.length };
}

async function main() {
  const db = await benchDatabase('forecast', values['postgres-url']);
  let server;
  try {
    console.error(`[bench] seeding ${OPPORTUNITIES} opportunities, ${INVOICES} invoices…`);
    const seeded = await seed(db.url);
    server = await startBackend({
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'info',
      SF_LOGIN_URL: 'http://127.0.0.1:9',
      SF_CLIENT_ID: 'unused',
      SF_CLIENT_SECRET: 'unused',
      CLOSELOOP_API_TOKENS: TOKEN,
      SYNC_BOOKINGS_CRON: '0 0 1 1 *',
      SYNC_FINANCIALS_CRON: '0 0 1 1 *',
      SYNC_OPPORTUNITIES_CRON: '0 0 1 1 *',
    });
    const names = Object.keys(QUESTIONS);
    for (const name of names) await ask(server.url, QUESTIONS[name]); // warm-up: plans and caches
    const all = [];
    const byQuestion = Object.fromEntries(names.map((n) => [n, { ms: [], groups: 0 }]));
    for (let i = 0; i < Number(values.requests); i++) {
      const name = names[i % names.length];
      const { ms, groups } = await ask(server.url, QUESTIONS[name]);
      all.push(ms);
      byQuestion[name].ms.push(ms);
      byQuestion[name].groups = groups;
    }
    const overall = latencySummary(all);
    writeResult('forecast-dashboard', {
      data: { opportunities: OPPORTUNITIES, invoices: INVOICES, payments: seeded.payments, seedMs: seeded.seedMs },
      dailyRecomputeOfAllRollupsMs: seeded.rollupMs,
      sweepRefreshOf10DealsMs: latencySummary(seeded.sweepRefreshMs),
      latencyMs: overall,
      byQuestion: Object.fromEntries(
        names.map((n) => [
          n,
          { query: QUESTIONS[n], groups: byQuestion[n].groups, ...latencySummary(byQuestion[n].ms) },
        ]),
      ),
      targets: { p95Ms: 200 },
      meetsTargets: { p95: overall.p95 <= 200 },
    });
  } finally {
    server?.child.kill('SIGTERM');
    await sleep(500);
    if (values['keep-database']) {
      console.error(`[bench] database kept: ${db.url}`);
      await db.keep();
    } else await db.drop();
  }
}

run(main);
