/**
 * node-cron wiring. A scheduled sweep never overlaps itself (noOverlap), and when several
 * instances share one PostgreSQL only one of them runs each tick: the tick is claimed as a lease
 * row in `settings` held for most of the interval, so N instances do not make N times the calls.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { errorMessage } from './errors';
import type { Logger } from './log';
import type { Sql } from './store/db';

/** True for the one instance that claims this tick of `name` (the claim lasts `leaseMs`). */
export async function claimTick(sql: Sql, name: string, leaseMs: number): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO settings (key, value) VALUES ($1, 'claimed')
     ON CONFLICT (key) DO UPDATE SET updated_at = now()
       WHERE settings.updated_at < now() - make_interval(secs => $2)
     RETURNING key`,
    [`tick:${name}`, leaseMs / 1000],
  );
  return rows.length > 0;
}

export function scheduleSweep(
  sql: Sql,
  log: Logger,
  name: string,
  expression: string,
  sweep: () => Promise<unknown>,
): ScheduledTask {
  let leaseMs = 1000;
  const task = cron.schedule(
    expression,
    async () => {
      try {
        if (!(await claimTick(sql, name, leaseMs))) return;
        const result = await sweep();
        log.debug({ sweep: name, result }, 'sweep finished');
      } catch (e) {
        log.warn({ sweep: name, err: errorMessage(e) }, 'sweep failed; it runs again on schedule');
      }
    },
    { name, noOverlap: true, suppressMissedWarning: true },
  );
  const [first, second] = task.getNextRuns(2);
  if (first && second) leaseMs = Math.max(500, (second.getTime() - first.getTime()) * 0.8);
  return task;
}
