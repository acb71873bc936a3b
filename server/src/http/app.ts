/**
 * The HTTP face of the backend. Routes are thin: they validate, call one function, answer.
 * Everything under /v1 needs a bearer token; bodies are JSON of at most 100 kB. Hardening (headers,
 * limits, time budgets) is in ./hardening, set by the HTTP_* variables.
 * /healthz, /readyz, /metrics and /openapi.json are open (for probes and scrapers on the network
 * the backend is bound to; HOST defaults to loopback).
 */
import express, { type Express, type RequestHandler } from 'express';
import type { PulseDeps } from '../financials/pulse';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Store } from '../store/db';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../config';
import { errorHandler, notFound } from './errors';
import { authenticatedApi, jsonBodies } from './guards';
import { securityHeaders } from './hardening';
import { methodGuard, routeTable } from './methods';
import { openApiDocument } from './openapi';
import { accountsRouter } from './routes/accounts';
import { dashboardsRouter } from './routes/dashboards';
import { eventsRouter } from './routes/events';
import { healthRouter, type ReadinessCheck } from './routes/health';
import { opportunitiesRouter } from './routes/opportunities';
import { backfillRouter } from './routes/backfill';
import type { BackfillDeps } from '../backfill/accountMatching';
import { syncRouter, type SyncStatusExtras } from './routes/sync';

export { MAX_BODY } from './guards';
/** Routes that run a sync or a backfill within the request: they get HTTP_SYNC_TIMEOUT_MS. */
const LONG_RUNNING = /^\/(sync\/(financials|opportunities)|backfill)(\/|$)/i;

export interface AppDeps {
  store: Store;
  queue: JobQueue;
  apiTokens: string[];
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  status: SyncStatusExtras;
  pulse: PulseDeps;
  /** First-time customer matching (absent in tests that do not reach Salesforce). */
  backfill?: BackfillDeps;
  metrics: Metrics;
  /** Brings the gauges (queue depth, freshness) up to date just before a scrape. */
  refreshGauges(): Promise<void>;
  version: string;
  /**
   * Demo only: the local preview (server/src/preview/), mounted at /preview. Never in production.
   * Its /preview/api gets the same authentication, limits and body rules as /v1.
   */
  preview?: RequestHandler;
  /** Rate limits and time budgets (default: the HTTP_* variables' defaults). */
  limits?: HttpLimits;
}

export function createApp(deps: AppDeps): Express {
  const limits = deps.limits ?? DEFAULT_HTTP_LIMITS;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', limits.trustProxyHops);
  // Strict headers for everything; the demo's /preview router sets its own Content-Security-Policy.
  app.use(securityHeaders());

  app.use(healthRouter(deps.readiness));
  const openapi = openApiDocument(deps.version);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/metrics', async (_req, res) => {
    await deps.refreshGauges();
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  const v1 = express.Router();
  v1.use(
    authenticatedApi(deps.apiTokens, limits, (req) =>
      LONG_RUNNING.test(req.path) ? limits.syncTimeoutMs : limits.requestTimeoutMs,
    ),
  );
  v1.use(methodGuard(routeTable(openapi.paths, '/v1/')));
  v1.use(jsonBodies());
  v1.use('/events', eventsRouter(deps.queue));
  v1.use('/accounts', accountsRouter(deps.pulse));
  v1.use('/opportunities', opportunitiesRouter(deps.queue, deps.store, deps.pulse.defaultCurrency));
  v1.use('/dashboards', dashboardsRouter(deps.store));
  if (deps.backfill) v1.use('/backfill', backfillRouter(deps.backfill));
  v1.use('/sync', syncRouter(deps.store, deps.queue, deps.status));
  v1.use(notFound);
  app.use('/v1', v1);
  if (deps.preview) mountPreview(app, deps.preview, deps.apiTokens, limits);

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}

/** The demo's preview at /preview; its /preview/api behind the same guards as /v1. */
export function mountPreview(app: Express, preview: RequestHandler, tokens: string[], limits: HttpLimits): void {
  // The scenarios wait for a booking and a sweep: they get the long budget.
  app.use(
    '/preview/api',
    authenticatedApi(tokens, limits, () => limits.syncTimeoutMs),
    jsonBodies(),
  );
  app.use('/preview', preview);
}
