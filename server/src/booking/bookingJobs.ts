/**
 * Booking as queued work: how bookings get into the queue (event, poll, manual retry) and the
 * handler that runs them. One job per opportunity, ever (key `book:<Opportunity Id>`), so
 * duplicate events and polls are harmless; a manual retry re-runs the same job.
 */
import { z } from 'zod';
import { errorClass } from '../errors';
import type { JobHandler } from '../jobs/worker';
import type { Job, JobQueue, JobTrigger } from '../jobs/queue';
import { salesforceIdSchema } from '../salesforce/ids';
import { bookOpportunity, RERUNNABLE_OUTCOMES, type BookingDeps } from './bookOpportunity';
import { getBooking, saveBooking } from './bookings';
import { failureUpdate } from './writeBack';

export const BOOK_JOB = 'book';

const bookPayload = z.object({
  opportunityId: salesforceIdSchema('006', 'Opportunity Id'),
  actor: z.string().nullish(),
  customerResolution: z.enum(['auto', 'create']).optional(),
});
export type BookPayload = z.output<typeof bookPayload>;

export const bookingJobKey = (opportunityId: string) => `${BOOK_JOB}:${opportunityId}`;

/**
 * Events and polls: a new job per opportunity not seen before. An existing job is left alone —
 * unless it ended without deciding anything (the deal was not won yet, or not found), since the
 * deal may have changed since.
 */
export async function enqueueBookings(
  queue: JobQueue,
  opportunityIds: string[],
  trigger: 'event' | 'poll',
  actor?: string | null,
) {
  const unique = [...new Set(opportunityIds)];
  const created = await queue.enqueueMany(
    unique.map((opportunityId) => ({
      kind: BOOK_JOB,
      key: bookingJobKey(opportunityId),
      payload: { opportunityId, actor: actor ?? null },
      trigger,
    })),
    { rerunOutcomes: RERUNNABLE_OUTCOMES },
  );
  return { received: unique.length, enqueued: created.length };
}

/** A person asked (button, API, CLI): runs the booking again even if it ended before. */
export async function requestBooking(queue: JobQueue, payload: BookPayload, trigger: JobTrigger = 'manual') {
  return queue.enqueue({ kind: BOOK_JOB, key: bookingJobKey(payload.opportunityId), payload, trigger }, true);
}

export function bookingJobHandler(deps: BookingDeps): JobHandler {
  return {
    async run(job: Job) {
      const payload = bookPayload.parse(job.payload);
      return bookOpportunity(deps, {
        opportunityId: payload.opportunityId,
        trigger: job.trigger,
        actor: payload.actor ?? null,
        jobId: job.id,
        customerResolution: payload.customerResolution,
      });
    },
    /**
     * The ERP or Salesforce stayed unreachable: say so on the opportunity, where people look —
     * in words, without internal addresses (details are in the dead-letter list for admins) —
     * unless the booking did complete after all.
     */
    async onDeadLetter(job: Job, error: unknown) {
      const payload = bookPayload.parse(job.payload);
      if ((await getBooking(deps.sql, payload.opportunityId))?.status === 'Booked') return;
      const message =
        `Closeloop could not complete this booking after ${job.attempts} attempts: ${whatWentWrong(error)}. ` +
        `It will not be retried on its own. An admin can replay dead letter #${job.id} once the cause is fixed ` +
        `(sf closeloop replay --id ${job.id}); a replay never books the deal twice.`;
      await saveBooking(deps.sql, {
        opportunityId: payload.opportunityId,
        accountId: '',
        status: 'Failed',
        error: message,
        errorCode: 'DEAD_LETTER',
      });
      await deps.salesforce.update([failureUpdate(payload.opportunityId, 'Failed', message)]);
    },
  };
}

/** A failure class in words a rep understands. */
function whatWentWrong(error: unknown): string {
  const kind = errorClass(error);
  if (kind.startsWith('ERP') || kind === 'NETWORK') return 'the ERP could not be reached or did not answer normally';
  if (kind.startsWith('SALESFORCE')) return 'Salesforce could not be reached or refused the update';
  if (kind === 'WORKER_LOST') return 'the worker stopped while booking it';
  return 'an unexpected error occurred';
}
