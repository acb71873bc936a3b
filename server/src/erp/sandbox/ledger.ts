/**
 * How the sandbox ERP writes and reads its books so its change feeds never skip a change.
 *
 * Every write runs in a transaction holding an exclusive advisory lock and stamps rows with
 * `clock_timestamp()` inside it, so stamps grow in commit order. A change-feed read takes the
 * same lock shared: it waits for writes in flight to commit, so nothing can later appear with a
 * stamp before the cursor it hands out. (A small ERP can afford serial writes; Tryton's SQLite
 * serialises them too.)
 */
import type { Sql, Store } from '../../store/db';

const SANDBOX_LEDGER_LOCK = 7_240_600;

export function ledgerWrite<T>(store: Store, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SANDBOX_LEDGER_LOCK]);
    return fn(tx);
  });
}

export function ledgerRead<T>(store: Store, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [SANDBOX_LEDGER_LOCK]);
    return fn(tx);
  });
}

/** A customer's credit may have changed (its invoices or payments did): bump it into the feed. */
export async function touchCustomer(tx: Sql, customerId: number): Promise<void> {
  await tx.query('UPDATE sandbox_customers SET updated_at = clock_timestamp() WHERE id = $1', [customerId]);
}

/** Cursor text: the stamp of the last item and its id, e.g. "2026-11-22 00:45:12.123456+00|42". */
export function parseCursor(cursor: string | null): { stamp: string; id: number } {
  if (cursor === null) return { stamp: '-infinity', id: 0 };
  const at = cursor.lastIndexOf('|');
  const id = Number(cursor.slice(at + 1));
  if (at <= 0 || !Number.isInteger(id)) throw new RangeError(`not a sandbox cursor: ${cursor}`);
  return { stamp: cursor.slice(0, at), id };
}

export function cursorOf(row: { change_stamp: string; id: number }): string {
  return `${row.change_stamp}|${row.id}`;
}
