/**
 * /v1/backfill — first-time customer matching for an org that already has data (`sf closeloop
 * backfill`): the accounts with no ERP customer and what the ERP has like them, then the links a
 * person confirmed. (Historical invoices need no endpoint of their own: the first financial
 * sweeps load them from the start, resumably; `POST /v1/sync/financials` answers `behind: true`
 * until they are all in.)
 */
import { Router } from 'express';
import { z } from 'zod';
import { confirmLinks, unmatchedAccounts, type BackfillDeps } from '../../backfill/accountMatching';
import { salesforceIdSchema } from '../../salesforce/ids';
import { parseOr400 } from '../errors';
import { noQuery, wholeNumber } from '../params';

export const MAX_LINKS_PER_REQUEST = 200;

export const unmatchedQuery = z.strictObject({
  limit: wholeNumber(1, 200).default(50),
  after: salesforceIdSchema('001', 'Account Id').optional(),
});

export const linksBody = z.strictObject({
  links: z
    .array(
      z.strictObject({
        accountId: salesforceIdSchema('001', 'Account Id'),
        erpCustomerId: z.string().trim().min(1).max(64),
      }),
    )
    .min(1)
    .max(MAX_LINKS_PER_REQUEST)
    .refine((links) => new Set(links.map((l) => l.accountId)).size === links.length, {
      message: 'each account may appear once',
    }),
});

export function backfillRouter(deps: BackfillDeps): Router {
  const router = Router();
  router.get('/accounts', async (req, res) => {
    const { limit, after } = parseOr400(unmatchedQuery, req.query, 'query');
    res.json(await unmatchedAccounts(deps, after ?? null, limit));
  });
  router.post('/links', async (req, res) => {
    parseOr400(noQuery, req.query, 'query'); // a parameter it would ignore is refused, not dropped
    const { links } = parseOr400(linksBody, req.body, 'body');
    const results = await confirmLinks(deps, links);
    res.json({
      linked: results.filter((r) => r.status === 'linked').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      results,
    });
  });
  return router;
}
