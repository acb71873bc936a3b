/**
 * POST /v1/opportunities/{id}/book — book now, or retry a failed or held booking.
 * GET /v1/opportunities/{id}/billing — where the deal stands in the ERP (and a credit check).
 */
import { Router } from 'express';
import { z } from 'zod';
import { requestBooking } from '../../booking/bookingJobs';
import type { JobQueue } from '../../jobs/queue';
import { salesforceIdSchema } from '../../salesforce/ids';
import { opportunityBilling } from '../../financials/billing';
import { money } from '../../money';
import type { Sql } from '../../store/db';
import { ApiError, parseOr400 } from '../errors';
import { noQuery } from '../params';
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

const decimal = z.string().regex(/^\d{1,14}(\.\d{1,4})?$/, 'must be a decimal amount such as 1250.00');
export const billingQuery = z
  .object({
    /** For an open deal: the account and the amount to check against the customer's credit. */
    accountId: salesforceIdSchema('001', 'Account Id').optional(),
    amount: decimal.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .optional(),
  })
  .strict()
  .refine(
    (q) =>
      (q.accountId === undefined) === (q.amount === undefined) && (q.amount !== undefined || q.currency === undefined),
    {
      message: 'accountId and amount go together (with currency)',
      path: ['amount'],
    },
  );

export function opportunitiesRouter(queue: JobQueue, sql: Sql, defaultCurrency: () => Promise<string>): Router {
  const router = Router();
  router.get('/:id/billing', async (req, res) => {
    const { id } = parseOr400(params, req.params, 'path');
    const q = parseOr400(billingQuery, req.query, 'query');
    const credit =
      q.accountId && q.amount
        ? { accountId: q.accountId, amount: money(q.amount, q.currency ?? (await defaultCurrency())) }
        : null;
    const view = await opportunityBilling(sql, id, credit);
    if (!view)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `Closeloop knows nothing of opportunity ${id}: it was never booked or invoiced`,
        'id',
      );
    res.json(view);
  });
  router.post('/:id/book', async (req, res) => {
    const { id } = parseOr400(params, req.params, 'path');
    parseOr400(noQuery, req.query, 'query');
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
