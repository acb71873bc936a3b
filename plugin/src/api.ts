/**
 * What the Closeloop backend answers, as the CLI reads it (server/src/http/routes/*.ts make these
 * shapes). Checked with zod on arrival: a backend of another version, or a URL that is not a
 * Closeloop backend at all, gives a clear error instead of a crash on a missing field. Objects are
 * loose so fields the backend adds later pass through untouched.
 */
import { z } from 'zod';

const isoTime = z.string();

export const jobView = z.looseObject({
  id: z.number().int(),
  kind: z.string(),
  key: z.string(),
  status: z.enum(['queued', 'running', 'done', 'dead']),
  trigger: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  outcome: z.string().nullable(),
  nextRunAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  errorClass: z.string().nullable(),
  opportunityId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  finishedAt: isoTime.nullable(),
});
export type JobView = z.infer<typeof jobView>;

const lastRun = z
  .looseObject({
    trigger: z.string(),
    startedAt: isoTime,
    finishedAt: isoTime.nullable(),
    found: z.number().nullable(),
    enqueued: z.number().nullable(),
    error: z.string().nullable(),
  })
  .nullable();
export type LastRun = z.infer<typeof lastRun>;

/** GET /v1/sync/status */
export const syncStatus = z.looseObject({
  bookings: z.looseObject({ lastPoll: lastRun, since: z.string(), schedule: z.string() }),
  financials: z.looseObject({
    lastSweep: lastRun,
    lastSuccessAt: isoTime.nullable(),
    schedule: z.string(),
    rejectedRecords: z.number(),
  }),
  opportunities: z.looseObject({ lastSync: lastRun, lastSuccessAt: isoTime.nullable(), schedule: z.string() }),
  queue: z.looseObject({
    queued: z.number(),
    due: z.number(),
    running: z.number(),
    done: z.number(),
    deadLetters: z.number(),
  }),
  salesforce: z.looseObject({ apiUsage: z.looseObject({ used: z.number(), limit: z.number() }).nullable() }),
  erp: z.looseObject({ kind: z.string() }),
});
export type SyncStatus = z.infer<typeof syncStatus>;

/** GET /readyz (200 ready, 503 not ready: both are answers). */
export const readiness = z.looseObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), error: z.string().optional() })),
});
export type Readiness = z.infer<typeof readiness>;

/** GET /healthz */
export const health = z.looseObject({ status: z.string() });

/** GET /v1/sync/dead-letters */
export const deadLetterPage = z.looseObject({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(jobView),
});
export type DeadLetterPage = z.infer<typeof deadLetterPage>;

/** POST /v1/sync/dead-letters/{id}/replay (202) */
export const replayAccepted = z.looseObject({ job: jobView });

/** POST /v1/opportunities/{id}/book (202) */
export const bookingAccepted = z.looseObject({ opportunityId: z.string(), job: jobView });

const money = z.looseObject({ amount: z.string(), currency: z.string() });

/** GET /v1/opportunities/{id}/billing */
export const billingView = z.looseObject({
  opportunityId: z.string(),
  bookingStatus: z.string(),
  bookingError: z.string().nullable(),
  bookedAt: isoTime.nullable(),
  erpOrderId: z.string().nullable(),
  invoice: z.looseObject({ number: z.string().nullable(), status: z.string() }).nullable(),
  amountInvoiced: money.nullable(),
  amountPaid: money.nullable(),
});
export type BillingView = z.infer<typeof billingView>;

/** POST /v1/sync/financials (a skipped sweep is a 409, so only 'done' arrives here). */
export const sweepResult = z.looseObject({
  status: z.literal('done'),
  pulled: z.record(z.string(), z.number()),
  linksPolled: z.number().nullable(),
  linksFound: z.number(),
  push: z.looseObject({ considered: z.number(), sent: z.number(), rejected: z.number() }),
  behind: z.boolean(),
  fullRecompute: z.boolean(),
});
export type SweepResult = z.infer<typeof sweepResult>;

const customerView = z.looseObject({
  erpCustomerId: z.string(),
  name: z.string(),
  countryCode: z.string().nullable(),
  postalCode: z.string().nullable(),
});
export type CustomerView = z.infer<typeof customerView>;

export const unmatchedAccount = z.looseObject({
  accountId: z.string(),
  name: z.string(),
  country: z.string().nullable(),
  match: customerView.nullable(),
  suggestions: z.array(customerView.extend({ score: z.number() })),
  note: z.string().nullable(),
});
export type UnmatchedAccount = z.infer<typeof unmatchedAccount>;

/** GET /v1/backfill/accounts */
export const unmatchedPage = z.looseObject({ items: z.array(unmatchedAccount), next: z.string().nullable() });

export const linkResult = z.looseObject({
  accountId: z.string(),
  erpCustomerId: z.string(),
  status: z.enum(['linked', 'rejected']),
  reason: z.string().nullable(),
});
export type LinkResult = z.infer<typeof linkResult>;

/** POST /v1/backfill/links */
export const linksAnswer = z.looseObject({ linked: z.number(), rejected: z.number(), results: z.array(linkResult) });
