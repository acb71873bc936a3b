/** Rows and words for `sf closeloop status`'s tables (kept apart so the command reads as a story). */
import type { LastRun, SyncStatus } from './api.js';

/** Seconds from `iso` to `now`, or null when it never happened. */
export function lagSeconds(iso: string | null, now: number): number | null {
  if (iso === null) return null;
  return Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
}

/** 75 → "1 min 15 s"; null → "never". */
export function formatLag(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} days`;
}

/** 2026-11-22T10:15:30.123Z → "2026-11-22 10:15:30 UTC" */
export function formatTime(iso: string | null): string {
  return iso === null ? '-' : `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

function outcome(run: LastRun, counts: boolean): string {
  if (run === null) return 'never ran';
  if (run.finishedAt === null) return 'running';
  if (run.error !== null) return `failed: ${run.error}`;
  return counts ? `ok: found ${run.found ?? 0}, queued ${run.enqueued ?? 0}` : 'ok';
}

export function runRows(
  sync: SyncStatus,
  freshness: { financialsLagSeconds: number | null; opportunitiesLagSeconds: number | null },
): Array<Record<string, string>> {
  const row = (name: string, run: LastRun, schedule: string, lag: string, counts: boolean) => ({
    Run: name,
    Schedule: schedule,
    'Last started': formatTime(run?.startedAt ?? null),
    Result: outcome(run, counts),
    'Data age': lag,
  });
  return [
    row('Booking poll', sync.bookings.lastPoll, sync.bookings.schedule, '-', true),
    row(
      'Financial sweep',
      sync.financials.lastSweep,
      sync.financials.schedule,
      formatLag(freshness.financialsLagSeconds),
      false,
    ),
    row(
      'Opportunity sync',
      sync.opportunities.lastSync,
      sync.opportunities.schedule,
      formatLag(freshness.opportunitiesLagSeconds),
      false,
    ),
  ];
}
