/**
 * One SQL layer over PostgreSQL: `pg` when DATABASE_URL is set, embedded PGlite otherwise.
 * Both run the same SQL; both return rows with the same JS types (see TYPE_PARSERS), so no
 * caller ever knows which one it talks to.
 */
import { createHash } from 'node:crypto';
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
   * `held()` turns false once the lock is gone (its connection died): from then on someone else
   * may take it, so `fn` must stop before writing anything.
   */
  tryWithLock<T>(key: string, fn: (held: () => boolean) => Promise<T>): Promise<Locked<T>>;
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

export interface PostgresStoreOptions {
  /** Connections for queries and transactions (default 10). */
  max?: number;
  /**
   * Connections for advisory locks, each held for the whole locked work (default 10). Separate
   * from the query pool: the work inside a lock runs queries, and if locks could take every query
   * connection that work would wait forever for one.
   */
  lockMax?: number;
  /** How long to wait for a free connection, in ms (default 10 s): running out is an error, not a hang. */
  connectionTimeoutMillis?: number;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

export function createPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Store {
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  const pool = createPool(connectionString, options.max ?? 10, connectionTimeoutMillis);
  const locks = createPool(connectionString, options.lockMax ?? 10, connectionTimeoutMillis);
  const run = async <R extends Row>(client: pg.Pool | pg.PoolClient, text: string, params?: SqlParam[]) =>
    (await client.query<R>({ name: statementName(text), text, values: params })).rows;
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await pool.query(script)),
    async transaction(fn) {
      const client = await pool.connect();
      // The connection can die mid-transaction (server restart, pg_terminate_backend): the client
      // then emits 'error', which would crash the process without a listener of ours; the broken
      // client is handed back with its error so the pool drops it instead of lending it again.
      let broken: Error | undefined;
      const onError = (err: Error) => void (broken ??= err);
      client.on('error', onError);
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
        client.off('error', onError);
        client.release(broken);
      }
    },
    tryWithLock: (key, fn) => withAdvisoryLock(locks, key, fn),
    close: async () => void (await Promise.all([pool.end(), locks.end()])),
  };
}

/**
 * Every statement is prepared once per connection under a name derived from its text, so
 * PostgreSQL plans it once instead of on every call (planning the pulse's aggregate costs more
 * than running it).
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

function createPool(connectionString: string, max: number, connectionTimeoutMillis: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis,
    // Prepared statements (see statementName) keep one generic plan: our queries are small index
    // lookups whose best plan does not depend on the values, and re-planning the pulse's aggregate
    // for each call would cost more than running it.
    // JIT compiling pays off only for long analytical queries; ours answer in milliseconds, and
    // its compile time (700 ms measured on the forecast aggregate) would dominate them.
    options: '-c plan_cache_mode=force_generic_plan -c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // replaces it and the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A session advisory lock held on a connection of its own from the lock pool. That connection can
 * die while the work runs (server restart, pg_terminate_backend): the lock is then gone, so
 * `held()` turns false, and the broken client is dropped from the pool when released. Without a
 * listener of our own, its 'error' would be unhandled and crash the process.
 */
async function withAdvisoryLock<T>(
  locks: pg.Pool,
  key: string,
  fn: (held: () => boolean) => Promise<T>,
): Promise<Locked<T>> {
  const client = await locks.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => void (lost ??= err);
  const onEnd = () => void (lost ??= new Error('the lock connection ended'));
  client.on('error', onError);
  client.on('end', onEnd);
  const lockQuery = async (sql: string) => {
    try {
      return (await client.query<{ ok: boolean }>(sql, [key])).rows[0]?.ok === true;
    } catch (e) {
      lost ??= e instanceof Error ? e : new Error(String(e));
      throw e;
    }
  };
  try {
    if (!(await lockQuery('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok'))) return { acquired: false };
    try {
      return { acquired: true, value: await fn(() => lost === undefined) };
    } finally {
      // A lost lock died with its session: there is nothing to unlock, and no one to ask.
      if (!lost) await lockQuery('SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS ok').catch(() => undefined);
    }
  } finally {
    client.off('error', onError);
    client.off('end', onEnd);
    client.release(lost);
  }
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
        // Nothing can take an in-process lock away while `fn` runs: it stays held.
        return { acquired: true, value: await fn(() => true) };
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
