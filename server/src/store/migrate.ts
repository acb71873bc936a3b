import type { Sql, Store } from './db';
import { migrations, type Migration } from './migrations';

/** An arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 7_240_513;

/**
 * Applies the migrations not yet applied, each in its own transaction, under an advisory lock so
 * several backend instances starting together on one PostgreSQL do not race.
 * Returns the versions it applied.
 */
export async function migrate(store: Store, list: Migration[] = migrations): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of list) {
    const done = await store.transaction(async (tx) => {
      await lockAndPrepare(tx);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/**
 * The lock comes first, even before creating the bookkeeping table: two sessions running
 * CREATE TABLE IF NOT EXISTS at once on a fresh database both try to create it, and the loser
 * fails on a duplicate catalog row. Under the lock, the second one sees the first one's table.
 */
async function lockAndPrepare(tx: Sql): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
}
