/**
 * Once per test run, before any test file: make sure the real parts are there, so every file
 * can start its own (Tryton, databases) quickly and a missing part fails with a clear message.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { ensureCachedDatabase } from '../../src/erp/tryton/localServer';
import { POSTGRES_ADMIN_URL } from './stores';

export default async function globalSetup(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new Error(
      `The tests need PostgreSQL at ${POSTGRES_ADMIN_URL} (set TEST_POSTGRES_URL): ${(e as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  // Tests start the real backend as a child process: build it from the current sources.
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: path.resolve(__dirname, '..', '..'),
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`The backend does not build:\n${tsc.stdout}${tsc.stderr}`);
  // Builds Tryton's prepared database once (about a minute on a fresh clone), then it is copied.
  await ensureCachedDatabase((message) => process.stderr.write(`[tryton] ${message}\n`));
}
