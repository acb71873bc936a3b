/** POST /v1/events — what Salesforce tells us (the Apex trigger's Queueable, one callout per batch). */
import { Router } from 'express';
import { z } from 'zod';
import { enqueueBookings } from '../../booking/bookingJobs';
import type { JobQueue } from '../../jobs/queue';
import { salesforceIdSchema } from '../../salesforce/ids';
import { parseOr400 } from '../errors';

export const MAX_EVENTS_PER_REQUEST = 200;

export const closedWonEvent = z.object({
  type: z.literal('opportunity.closed_won'),
  opportunityId: salesforceIdSchema('006', 'Opportunity Id'),
  /** The Salesforce user who closed the deal, for the audit trail. */
  userId: salesforceIdSchema('005', 'User Id').optional(),
});
const event = z.discriminatedUnion('type', [closedWonEvent], {
  error: (issue) => (issue.code === 'invalid_union' ? 'type must be one of: opportunity.closed_won' : undefined),
});
const batch = z.object({ events: z.array(event).min(1).max(MAX_EVENTS_PER_REQUEST) }).strict();
/** One event, or a batch of them (one callout per trigger batch). */
export const eventsBody = z.union([batch, event]);

/** Validates against the shape the caller meant, so errors point into the batch when it is one. */
function readEvents(raw: unknown) {
  const isBatch = typeof raw === 'object' && raw !== null && 'events' in raw;
  return isBatch ? parseOr400(batch, raw, 'body').events : [parseOr400(event, raw, 'body')];
}

export function eventsRouter(queue: JobQueue): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const events = readEvents(req.body);
    let enqueued = 0;
    // Group by user so the audit trail names who closed each deal; usually one group.
    const byUser = new Map<string | null, string[]>();
    for (const e of events) byUser.set(e.userId ?? null, [...(byUser.get(e.userId ?? null) ?? []), e.opportunityId]);
    for (const [userId, opportunityIds] of byUser) {
      enqueued += (await enqueueBookings(queue, opportunityIds, 'event', userId)).enqueued;
    }
    res.status(202).json({ accepted: events.length, enqueued, duplicates: events.length - enqueued });
  });
  return router;
}
