/**
 * Waits for a booking the CLI asked for, and says how it ended.
 *
 * The backend has no endpoint that reads one job, so the end is seen from what it does serve:
 * - the job is listed among the dead letters: it failed every attempt;
 * - GET /v1/opportunities/{id}/billing changed from what it was before the request: the booking
 *   wrote its outcome (Booked, Failed, Credit Hold);
 * - the queue has nothing queued or running: the job is over (the booking record is written before
 *   the job is marked done, so billing then shows this run's outcome, even one equal to the last).
 * A booking that decides nothing (the deal is not won, or not in Salesforce) writes no record: it
 * is seen by the idle queue with billing unchanged.
 */
import { billingView, deadLetterPage, syncStatus, type BillingView, type JobView } from './api.js';
import type { BackendClient } from './backend.js';

export type BookingEnd =
  | { kind: 'outcome'; billing: BillingView }
  | { kind: 'dead'; job: JobView }
  | { kind: 'no-outcome'; billing: BillingView | null }
  | { kind: 'timeout'; billing: BillingView | null };

export interface WatchOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Called with what is known at each poll, for a spinner. */
  onProgress?: (status: string) => void;
}

/** The billing view, or null when the backend knows nothing of the deal yet (404). */
export async function readBilling(client: BackendClient, opportunityId: string): Promise<BillingView | null> {
  try {
    return (await client.get(`/v1/opportunities/${opportunityId}/billing`, billingView)).body;
  } catch (e) {
    if ((e as { data?: { status?: unknown } }).data?.status === 404) return null;
    throw e;
  }
}

/** The fields a booking run writes; a change in any of them is a new outcome. */
function fingerprint(view: BillingView | null): string {
  if (!view) return 'none';
  return JSON.stringify([view.bookingStatus, view.bookingError, view.bookedAt, view.erpOrderId, view.invoice?.number]);
}

async function isDeadLetter(client: BackendClient, jobId: number): Promise<JobView | undefined> {
  // Newest first: a job that just died is on the first page.
  const page = await client.get('/v1/sync/dead-letters?limit=100', deadLetterPage);
  return page.body.items.find((job) => job.id === jobId);
}

export async function watchBooking(
  client: BackendClient,
  opportunityId: string,
  job: JobView,
  before: BillingView | null,
  options: WatchOptions,
): Promise<BookingEnd> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 500;
  for (;;) {
    // The queue is read first: if it is idle now, the reads after it see the job's final state.
    const { queue } = (await client.get('/v1/sync/status', syncStatus)).body;
    const idle = queue.queued === 0 && queue.running === 0;
    const dead = await isDeadLetter(client, job.id);
    if (dead) return { kind: 'dead', job: dead };
    const billing = await readBilling(client, opportunityId);
    const decided = billing !== null && billing.bookingStatus !== 'Pending';
    if (decided && fingerprint(billing) !== fingerprint(before)) return { kind: 'outcome', billing };
    // Over with billing as it was: the run ended as the last one did, or decided nothing.
    if (idle) return decided ? { kind: 'outcome', billing } : { kind: 'no-outcome', billing };
    options.onProgress?.(queue.running > 0 ? 'running' : 'queued');
    if (Date.now() >= deadline) return { kind: 'timeout', billing };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
