/**
 * One SQL layer over PostgreSQL: `pg` when DATABASE_URL is set, embedded PGlite otherwise.
 * Both run the same SQL; both return rows with the same JS types (see TYPE_PARSERS), so no
 * caller ever knows which one it talks to.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type SqlParam = string | number | boolean | null | Date | Array<string | number | boolean | null>;
export type Row = Record<string, unknown>;

/** Anything that runs SQL: the store itself or an open transaction. */
export interface Sql {
  query<R extends Row = Row>(text: string, params?: SqlParam[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export type Locked<T> = { acquired: true; value: T } | { acquired: false };

export interface Store extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` while holding an exclusive lock on `key` across every process sharing this store;
   * answers `{acquired: false}` at once if someone else holds it. The lock dies with its holder
   * (PostgreSQL: a session advisory lock on a dedicated connection), so a crash never leaves it.
   */
  tryWithLock<T>(key: string, fn: () => Promise<T>): Promise<Locked<T>>;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The same JS types from both drivers: `date` stays the ISO text the database holds (no
 * time-zone shift), `int8` (counts, sums of integers) becomes a number, `numeric` stays an
 * exact decimal string (both drivers' default, restated so nobody "fixes" it to a float).
 */
const OID = { int8: 20, numeric: 1700, date: 1082 } as const;
const TYPE_PARSERS: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => v,
  [OID.date]: (v) => v,
};

export function createPostgresStore(connectionString: string, options: { max?: number } = {}): Store {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // replaces it and the next query reconnects.
  pool.on('error', () => undefined);
  const run = async <R extends Row>(client: pg.Pool | pg.PoolClient, text: string, params?: SqlParam[]) =>
    (await client.query<R>(text, params)).rows;
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await pool.query(script)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (text, params) => run(client, text, params),
          exec: async (script) => void (await client.query(script)),
        });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async tryWithLock(key, fn) {
      const client = await pool.connect();
      try {
        const [row] = (
          await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key])
        ).rows;
        if (!row?.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Embedded PostgreSQL (WebAssembly). One session per process: transactions run one at a time,
 * so code inside `transaction` must only use the `tx` it is given (using the store itself there
 * would wait for the transaction to end — forever). `dataDir` undefined means in memory.
 */
export async function createPgliteStore(dataDir?: string): Promise<Store> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers: TYPE_PARSERS });
  const run = async <R extends Row>(q: Pick<PGlite, 'query'>, text: string, params?: SqlParam[]) =>
    (await q.query<R>(text, params)).rows;
  // One process owns a PGlite data directory, so an in-process lock table is exclusive enough.
  const held = new Set<string>();
  return {
    kind: 'pglite',
    async tryWithLock(key, fn) {
      if (held.has(key)) return { acquired: false };
      held.add(key);
      try {
        return { acquired: true, value: await fn() };
      } finally {
        held.delete(key);
      }
    },
    query: (text, params) => run(db, text, params),
    exec: async (script) => void (await db.exec(script)),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({ query: (text, params) => run(tx, text, params), exec: async (script) => void (await tx.exec(script)) }),
      ),
    close: () => db.close(),
  };
}
