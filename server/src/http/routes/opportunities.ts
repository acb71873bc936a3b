/** POST /v1/opportunities/{id}/book — book now, or retry a failed or held booking. */
import { Router } from 'express';
import { z } from 'zod';
import { requestBooking } from '../../booking/bookingJobs';
import type { JobQueue } from '../../jobs/queue';
import { salesforceIdSchema } from '../../salesforce/ids';
import { parseOr400 } from '../errors';
import { jobView } from './views';

const params = z.object({ id: salesforceIdSchema('006', 'Opportunity Id') });
export const bookBody = z
  .object({
    /** The Salesforce user asking, for the audit trail. */
    userId: salesforceIdSchema('005', 'User Id').optional(),
    /** 'create' books to a new ERP customer even when a similar one exists (a person decided). */
    customerResolution: z.enum(['auto', 'create']).default('auto'),
  })
  .strict();

export function opportunitiesRouter(queue: JobQueue): Router {
  const router = Router();
  router.post('/:id/book', async (req, res) => {
    const { id } = parseOr400(params, req.params, 'path');
    const input = parseOr400(bookBody, req.body ?? {}, 'body');
    const { job } = await requestBooking(queue, {
      opportunityId: id,
      actor: input.userId ?? null,
      customerResolution: input.customerResolution,
    });
    res.status(202).json({ opportunityId: id, job: jobView(job) });
  });
  return router;
}
