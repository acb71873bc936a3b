/**
 * The safety net behind the Closed-Won event: on SYNC_BOOKINGS_CRON, find won opportunities not
 * yet booked and queue them. Only deals closed on or after the installation's start date
 * (setting `bookings_since`) are considered — installing Closeloop must not re-book history;
 * that is what backfill is for.
 */
import { isoDay } from '../financials/invoiceStatus';
import type { JobQueue } from '../jobs/queue';
import type { Sql } from '../store/db';
import { enqueueBookings } from './bookingJobs';

export const BOOKINGS_SINCE = 'bookings_since';

/** The date bookings start from: set once, at first start (or from BOOKINGS_SINCE). */
export async function bookingsSince(
  sql: Sql,
  configured: string | undefined,
  today: Date = new Date(),
): Promise<string> {
  if (configured) {
    await sql.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [BOOKINGS_SINCE, configured],
    );
    return configured;
  }
  const [row] = await sql.query<{ value: string }>(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING value`,
    [BOOKINGS_SINCE, isoDay(today)],
  );
  return (row as { value: string }).value;
}

export interface PollDeps {
  sql: Sql;
  queue: JobQueue;
  findOpportunitiesToBook(closedSince: string): Promise<string[]>;
  since: string;
}

export async function pollBookings(deps: PollDeps, trigger: 'poll' | 'manual' = 'poll') {
  const [run] = await deps.sql.query<{ id: number }>(
    `INSERT INTO sync_runs (kind, trigger) VALUES ('bookings', $1) RETURNING id`,
    [trigger],
  );
  const runId = (run as { id: number }).id;
  try {
    const ids = await deps.findOpportunitiesToBook(deps.since);
    const { enqueued } = await enqueueBookings(deps.queue, ids, 'poll');
    await deps.sql.query('UPDATE sync_runs SET finished_at = now(), found = $2, enqueued = $3 WHERE id = $1', [
      runId,
      ids.length,
      enqueued,
    ]);
    return { found: ids.length, enqueued };
  } catch (e) {
    await deps.sql.query('UPDATE sync_runs SET finished_at = now(), error = $2 WHERE id = $1', [
      runId,
      e instanceof Error ? e.message : String(e),
    ]);
    throw e;
  }
}
