/**
 * The methods each /v1 path answers, from the OpenAPI document (one list, the one clients read):
 * another method on a known path is 405 with `Allow` (not a 404, not Express's text answer), and
 * OPTIONS is answered 204 with `Allow` before any route sees it.
 */
import type { RequestHandler } from 'express';
import { errorBody } from './errors';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface PathMethods {
  pattern: RegExp;
  allow: string[];
}

/** `/v1/opportunities/{id}/book` → a pattern matching one segment per parameter, as Express routes do. */
function pathPattern(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`, 'i'); // Express matches paths case-insensitively, with or without a trailing slash
}

export function routeTable(paths: Record<string, object>, prefix: string): PathMethods[] {
  return Object.entries(paths)
    .filter(([template]) => template.startsWith(prefix))
    .map(([template, operations]) => {
      const methods = Object.keys(operations)
        .filter((m) => METHODS.includes(m))
        .map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      return { pattern: pathPattern(template), allow: methods };
    });
}

export function methodGuard(table: PathMethods[]): RequestHandler {
  return (req, res, next) => {
    const path = req.baseUrl + req.path;
    const route = table.find((r) => r.pattern.test(path));
    if (!route || route.allow.includes(req.method)) return next();
    res.setHeader('Allow', route.allow.join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    res
      .status(405)
      .json(
        errorBody('METHOD_NOT_ALLOWED', `${req.method} is not supported on ${path}; use ${route.allow.join(', ')}`),
      );
  };
}
