/** What the data routes share: the emulator's parts and the small request readers. */
import type { Request } from 'express';
import type { QueryCursors } from '../cursors';
import { notFound, requestError } from '../errors';
import { normalizeId } from '../ids';
import type { Org } from '../org';
import type { ObjectDef } from '../schema';
import type { Tokens } from './auth';
import type { Faults, Meter } from './metering';

export interface AppContext {
  org: Org;
  tokens: Tokens;
  meter: Meter;
  faults: Faults;
  cursors: QueryCursors;
  queryBatchSize: number;
  dailyApiLimit: number;
}

export const MIN_API_VERSION = 31;
export const MAX_API_VERSION = 66;

/** `59.0` from the `/services/data/v59.0/...` path. */
export function apiVersion(req: Request): string {
  return pathParam(req, 'version').replace(/^v/, '');
}

/** A named path segment (Express 5 types allow arrays for wildcards; ours are single segments). */
export function pathParam(req: Request, name: string): string {
  const value: unknown = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

export function versionNumber(req: Request): number {
  return Number(apiVersion(req));
}

/** A JSON object body, or the API's JSON_PARSER_ERROR. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) {
    throw requestError(
      400,
      'JSON_PARSER_ERROR',
      'The HTTP entity body is required, but this request has no entity body.',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw requestError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of sobject from ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'} token`,
    );
  }
  return body as Record<string, unknown>;
}

/** The object named in a resource path: unknown names are "resource does not exist", as in a real org. */
export function pathObject(ctx: AppContext, type: string | undefined): ObjectDef {
  const object = ctx.org.schema.object(type ?? '');
  if (!object) throw notFound();
  return object;
}

/**
 * A record id from a resource path. Something that is not id-shaped is read by Salesforce as an
 * external id field name; an id-shaped value of another object or with a bad checksum is malformed.
 */
export function pathId(object: ObjectDef, raw: string | undefined): string {
  const text = raw ?? '';
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(text)) {
    throw requestError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${text}`);
  }
  const id = normalizeId(text);
  if (!id || id.slice(0, 3) !== object.keyPrefix) throw requestError(400, 'MALFORMED_ID', `malformed id ${text}`);
  return id;
}

export function queryParam(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  return typeof value === 'string' ? value : undefined;
}
