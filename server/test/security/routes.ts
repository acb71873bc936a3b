/** The /v1 operations: from the OpenAPI document, and (to check it covers them) from the app's routers. */
import type { Express } from 'express';
import { openApiDocument } from '../../src/http/openapi';

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /v1/opportunities/{id}/book */
  path: string;
}

export function documentedOperations(): Operation[] {
  const paths = openApiDocument('test').paths as Record<string, object>;
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, operations]) => Object.keys(operations).map((m) => ({ method: m.toUpperCase(), path })));
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
}

/** Every route mounted under /v1, read from Express's router stack (`:id` written `{id}`). */
export function mountedOperations(app: Express): Operation[] {
  const root = (app as unknown as { router: { stack: LayerLike[] } }).router.stack;
  const v1 = root.find((l) => l.rawPath === '/v1' && l.handle.stack);
  if (!v1?.handle.stack) throw new Error('no /v1 router mounted');
  const found: Operation[] = [];
  for (const mount of v1.handle.stack) {
    if (typeof mount.rawPath !== 'string' || !mount.handle.stack) continue;
    for (const layer of mount.handle.stack) {
      if (!layer.route) continue;
      const suffix = layer.route.path === '/' ? '' : layer.route.path;
      for (const method of Object.keys(layer.route.methods).filter((m) => layer.route?.methods[m])) {
        found.push({ method: method.toUpperCase(), path: `/v1${mount.rawPath}${suffix}`.replace(/:(\w+)/g, '{$1}') });
      }
    }
  }
  return found;
}

export const key = (op: Operation) => `${op.method} ${op.path}`;
