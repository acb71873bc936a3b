import pg from 'pg';
import { createPostgresStore } from '../../src/store/db';
import { pgliteStore, postgresDatabase } from '../support/stores';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

test('PostgreSQL: the lock excludes another process-like pool, is per key, and dies with its connection', async () => {
  const db = await postgresDatabase();
  const other = createPostgresStore(db.url);
  try {
    const g = gate();
    const holding = db.store.tryWithLock('booking:A', () => g.opened.then(() => 'done'));
    await new Promise((r) => setTimeout(r, 100));
    expect(await other.tryWithLock('booking:A', async () => 'second')).toEqual({ acquired: false });
    expect(await other.tryWithLock('booking:B', async () => 'other key')).toEqual({
      acquired: true,
      value: 'other key',
    });
    g.open();
    expect(await holding).toEqual({ acquired: true, value: 'done' });
    expect(await other.tryWithLock('booking:A', async () => 'after')).toEqual({ acquired: true, value: 'after' });

    // A holder that throws still lets go.
    await expect(db.store.tryWithLock('booking:C', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await other.tryWithLock('booking:C', async () => 1)).toEqual({ acquired: true, value: 1 });

    // A holder whose connection dies (a killed worker) does not leave the lock behind.
    const crashed = new pg.Client({ connectionString: db.url });
    crashed.on('error', () => undefined); // the connection is about to be cut on purpose
    await crashed.connect();
    await crashed.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', ['booking:D']);
    expect(await other.tryWithLock('booking:D', async () => 'blocked')).toEqual({ acquired: false });
    (crashed as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await new Promise((r) => setTimeout(r, 300));
    expect(await other.tryWithLock('booking:D', async () => 'free')).toEqual({ acquired: true, value: 'free' });
  } finally {
    await other.close();
    await db.drop();
  }
});

test('PGlite: the lock is exclusive within the one process that owns the store', async () => {
  const store = await pgliteStore();
  try {
    const g = gate();
    const holding = store.tryWithLock('k', () => g.opened);
    expect(await store.tryWithLock('k', async () => 2)).toEqual({ acquired: false });
    g.open();
    await holding;
    expect(await store.tryWithLock('k', async () => 3)).toEqual({ acquired: true, value: 3 });
  } finally {
    await store.close();
  }
});
