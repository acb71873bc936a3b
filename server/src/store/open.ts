import path from 'node:path';
import type { StorePoolSizes } from '../config';
import { createPgliteStore, createPostgresStore, type Store } from './db';
import { migrate } from './migrate';

/**
 * Opens the configured store (PostgreSQL or embedded PGlite) and brings its schema up to date.
 * `pool` sizes the PostgreSQL connection pools for the worker concurrency (see `storePoolSizes`).
 */
export async function openStore(options: {
  databaseUrl?: string;
  dataDir: string;
  pool?: StorePoolSizes;
}): Promise<Store> {
  const store = options.databaseUrl
    ? createPostgresStore(options.databaseUrl, {
        max: options.pool?.queryConnections,
        lockMax: options.pool?.lockConnections,
      })
    : await createPgliteStore(path.join(options.dataDir, 'pglite'));
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
