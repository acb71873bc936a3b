/**
 * What stands in front of every authenticated API, in order: no caching of financial answers, the
 * failed-auth throttle, the bearer token, the per-client rate limit and the time budget; then JSON
 * bodies only, at most MAX_BODY. /v1 uses it, and so does the demo's /preview/api, so no API of
 * the backend is less protected than another.
 */
import express, { type Request, type RequestHandler } from 'express';
import type { HttpLimits } from '../config';
import { bearerAuth, tokenCheck } from './auth';
import { jsonBodiesOnly } from './errors';
import { authFailureLimit, noStore, rateLimitPerClient, timeBudget } from './hardening';

export const MAX_BODY = '100kb';

export function authenticatedApi(
  tokens: string[],
  limits: HttpLimits,
  budgetMs: (req: Request) => number,
): RequestHandler[] {
  return [
    noStore,
    authFailureLimit(limits, tokenCheck(tokens)),
    bearerAuth(tokens),
    rateLimitPerClient(limits),
    timeBudget(budgetMs),
  ];
}

export function jsonBodies(): RequestHandler[] {
  return [
    jsonBodiesOnly,
    express.json({ limit: MAX_BODY, strict: true, type: ['application/json', 'application/*+json'] }),
  ];
}
