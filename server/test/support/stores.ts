/** Real stores for tests: PGlite in memory, or a fresh database on the local PostgreSQL. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPgliteStore, createPostgresStore, type PostgresStoreOptions, type Store } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';

/** The PostgreSQL server tests create their databases on (trust auth on this machine and in CI). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function pgliteStore(): Promise<Store> {
  const store = await createPgliteStore();
  await migrate(store);
  return store;
}

export interface TestDatabase {
  url: string;
  store: Store;
  /** Closes the store and drops the database. */
  drop(): Promise<void>;
}

/**
 * A new database on the local PostgreSQL, dropped by `drop()`: migrated unless `migrated` is false,
 * its store built with `store` options.
 */
export async function postgresDatabase(
  options: { migrated?: boolean; store?: PostgresStoreOptions } = {},
): Promise<TestDatabase> {
  const name = `closeloop_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const store = createPostgresStore(url.toString(), options.store);
  if (options.migrated !== false) await migrate(store);
  return {
    url: url.toString(),
    store,
    async drop() {
      await store.close().catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
