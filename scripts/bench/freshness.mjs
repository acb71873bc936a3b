#!/usr/bin/env node
/**
 * Benchmark: a payment recorded in the ERP → the account's fields in Salesforce, at the default
 * schedule (SYNC_FINANCIALS_CRON every minute). Real Tryton (the pay wizard), the local
 * Salesforce, PostgreSQL, the backend in-process with its real cron schedules.
 *
 *   npm run bench:freshness [-- --payments 20 --spread-seconds 150]
 *
 * Payments are made at random moments over --spread-seconds; for each, the time from the pay
 * wizard finishing to Outstanding_Balance__c and Last_Payment_Date__c showing it in Salesforce.
 * Results: results/freshness.json. Target (PRODUCT.md): p95 ≤ 60 s.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { backend, benchDatabase, percentile, postgresOption, run, sleep, writeResult } from './lib.mjs';

const { startLocalTryton } = backend('erp/tryton/localServer.js');
const { TrytonAdmin } = backend('erp/tryton/admin.js');
const { startLocalSalesforce } = backend('emulator/salesforce/index.js');
const { startCloseloop } = backend('closeloop.js');
const { loadConfig } = backend('config.js');
const { createLogger } = backend('log.js');

const { values } = parseArgs({
  options: {
    payments: { type: 'string', default: '20' },
    'spread-seconds': { type: 'string', default: '150' },
    ...postgresOption,
  },
});
const PAYMENTS = Number(values.payments);
const SPREAD_MS = Number(values['spread-seconds']) * 1000;
const TOKEN = `bench-${randomUUID()}`;

async function until(check, what, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function main() {
  const db = await benchDatabase('fresh', values['postgres-url']);
  const [tryton, sf] = await Promise.all([startLocalTryton(), startLocalSalesforce()]);
  const finance = new TrytonAdmin(tryton);
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    ERP_KIND: 'tryton',
    TRYTON_URL: tryton.url,
    TRYTON_DATABASE: tryton.database,
    TRYTON_USER: tryton.user,
    TRYTON_PASSWORD: tryton.password,
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: TOKEN,
    BOOKINGS_SINCE: '2020-01-01',
    // SYNC_FINANCIALS_CRON and SYNC_BOOKINGS_CRON stay at their defaults: every minute.
  });
  const closeloop = await startCloseloop(config, createLogger('warn'), {});
  try {
    console.error(`[bench] booking ${PAYMENTS} deals…`);
    const product = sf.org.insert('Product2', { Name: 'Standard seat', ProductCode: 'CL-LICENSE-STD', IsActive: true });
    const deals = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const accountId = sf.org.insert('Account', {
        Name: `${randomUUID().replace(/-/g, '')} Ltd`,
        BillingCountry: 'United States',
      });
      const opportunityId = sf.org.insert('Opportunity', {
        Name: `Fresh ${i}`,
        AccountId: accountId,
        StageName: 'Negotiation/Review',
        CloseDate: new Date().toISOString().slice(0, 10),
      });
      sf.org.insert('OpportunityLineItem', {
        OpportunityId: opportunityId,
        Product2Id: product,
        Quantity: 1,
        UnitPrice: 1200,
      });
      sf.org.update('Opportunity', opportunityId, { StageName: 'Closed Won' });
      deals.push({ accountId, opportunityId });
    }
    await fetch(`${closeloop.url}/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        events: deals.map((d) => ({ type: 'opportunity.closed_won', opportunityId: d.opportunityId })),
      }),
    });
    await until(
      () => deals.every((d) => sf.org.get('Opportunity', d.opportunityId)?.Booking_Status__c === 'Booked'),
      'the bookings',
    );
    console.error('[bench] waiting for a scheduled sweep to show the balances…');
    await until(
      () => deals.every((d) => sf.org.get('Account', d.accountId)?.Outstanding_Balance__c === 1200),
      'the first balances',
    );

    console.error(`[bench] ${PAYMENTS} payments at random moments over ${SPREAD_MS / 1000} s`);
    const moments = Array.from({ length: PAYMENTS }, () => Math.random() * SPREAD_MS).sort((a, b) => a - b);
    const started = Date.now();
    const latencies = [];
    const watchers = [];
    for (const [i, moment] of moments.entries()) {
      await sleep(Math.max(0, started + moment - Date.now()));
      const deal = deals[i];
      const invoiceId = String(sf.org.get('Opportunity', deal.opportunityId)?.ERP_Order_Id__c ?? '');
      const [invoice] = await finance.rpc.model(
        'account.invoice',
        'search',
        [['sales', '=', Number(invoiceId)]],
        0,
        1,
        null,
      );
      await finance.payInvoice(String(invoice));
      const paidAt = Date.now();
      watchers.push(
        until(
          () =>
            sf.org.get('Account', deal.accountId)?.Outstanding_Balance__c === 0 &&
            sf.org.get('Account', deal.accountId)?.Last_Payment_Date__c !== null,
          'a payment to show',
          150_000,
        ).then(() => latencies.push(Date.now() - paidAt)),
      );
    }
    await Promise.all(watchers);

    console.error('[bench] two quiet scheduled sweeps: counting Salesforce calls');
    sf.resetApiCalls();
    await sleep(125_000);
    const quietCalls = sf.apiCalls;

    const sorted = latencies.sort((a, b) => a - b);
    writeResult('freshness', {
      setup:
        'real Tryton 6.0 (pay wizard), local Salesforce over HTTP, PostgreSQL, SYNC_FINANCIALS_CRON at its default (every minute)',
      payments: PAYMENTS,
      paymentToSalesforceSeconds: {
        p50: round(percentile(sorted, 50) / 1000),
        p95: round(percentile(sorted, 95) / 1000),
        max: round(sorted.at(-1) / 1000),
        min: round(sorted[0] / 1000),
      },
      quietMinutes: {
        salesforceCalls: quietCalls.total,
        byCategory: quietCalls.byCategory,
        note: 'two scheduled financial sweeps and two booking polls with nothing new; the booking poll is one query a minute by design',
      },
      target: { p95Seconds: 60 },
      meetsTarget: percentile(sorted, 95) <= 60_000,
    });
  } finally {
    await closeloop.close();
    await finance.close();
    await Promise.all([tryton.stop(), sf.close()]);
    await db.drop();
  }
}

const round = (n) => Math.round(n * 10) / 10;

run(main);
