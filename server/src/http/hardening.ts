/**
 * Standard HTTP hardening, configured in one place (HTTP_* variables, `HttpLimits`):
 * - security headers (helmet) strict enough for a JSON API that serves no HTML;
 * - per-client limits: a generous one for authenticated callers (the org's callouts, bursts of a
 *   thousand requests a second) and a tight one on failed authentications, which refuses the
 *   client's requests without a valid token for the rest of the minute (a valid token still passes);
 * - a time budget per request, answered 503 TIMEOUT rather than left hanging;
 * - JSON answers for what Node itself refuses before Express sees it (bad request line, huge headers).
 * Every refusal here is the same `{"error": {...}}` body as the rest of the API.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options } from 'express-rate-limit';
import helmet from 'helmet';
import type { HttpLimits } from '../config';
import { errorBody } from './errors';

const MINUTE_MS = 60_000;

/** Helmet's defaults, with a Content-Security-Policy for documents that must load nothing at all. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
  });
}

/** Financial data is never stored by a browser or a shared cache. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** The client a limit applies to: its address (an IPv6 client by its /56). */
export const clientKey = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

function tooMany(res: Response, retryAfterSeconds: number, message: string): void {
  res.setHeader('Retry-After', String(Math.max(1, retryAfterSeconds)));
  res.status(429).json(errorBody('RATE_LIMITED', message));
}

/** Authenticated requests per client per minute (express-rate-limit, in memory per instance). */
export function rateLimitPerClient(limits: HttpLimits): RequestHandler {
  return rateLimit({
    windowMs: MINUTE_MS,
    limit: limits.ratePerMinute,
    keyGenerator: clientKey,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.ceil((reset.getTime() - Date.now()) / 1000) : 60;
      tooMany(res, seconds, `More than ${limits.ratePerMinute} requests a minute from this client; slow down.`);
    },
  });
}

/**
 * Placed before authentication: a client past `authFailuresPerMinute` 401s gets 429 for every /v1
 * request with a wrong or missing token until its minute is over. A valid token always passes:
 * Salesforce's callouts leave from addresses many orgs share, and someone else's bad callouts must
 * never lock this org out (tokens are at least 16 characters, so the throttle is about noise and
 * load, not about making a guess findable). Only 401s count, when they are answered.
 */
export function authFailureLimit(limits: HttpLimits, authorized: (req: Request) => boolean): RequestHandler {
  const failures = new MemoryStore();
  const options: Pick<Options, 'windowMs'> = { windowMs: MINUTE_MS };
  failures.init(options as Options); // MemoryStore reads only windowMs
  return async (req, res, next) => {
    const key = clientKey(req);
    const seen = await failures.get(key);
    if (seen && seen.totalHits >= limits.authFailuresPerMinute && !authorized(req)) {
      const seconds = seen.resetTime ? Math.ceil((seen.resetTime.getTime() - Date.now()) / 1000) : 60;
      tooMany(res, seconds, 'Too many requests with an invalid token from this client; wait before trying again.');
      return;
    }
    res.once('finish', () => {
      if (res.statusCode === 401) void failures.increment(key);
    });
    next();
  };
}

/**
 * A request that has not been answered within its budget gets 503 TIMEOUT. The work it started may
 * still finish (a booking is queued, a sweep completes and is reported by /v1/sync/status); its
 * late answer is dropped by the error handler (`res.headersSent`).
 */
export function timeBudget(budgetMs: (req: Request) => number): RequestHandler {
  return (req, res, next) => {
    const ms = budgetMs(req);
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.setHeader('Retry-After', '5');
      res
        .status(503)
        .json(
          errorBody('TIMEOUT', `The request did not complete within ${ms} ms; it may still finish. Try again shortly.`),
        );
    }, ms);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request was not received in time'],
};

/**
 * Node's answer to a request it cannot parse (or that arrives too slowly), as JSON: the same
 * status Node would send, with the API's error body, then the connection is closed.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (err.code === 'ECONNRESET' && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [
    400,
    'BAD_REQUEST',
    'The request could not be read',
  ];
  const body = JSON.stringify(errorBody(code, message));
  const reason =
    status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Whole request (headers and body) within this long; slow clients must not hold sockets. */
export const REQUEST_RECEIVE_MS = 30_000;
/** Headers within this long (a slowloris sends them a byte at a time). */
export const HEADERS_RECEIVE_MS = 10_000;

/** The listening server's timeouts and its JSON answer to unreadable requests. */
export function hardenServer(server: Server, limits: HttpLimits): void {
  server.requestTimeout = REQUEST_RECEIVE_MS;
  server.headersTimeout = HEADERS_RECEIVE_MS;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on('clientError', answerClientError);
}
