/** How jobs look in API answers. */
import type { Job } from '../../jobs/queue';

export function jobView(job: Job) {
  return {
    id: job.id,
    kind: job.kind,
    key: job.key,
    status: job.status,
    trigger: job.trigger,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    outcome: job.outcome,
    nextRunAt: job.status === 'queued' ? job.runAt.toISOString() : null,
    lastError: job.lastError,
    errorClass: job.lastErrorClass,
    opportunityId: typeof job.payload.opportunityId === 'string' ? job.payload.opportunityId : null,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
