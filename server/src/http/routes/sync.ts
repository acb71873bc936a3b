/** /v1/sync — how the sync is doing, the dead letters, and replaying them. */
import { Router } from 'express';
import { z } from 'zod';
import { lastPulledAt } from '../../financials/pulse';
import type { SweepResult } from '../../financials/sweep';
import { opportunitiesAsOf, type OpportunitySyncResult } from '../../forecast/sync';
import type { JobQueue } from '../../jobs/queue';
import type { Sql } from '../../store/db';
import { ApiError, parseOr400 } from '../errors';
import { noBody, noQuery, wholeNumber } from '../params';
import { jobView } from './views';

export interface SyncStatusExtras {
  /** Runs a financial sweep now (the manual trigger). */
  sweepFinancials(): Promise<SweepResult>;
  /** Reads the opportunities changed in Salesforce now (the forecast's data). */
  syncOpportunities(): Promise<OpportunitySyncResult>;
  erpKind: string;
  bookingsSince: string;
  schedules: { bookings: string; financials: string; opportunities: string };
  salesforceApiUsage(): { used: number; limit: number } | undefined;
}

const page = z.strictObject({
  limit: wholeNumber(1, 500).default(100),
  offset: wholeNumber(0, 1_000_000).default(0),
});
const idParam = z.object({ id: wholeNumber(1, 2_147_483_647) });

async function rejectedRecordCount(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*) AS n FROM salesforce_pushes WHERE error IS NOT NULL');
  return row?.n ?? 0;
}

async function lastRun(sql: Sql, kind: string) {
  const [run] = await sql.query<{
    started_at: Date;
    finished_at: Date | null;
    found: number | null;
    enqueued: number | null;
    error: string | null;
    trigger: string;
    details: unknown;
  }>('SELECT * FROM sync_runs WHERE kind = $1 ORDER BY started_at DESC, id DESC LIMIT 1', [kind]);
  if (!run) return null;
  return {
    trigger: run.trigger,
    startedAt: run.started_at.toISOString(),
    finishedAt: run.finished_at?.toISOString() ?? null,
    found: run.found,
    enqueued: run.enqueued,
    error: run.error,
    details: run.details ?? null,
  };
}

export function syncRouter(sql: Sql, queue: JobQueue, extras: SyncStatusExtras): Router {
  const router = Router();

  router.get('/status', async (req, res) => {
    parseOr400(noQuery, req.query, 'query');
    const depth = await queue.depth();
    res.json({
      bookings: {
        lastPoll: await lastRun(sql, 'bookings'),
        since: extras.bookingsSince,
        schedule: extras.schedules.bookings,
      },
      financials: {
        lastSweep: await lastRun(sql, 'financials'),
        lastSuccessAt: await lastPulledAt(sql),
        schedule: extras.schedules.financials,
        rejectedRecords: await rejectedRecordCount(sql),
      },
      opportunities: {
        lastSync: await lastRun(sql, 'opportunities'),
        lastSuccessAt: await opportunitiesAsOf(sql),
        schedule: extras.schedules.opportunities,
      },
      queue: {
        queued: depth.queued,
        due: depth.due,
        running: depth.running,
        done: depth.done,
        deadLetters: depth.dead,
      },
      salesforce: { apiUsage: extras.salesforceApiUsage() ?? null },
      erp: { kind: extras.erpKind },
    });
  });

  router.post('/financials', async (req, res) => {
    parseOr400(noQuery, req.query, 'query');
    parseOr400(noBody, req.body, 'body');
    const result = await extras.sweepFinancials();
    if (result.status === 'skipped')
      throw new ApiError(409, 'SWEEP_RUNNING', `The sweep did not run: ${result.reason}. Try again in a moment.`);
    res.json(result);
  });

  router.post('/opportunities', async (req, res) => {
    parseOr400(noQuery, req.query, 'query');
    parseOr400(noBody, req.body, 'body');
    res.json(await extras.syncOpportunities());
  });

  router.get('/dead-letters', async (req, res) => {
    const { limit, offset } = parseOr400(page, req.query, 'query');
    const { total, items } = await queue.deadLetters(limit, offset);
    res.json({ total, limit, offset, items: items.map(jobView) });
  });

  router.post('/dead-letters/:id/replay', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'path');
    parseOr400(noQuery, req.query, 'query');
    parseOr400(noBody, req.body, 'body');
    const job = await queue.replay(id);
    if (!job) throw new ApiError(404, 'NOT_FOUND', `Dead letter ${id} does not exist (or was already replayed)`, 'id');
    res.status(202).json({ job: jobView(job) });
  });

  return router;
}
