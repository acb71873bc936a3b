import { createPostgresStore } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { migrations } from '../../src/store/migrations';
import { postgresDatabase } from '../support/stores';

test('PostgreSQL: instances starting together on a fresh database all migrate it, each migration once', async () => {
  const db = await postgresDatabase({ migrated: false });
  const instances = Array.from({ length: 8 }, () => createPostgresStore(db.url, { max: 2, lockMax: 1 }));
  try {
    const results = await Promise.allSettled(instances.map((store) => migrate(store)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(applied.sort((a, b) => a - b)).toEqual(migrations.map((m) => m.version));
    const rows = await db.store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  } finally {
    await Promise.all(instances.map((s) => s.close()));
    await db.drop();
  }
});
