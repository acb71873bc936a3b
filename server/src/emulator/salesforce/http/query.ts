/**
 * `/query` and `/queryAll` (`?q=SOQL`) and their `nextRecordsUrl` pages. The batch size is the
 * emulator's option, or the `Sforce-Query-Options: batchSize=N` header (200–2000, as in Salesforce).
 */
import { Router, type Request, type Response } from 'express';
import { requestError } from '../errors';
import { apiVersion, pathParam, queryParam, type AppContext } from './shared';

function batchSize(ctx: AppContext, req: Request): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(req.get('sforce-query-options') ?? '');
  if (!m) return ctx.queryBatchSize;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

export function queryRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  const run = (includeDeleted: boolean) => (req: Request, res: Response) => {
    const soql = queryParam(req, 'q');
    if (!soql) throw requestError(400, 'MALFORMED_QUERY', 'A query string must be provided.');
    const version = apiVersion(req);
    const output = ctx.org.query(soql, version, includeDeleted);
    res.json(ctx.cursors.first(version, output.totalSize, output.records, batchSize(ctx, req)));
  };

  const more = (req: Request, res: Response) => {
    res.json(ctx.cursors.next(apiVersion(req), pathParam(req, 'locator')));
  };

  router.get('/query', run(false));
  router.get('/queryAll', run(true));
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
  return router;
}
