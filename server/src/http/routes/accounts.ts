/** GET /v1/accounts/{id}/pulse — the account's financial pulse for the Account page. */
import { Router } from 'express';
import { z } from 'zod';
import { accountPulse, type PulseDeps } from '../../financials/pulse';
import { salesforceIdSchema } from '../../salesforce/ids';
import { ApiError, parseOr400 } from '../errors';
import { wholeNumber } from '../params';

const params = z.object({ id: salesforceIdSchema('001', 'Account Id') });
const pageSize = (fallback: number) => wholeNumber(1, 50).default(fallback);
const offset = wholeNumber(0, 100_000).default(0);
export const pulseQuery = z
  .object({
    invoicesLimit: pageSize(10),
    invoicesOffset: offset,
    paymentsLimit: pageSize(10),
    paymentsOffset: offset,
    refresh: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();

export function accountsRouter(deps: PulseDeps): Router {
  const router = Router();
  router.get('/:id/pulse', async (req, res) => {
    const { id } = parseOr400(params, req.params, 'path');
    const query = parseOr400(pulseQuery, req.query, 'query');
    const pulse = await accountPulse(deps, id, query);
    if (!pulse)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `Closeloop knows nothing of account ${id}: it has no ERP customer and no booking yet`,
        'id',
      );
    res.json(pulse);
  });
  return router;
}
