/**
 * `npm run demo`: Closeloop on its embedded default, no org and no ERP account needed.
 *
 * Starts a local Salesforce seeded with a multi-currency org (34 accounts, 5 reps, 94 deals over
 * eight quarters; server/src/demo/data), the sandbox ERP holding the past quarters' bookings,
 * invoices and payments, and the real backend on PGlite. Then it tells the backend about this
 * run's Closed-Won deals exactly as the Apex trigger would (POST /v1/events), waits for the
 * bookings, prints what the opportunities and accounts now show and the forecast, and keeps
 * serving the API.
 * It also serves the local preview at /preview (the package's real LWCs in a browser, with a
 * scenario panel; server/src/preview/) and prints its URL with this run's token.
 *   --once   exit after the table (used by the tests; no server left running, so no preview)
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startCloseloop, type Closeloop } from '../closeloop';
import { loadConfig } from '../config';
import { defaultForceAppDir, startLocalSalesforce } from '../emulator/salesforce';
import { SandboxErp } from '../erp/sandbox/sandboxErp';
import { createLogger } from '../log';
import { closeloopBackend, previewRouter } from '../preview';
import { openStore } from '../store/open';
import catalogue from './data/catalogue.json';
import { forecastOfRecentQuarters } from './forecast';
import { accountReport, accountsToShow, bookingReport, forecastReport } from './report';
import { financeActsInTheErp, seedSalesforce, seedSandboxErp } from './seed';

const once = process.argv.includes('--once');

async function main(): Promise<void> {
  const started = Date.now();
  const sf = await startLocalSalesforce({
    defaultCurrency: catalogue.currency,
    multiCurrency: true,
    currencies: catalogue.currencies,
  });
  const { won, keys } = seedSalesforce(sf);

  const dataDir = path.resolve(process.env.CLOSELOOP_DATA_DIR ?? '.closeloop', 'demo');
  rmSync(dataDir, { recursive: true, force: true }); // the local Salesforce starts fresh too
  const token = process.env.CLOSELOOP_API_TOKENS?.split(',')[0]?.trim() || `demo-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    PORT: process.env.PORT ?? '3000',
    CLOSELOOP_DATA_DIR: dataDir,
    DATABASE_URL: '',
    ERP_KIND: 'sandbox',
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: token,
    BOOKINGS_SINCE: '2000-01-01',
  });
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const store = await openStore(config.store);
  const erp = new SandboxErp(store);
  await seedSandboxErp(store, sf, keys);
  const running: { closeloop?: Closeloop } = {}; // the preview's router exists before the backend starts
  const backend = closeloopBackend(() => running.closeloop);
  const preview = previewRouter({
    distDir: path.join(path.dirname(defaultForceAppDir()), 'preview', 'dist'),
    sf,
    erp,
    backend,
    defaultCurrency: catalogue.currency,
  });
  const closeloop = await startCloseloop(config, log, { store, erp, preview });
  running.closeloop = closeloop;

  const response = await fetch(`${closeloop.url}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events: won.map((opportunityId) => ({ type: 'opportunity.closed_won', opportunityId })) }),
  });
  if (response.status !== 202)
    throw new Error(`the backend refused the events: ${response.status} ${await response.text()}`);
  // Bookings retry quickly; dead letters stop the wait.
  if (!(await backend.waitForIdle(60_000))) throw new Error('the bookings did not finish within a minute');

  const booked = won.filter((id) => sf.org.get('Opportunity', id)?.Booking_Status__c === 'Booked').length;
  const callsToBook = sf.apiCalls.total;
  const bookingSeconds = ((Date.now() - started) / 1000).toFixed(1);

  await financeActsInTheErp(erp, sf, keys);
  sf.resetApiCalls();
  await backend.sweepAndSync(); // waits out a scheduled sweep that may have read the ERP before finance acted
  const forecast = await forecastOfRecentQuarters(closeloop.url, token);
  const linkedAccounts = sf.org.all('Account').filter((a) => a.ERP_Customer_Id__c).length;
  const out = [
    '',
    `Closeloop demo: local Salesforce at ${sf.url}, sandbox ERP, embedded store at ${dataDir}`,
    `Booked ${booked} of ${won.length} Closed-Won opportunities in ${bookingSeconds} s, ${callsToBook} Salesforce API calls:`,
    '',
    bookingReport(sf, won),
    '',
    'Then finance acted in the ERP (Northwind paid, Contoso paid a part, an old Fabrikam invoice fell due),',
    `and one financial sweep brought it back to the ${linkedAccounts} accounts with an ERP customer (${sf.apiCalls.total} API calls).`,
    'The accounts of these deals, those on credit hold, and the most overdue:',
    '',
    accountReport(sf, accountsToShow(sf, won)),
    '',
    forecastReport(forecast),
    '',
    `The backend is serving at ${closeloop.url}  (API token for this run: ${token})`,
    `  curl -H "Authorization: Bearer ${token}" ${closeloop.url}/v1/sync/status`,
    `  curl -H "Authorization: Bearer ${token}" ${closeloop.url}/v1/accounts/${keys.northwind}/pulse`,
    `  curl -H "Authorization: Bearer ${token}" ${closeloop.url}/v1/sync/dead-letters`,
    `  curl -X POST -H "Authorization: Bearer ${token}" ${closeloop.url}/v1/opportunities/<id>/book`,
    `  OpenAPI: ${closeloop.url}/openapi.json`,
    once ? '' : `Preview: ${closeloop.url}/preview/#token=${token}  (the package's LWCs in a browser)`,
    once ? '' : 'Ctrl-C to stop.',
  ];
  process.stdout.write(`${out.join('\n')}\n`);

  const stop = async () => {
    await closeloop.close();
    await store.close();
    await sf.close();
  };
  if (once) {
    await stop();
    return;
  }
  const onSignal = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

main().catch((e: unknown) => {
  process.stderr.write(`The demo could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
