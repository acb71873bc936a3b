#!/usr/bin/env node
/**
 * Benchmark: Salesforce API calls made by the financial sweep — for 1,000 accounts whose figures
 * changed, and for a sweep with nothing new. Sandbox ERP on PostgreSQL, the local Salesforce
 * counting every REST call.
 *
 *   npm run bench:sweep-calls [-- --accounts 1000]
 *
 * Results: results/sweep-calls.json. Targets (PRODUCT.md): ≤ 5 calls per 1,000 changed
 * accounts, 0 per sweep with nothing changed.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { backend, benchDatabase, postgresOption, run, writeResult } from './lib.mjs';

const { startLocalSalesforce } = backend('emulator/salesforce/index.js');
const { startCloseloop } = backend('closeloop.js');
const { loadConfig } = backend('config.js');
const { createLogger } = backend('log.js');
const { openStore } = backend('store/open.js');
const { SandboxErp } = backend('erp/sandbox/sandboxErp.js');

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000' },
    ...postgresOption,
  },
});
const ACCOUNTS = Number(values.accounts);
const today = new Date().toISOString().slice(0, 10);
const usd = (amount) => ({ amount, currency: 'USD' });

async function main() {
  const db = await benchDatabase('calls', values['postgres-url']);
  const sf = await startLocalSalesforce();
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: `bench-${randomUUID()}`,
  });
  const store = await openStore(config.store);
  const erp = new SandboxErp(store);
  const closeloop = await startCloseloop(config, createLogger('warn'), { store, erp, schedules: false });
  try {
    const invoices = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const customer = await erp.createCustomer({ name: `Calls Customer ${i}`, externalRef: '', countryCode: 'US' });
      invoices.push(await erp.issueInvoice(customer.id, usd(String(500 + i)), today));
      sf.org.insert('Account', { Name: `Calls Customer ${i}`, ERP_Customer_Id__c: customer.id });
    }
    const sweep = async () => {
      sf.resetApiCalls();
      const started = Date.now();
      const result = await closeloop.sweepFinancials();
      return {
        ms: Date.now() - started,
        calls: sf.apiCalls.total,
        byCategory: sf.apiCalls.byCategory,
        sent: result.push?.sent,
      };
    };
    const firstSync = await sweep(); // links 1,000 accounts and writes their figures
    for (const id of invoices) await erp.recordPayment(id, usd('100'), today);
    const changed = await sweep(); // 1,000 accounts' balances changed in the ERP
    const quiet = await sweep();
    writeResult('sweep-calls', {
      accounts: ACCOUNTS,
      firstSync: {
        ...firstSync,
        note: 'includes the link lookups (one query per 300 ERP customer ids) and the org describe, once per process',
      },
      changedAccounts: changed,
      nothingChanged: quiet,
      targets: { updateCallsPer1000Changed: 5, callsPerQuietSweep: 0 },
      meetsTargets: { changed: changed.calls <= 5 * Math.ceil(ACCOUNTS / 1000), quiet: quiet.calls === 0 },
    });
  } finally {
    await closeloop.close();
    await store.close();
    await sf.close();
    await db.drop();
  }
}

run(main);
