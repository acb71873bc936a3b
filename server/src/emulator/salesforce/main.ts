/**
 * Runs the local Salesforce by hand:
 *
 *     npm run build -w server
 *     PORT=8484 SEED_FILE=path/to/seed.json node server/dist/emulator/salesforce/main.js
 *
 * Optional: HOST, MULTI_CURRENCY=true, DEFAULT_CURRENCY, QUERY_BATCH_SIZE, FORCE_APP_DIR,
 * SF_CLIENT_ID, SF_CLIENT_SECRET. Prints the URL and the client credentials to use as SF_LOGIN_URL,
 * SF_CLIENT_ID and SF_CLIENT_SECRET.
 */
import { readFileSync } from 'node:fs';
import { startLocalSalesforce } from './server';

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

async function main(): Promise<void> {
  const sf = await startLocalSalesforce({
    host: process.env.HOST ?? '127.0.0.1',
    port: numberFromEnv('PORT') ?? 0,
    multiCurrency: process.env.MULTI_CURRENCY === 'true',
    defaultCurrency: process.env.DEFAULT_CURRENCY ?? 'USD',
    queryBatchSize: numberFromEnv('QUERY_BATCH_SIZE'),
    forceAppDir: process.env.FORCE_APP_DIR || undefined,
    clientId: process.env.SF_CLIENT_ID || undefined,
    clientSecret: process.env.SF_CLIENT_SECRET || undefined,
  });
  const seedFile = process.env.SEED_FILE;
  if (seedFile) {
    const keys = sf.org.seed(JSON.parse(readFileSync(seedFile, 'utf8')) as unknown);
    console.log(`seeded ${Object.keys(keys).length} named records from ${seedFile}`);
  }
  console.log(`local Salesforce listening on ${sf.url}`);
  console.log(`SF_LOGIN_URL=${sf.url}`);
  console.log(`SF_CLIENT_ID=${sf.clientId}`);
  console.log(`SF_CLIENT_SECRET=${sf.clientSecret}`);
  const stop = (): void => {
    void sf.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
