/**
 * The local preview, mounted at /preview by the demo only (never by the product's main.ts):
 * - the built page (preview/dist: the package's real LWCs, SLDS) as static files, without auth —
 *   they hold no data; the page reads the API token from its URL fragment;
 * - /preview/api: the record picker's reads and the scenario panel's actions, answering errors in
 *   the API's shape. The app mounts it behind the same token, limits and body rules as /v1
 *   (mountPreview in http/app.ts): this router adds none of its own.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { LocalSalesforce } from '../emulator/salesforce';
import type { SandboxErp } from '../erp/sandbox/sandboxErp';
import { ApiError, notFound, parseOr400 } from '../http/errors';
import { salesforceIdSchema } from '../salesforce/ids';
import type { PreviewBackend } from './backend';
import { recordList, recordView } from './records';
import { closeWon, overdue, payment, syncNow, type ScenarioDeps } from './scenarios';
import { staticPage } from './staticPage';

export interface PreviewDeps {
  /** preview/dist, built by `npm run build -w preview`. */
  distDir: string;
  sf: LocalSalesforce;
  erp: SandboxErp;
  backend: PreviewBackend;
  defaultCurrency: string;
  bookingWaitMs?: number;
}

const opportunityBody = z.object({ opportunityId: salesforceIdSchema('006', 'Opportunity Id') }).strict();
const paymentBody = z
  .object({
    opportunityId: salesforceIdSchema('006', 'Opportunity Id'),
    /** Blank or absent: the invoice is paid in full. */
    amount: z
      .string()
      .trim()
      .regex(/^(\d{1,14}(\.\d{1,4})?)?$/, 'must be a decimal amount such as 1250.00')
      .refine((v) => v === '' || Number(v) > 0, 'must be more than zero')
      .optional(),
  })
  .strict();
const overdueBody = z
  .object({
    opportunityId: salesforceIdSchema('006', 'Opportunity Id'),
    /** How many days ago the invoice fell due (default 45: into the 31–60 days bucket). */
    daysAgo: z.number().int().min(1).max(3650).default(45),
  })
  .strict();
const recordParams = z.object({ id: salesforceIdSchema(undefined, 'Account or Opportunity Id') });

export function previewRouter(deps: PreviewDeps): Router {
  const scenarioDeps: ScenarioDeps = deps;
  const api = Router();

  api.get('/records', (_req, res) => {
    res.json(recordList(deps.sf.org, deps.defaultCurrency));
  });
  api.get('/records/:id', (req, res) => {
    const { id } = parseOr400(recordParams, req.params, 'path');
    const view = recordView(deps.sf.org, id, deps.defaultCurrency);
    if (!view) throw new ApiError(404, 'NOT_FOUND', `The local Salesforce has no account or opportunity ${id}`, 'id');
    res.json(view);
  });
  api.post('/scenarios/close-won', async (req, res) => {
    const { opportunityId } = parseOr400(opportunityBody, req.body ?? {}, 'body');
    res.json(await closeWon(scenarioDeps, opportunityId, req.headers.authorization ?? ''));
  });
  api.post('/scenarios/payment', async (req, res) => {
    const { opportunityId, amount } = parseOr400(paymentBody, req.body ?? {}, 'body');
    res.json(await payment(scenarioDeps, opportunityId, amount || undefined));
  });
  api.post('/scenarios/overdue', async (req, res) => {
    const { opportunityId, daysAgo } = parseOr400(overdueBody, req.body ?? {}, 'body');
    res.json(await overdue(scenarioDeps, opportunityId, daysAgo));
  });
  api.post('/sync', async (_req, res) => {
    res.json(await syncNow(scenarioDeps));
  });
  api.use(notFound);

  const router = Router();
  router.use('/api', api);
  router.use(staticPage(deps.distDir));
  return router;
}
