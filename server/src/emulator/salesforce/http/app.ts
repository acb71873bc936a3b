/**
 * The HTTP face of the emulated org. Every `/services/data/vNN.N/...` request goes through the
 * same gate as in Salesforce: known API version, valid bearer token (401 INVALID_SESSION_ID),
 * daily limit (403 REQUEST_LIMIT_EXCEEDED), then it is counted, may meet an injected failure, and
 * reaches its resource. Errors are always JSON arrays.
 */
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import { invalidSession, notFound, requestError, requestLimitExceeded, SalesforceError } from '../errors';
import { baseUrl, bearerToken, tokenRoute } from './auth';
import { compositeRoutes } from './composite';
import { queryRoutes } from './query';
import { apiVersion, MAX_API_VERSION, MIN_API_VERSION, type AppContext } from './shared';
import { sobjectRoutes } from './sobjects';

/** Salesforce release names: v31.0 was Summer '14, three releases a year since. */
function releaseLabel(version: number): string {
  const index = version - MIN_API_VERSION;
  const season = ['Summer', 'Winter', 'Spring'][index % 3] ?? 'Summer';
  const year = 14 + Math.floor((index + 2) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

function versions(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v++) {
    out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

function gate(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const m = /^(\d+)\.0$/.exec(apiVersion(req));
    const version = Number(m?.[1]);
    if (!m || version < MIN_API_VERSION || version > MAX_API_VERSION) throw notFound();
    const limitHeader = (): void => {
      res.setHeader('Sforce-Limit-Info', `api-usage=${ctx.meter.usage}/${ctx.dailyApiLimit}`);
    };
    limitHeader();
    const token = bearerToken(req);
    if (!token || !ctx.tokens.isValid(token)) throw invalidSession();
    if (ctx.faults.limitExceeded) throw requestLimitExceeded();
    const path = req.url; // below /services/data/vNN.N, with the query string
    ctx.meter.record(req.method, path);
    limitHeader();
    const fault = ctx.faults.take(req.method, path);
    if (fault) throw fault;
    next();
  };
}

function resources(req: Request, res: Response): void {
  const base = `/services/data/v${apiVersion(req)}`;
  res.json({
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    composite: `${base}/composite`,
    limits: `${base}/limits`,
  });
}

function dataRouter(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });
  router.use(gate(ctx));
  // Salesforce reads JSON whatever the Content-Type says; collections of 200 long texts are big.
  router.use(express.json({ limit: '50mb', type: () => true }));
  router.get('/', resources);
  router.get('/limits', (_req, res) => {
    const max = ctx.dailyApiLimit;
    res.json({ DailyApiRequests: { Max: max, Remaining: Math.max(0, max - ctx.meter.usage) } });
  });
  router.use(queryRoutes(ctx));
  router.use(sobjectRoutes(ctx));
  router.use(compositeRoutes(ctx));
  router.use(() => {
    throw notFound();
  });
  return router;
}

const errors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof SalesforceError) {
    res.status(err.status).json(err.toBody());
    return;
  }
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed') {
    const message = err instanceof Error ? err.message : 'Unexpected character';
    res.status(400).json(requestError(400, 'JSON_PARSER_ERROR', message).toBody());
    return;
  }
  if (type === 'entity.too.large') {
    res.status(413).json(requestError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request Entity Too Large').toBody());
    return;
  }
  // A bug in the emulator, not in the caller: say so loudly.
  console.error('[local-salesforce] unexpected error', err);
  res.status(500).json([{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${String(err)}` }]);
};

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('json spaces', 0);
  app.post(
    '/services/oauth2/token',
    express.urlencoded({ extended: false, type: () => true }),
    tokenRoute({
      tokens: ctx.tokens,
      orgId: ctx.org.orgId,
      userId: ctx.org.userId,
      onRequest: () => {
        ctx.meter.tokenRequests += 1;
      },
    }),
  );
  app.get(['/services/data', '/services/data/'], (_req, res) => {
    res.json(versions());
  });
  app.get('/id/:orgId/:userId', (req, res) => {
    const token = bearerToken(req);
    if (!token || !ctx.tokens.isValid(token)) throw invalidSession();
    const user = ctx.org.store.get('User', ctx.org.userId);
    res.json({
      id: `${baseUrl(req)}/id/${ctx.org.orgId}/${ctx.org.userId}`,
      user_id: ctx.org.userId,
      organization_id: ctx.org.orgId,
      username: user?.Username ?? null,
      display_name: user?.Name ?? null,
      email: user?.Email ?? null,
      active: true,
      urls: {
        rest: `${baseUrl(req)}/services/data/v{version}/`,
        query: `${baseUrl(req)}/services/data/v{version}/query/`,
      },
    });
  });
  app.use('/services/data/:version', dataRouter(ctx));
  app.use(() => {
    throw notFound();
  });
  app.use(errors);
  return app;
}
