/**
 * Errors as the API answers them: `{"error": {"code", "message", "field"}}`. A client's mistake is
 * a 4xx naming the field; only our own faults are 500s, and those never echo internals.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { errorClass, TransientError } from '../errors';
import type { Logger } from '../log';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, field?: string) {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** Parses `input` with `schema`, or throws a 400 naming the first offending field. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'path',
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = field ? `${field}: ${issue.message}` : issue.message;
  throw new ApiError(
    400,
    where === 'body' ? 'INVALID_BODY' : where === 'query' ? 'INVALID_QUERY' : 'INVALID_PATH',
    message,
    field ?? where,
  );
}

/**
 * A body that is not JSON is refused (415) rather than ignored: a client that sent its choice as
 * text/plain must learn it was not read.
 */
export const jsonBodiesOnly: RequestHandler = (req, res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && (req.method === 'GET' || req.method === 'HEAD')) {
    // A GET's body has no meaning; a client that sent its parameters there must learn they were not read.
    res.status(400).json(errorBody('BODY_NOT_ALLOWED', `A ${req.method} request takes no body`, 'body'));
    return;
  }
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    res
      .status(415)
      .json(
        errorBody('UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON (Content-Type: application/json)', 'body'),
      );
    return;
  }
  next();
};

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/** What body-parser's failures mean to a client (its errors carry a `type`). */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'BODY_TOO_LARGE', 'The request body is larger than 100 kB'],
  'entity.parse.failed': [400, 'INVALID_JSON', 'The request body is not valid JSON'],
  'entity.verify.failed': [400, 'INVALID_JSON', 'The request body is not valid JSON'],
  'charset.unsupported': [415, 'UNSUPPORTED_CHARSET', 'The request body must be UTF-8 JSON'],
  'encoding.unsupported': [415, 'UNSUPPORTED_ENCODING', 'The request body must not be compressed'],
  'request.aborted': [400, 'BODY_INCOMPLETE', 'The request body ended early'],
  'request.size.invalid': [400, 'BODY_INCOMPLETE', 'The request body does not match its Content-Length'],
};

/** Body-parser failures carry a `type`; a path that does not decode is a URIError; anything else unexpected is a 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) {
      // Already answered: the request ran past its time budget (503 TIMEOUT) and finished later.
      log.warn({ method: req.method, path: req.path, class: errorClass(err) }, 'late answer dropped');
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.field));
      return;
    }
    const known = BODY_ERRORS[String((err as { type?: unknown }).type)];
    if (known) {
      res.status(known[0]).json(errorBody(known[1], known[2], 'body'));
      return;
    }
    if (err instanceof URIError) {
      res.status(400).json(errorBody('INVALID_PATH', 'The path is not valid percent-encoded UTF-8', 'path'));
      return;
    }
    if (err instanceof TransientError) {
      // Not the client's mistake and not a bug: a part we depend on is unavailable right now.
      log.warn(
        { code: err.code, method: req.method, path: req.path },
        'request could not complete: a dependency is unavailable',
      );
      res.status(503).json(errorBody(err.code, 'The ERP or Salesforce did not answer as expected; try again shortly.'));
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json(errorBody('BAD_REQUEST', 'The request could not be read'));
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(errorBody('INTERNAL', 'The server could not complete the request; it has been logged.'));
  };
}
