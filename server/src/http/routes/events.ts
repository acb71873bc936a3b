/**
 * POST /v1/events — what Salesforce tells us (the Apex triggers' Queueable, one callout per
 * batch): deals closed won (booked), and accounts whose ERP customer id a person changed (relinked).
 */
import { Router } from 'express';
import { z } from 'zod';
import { enqueueBookings } from '../../booking/bookingJobs';
import { enqueueRelinks } from '../../financials/relink';
import type { JobQueue } from '../../jobs/queue';
import { salesforceIdSchema } from '../../salesforce/ids';
import { parseOr400 } from '../errors';
import { noQuery } from '../params';

export const MAX_EVENTS_PER_REQUEST = 200;

export const closedWonEvent = z.object({
  type: z.literal('opportunity.closed_won'),
  opportunityId: salesforceIdSchema('006', 'Opportunity Id'),
  /** The Salesforce user who closed the deal, for the audit trail. */
  userId: salesforceIdSchema('005', 'User Id').optional(),
});
export const accountLinkChangedEvent = z.object({
  type: z.literal('account.erp_customer_changed'),
  accountId: salesforceIdSchema('001', 'Account Id'),
  /** The Salesforce user who changed ERP_Customer_Id__c. */
  userId: salesforceIdSchema('005', 'User Id').optional(),
});
const EVENT_TYPES = 'opportunity.closed_won, account.erp_customer_changed';
const event = z.discriminatedUnion('type', [closedWonEvent, accountLinkChangedEvent], {
  error: (issue) => (issue.code === 'invalid_union' ? `type must be one of: ${EVENT_TYPES}` : undefined),
});
type Event = z.output<typeof event>;
const batch = z.object({ events: z.array(event).min(1).max(MAX_EVENTS_PER_REQUEST) }).strict();
/** One event, or a batch of them (one callout per trigger batch). */
export const eventsBody = z.union([batch, event]);

/** Validates against the shape the caller meant, so errors point into the batch when it is one. */
function readEvents(raw: unknown) {
  const isBatch = typeof raw === 'object' && raw !== null && 'events' in raw;
  return isBatch ? parseOr400(batch, raw, 'body').events : [parseOr400(event, raw, 'body')];
}

/** Closed-Won deals by the user who closed them (the audit trail names who); usually one group. */
function dealsByUser(events: Event[]): Map<string | null, string[]> {
  const byUser = new Map<string | null, string[]>();
  for (const e of events) {
    if (e.type !== 'opportunity.closed_won') continue;
    byUser.set(e.userId ?? null, [...(byUser.get(e.userId ?? null) ?? []), e.opportunityId]);
  }
  return byUser;
}

export function eventsRouter(queue: JobQueue): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    parseOr400(noQuery, req.query, 'query');
    const events = readEvents(req.body);
    let enqueued = 0;
    for (const [userId, opportunityIds] of dealsByUser(events)) {
      enqueued += (await enqueueBookings(queue, opportunityIds, 'event', userId)).enqueued;
    }
    const accounts = events.flatMap((e) => (e.type === 'account.erp_customer_changed' ? [e.accountId] : []));
    enqueued += (await enqueueRelinks(queue, accounts, 'event')).enqueued;
    res.status(202).json({ accepted: events.length, enqueued, duplicates: events.length - enqueued });
  });
  return router;
}
