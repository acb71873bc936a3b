/**
 * The HTTP face of the backend. Routes are thin: they validate, call one function, answer.
 * Everything under /v1 needs a bearer token; bodies are JSON of at most 100 kB.
 */
import express, { type Express } from 'express';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../log';
import type { Sql } from '../store/db';
import { bearerAuth } from './auth';
import { errorHandler, jsonBodiesOnly, notFound } from './errors';
import { openApiDocument } from './openapi';
import { eventsRouter } from './routes/events';
import { healthRouter, type ReadinessCheck } from './routes/health';
import { opportunitiesRouter } from './routes/opportunities';
import { syncRouter, type SyncStatusExtras } from './routes/sync';

export const MAX_BODY = '100kb';

export interface AppDeps {
  sql: Sql;
  queue: JobQueue;
  apiTokens: string[];
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  status: SyncStatusExtras;
  version: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(healthRouter(deps.readiness));
  const openapi = openApiDocument(deps.version);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  const v1 = express.Router();
  v1.use(bearerAuth(deps.apiTokens));
  v1.use(jsonBodiesOnly);
  v1.use(express.json({ limit: MAX_BODY, strict: true, type: ['application/json', 'application/*+json'] }));
  v1.use('/events', eventsRouter(deps.queue));
  v1.use('/opportunities', opportunitiesRouter(deps.queue));
  v1.use('/sync', syncRouter(deps.sql, deps.queue, deps.status));
  v1.use(notFound);
  app.use('/v1', v1);

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
