import path from 'node:path';
import { createPgliteStore, createPostgresStore, type Store } from './db';
import { migrate } from './migrate';

/** Opens the configured store (PostgreSQL or embedded PGlite) and brings its schema up to date. */
export async function openStore(options: { databaseUrl?: string; dataDir: string }): Promise<Store> {
  const store = options.databaseUrl
    ? createPostgresStore(options.databaseUrl)
    : await createPgliteStore(path.join(options.dataDir, 'pglite'));
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
