import pg from 'pg';
import { loadConfig, storePoolSizes } from '../../src/config';
import { createPostgresStore } from '../../src/store/db';
import { openStore } from '../../src/store/open';
import { pgliteStore, postgresDatabase } from '../support/stores';

const minimalEnv = {
  SF_CLIENT_ID: 'client',
  SF_CLIENT_SECRET: 'secret',
  CLOSELOOP_API_TOKENS: 'a-token-of-sixteen-chars',
};

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

/** Polls `check` until it holds (or fails the test after `ms`). */
async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('PostgreSQL: a lock whose connection is killed is reported lost, does not crash the process, and frees the key', async () => {
  const db = await postgresDatabase();
  const other = createPostgresStore(db.url);
  const g = gate();
  try {
    let held: (() => boolean) | undefined;
    const holding = db.store.tryWithLock('booking:T', async (isHeld) => {
      held = isHeld;
      await g.opened;
      return isHeld();
    });
    await eventually(() => held !== undefined);
    expect(held?.()).toBe(true);

    // The lock's own session, found the way an admin would, and killed.
    const [lock] = await other.query<{ pid: number }>(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(lock).toBeDefined();
    await other.query('SELECT pg_terminate_backend($1)', [lock!.pid]);

    await eventually(() => held?.() === false);
    expect(await other.tryWithLock('booking:T', async () => 'taken over')).toEqual({
      acquired: true,
      value: 'taken over',
    });
    g.open();
    expect(await holding).toEqual({ acquired: true, value: false });
    // The dead connection was dropped from the pool: locks keep working.
    for (let i = 0; i < 12; i++) {
      expect(await db.store.tryWithLock(`booking:after-${i}`, async (isHeld) => isHeld())).toEqual({
        acquired: true,
        value: true,
      });
    }
  } finally {
    g.open(); // if an assertion failed, let the holder go so the store can close
    await other.close();
    await db.drop();
  }
});

test('PostgreSQL: WORKER_CONCURRENCY 12 jobs each holding two nested locks and querying inside do not starve the pool', async () => {
  const db = await postgresDatabase();
  const concurrency = 12;
  const store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', pool: storePoolSizes(concurrency) });
  try {
    // Every job holds both its locks before any of them queries: the worst case for the pools.
    let holdingBoth = 0;
    const allHolding = gate();
    const job = async (i: number) =>
      store.tryWithLock(`booking:opp-${i}`, async () => {
        const inner = await store.tryWithLock(`account:acc-${i}`, async () => {
          if (++holdingBoth === concurrency) allHolding.open();
          await allHolding.opened;
          await store.query('SELECT pg_sleep(0.05)');
          return store.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT $1::int AS n', [i]))[0]?.n);
        });
        return inner.acquired ? inner.value : undefined;
      });
    const results = await Promise.all(Array.from({ length: concurrency }, (_, i) => job(i)));
    expect(results).toEqual(Array.from({ length: concurrency }, (_, i) => ({ acquired: true, value: i })));
  } finally {
    await store.close();
    await db.drop();
  }
}, 30_000);

test('pool sizes follow the worker concurrency', () => {
  expect(storePoolSizes(4)).toEqual({ queryConnections: 10, lockConnections: 10 });
  expect(storePoolSizes(12)).toEqual({ queryConnections: 18, lockConnections: 26 });
  expect(loadConfig({ ...minimalEnv, WORKER_CONCURRENCY: '16' }).store.pool).toEqual(storePoolSizes(16));
  expect(() => loadConfig({ ...minimalEnv, WORKER_CONCURRENCY: '20' })).toThrow('WORKER_CONCURRENCY');
});
