/**
 * Whole requests for the fuzz: for one endpoint, a valid request changed in exactly one way that
 * makes it invalid (a class per way), so the expected answer is always a 4xx with a JSON error.
 */
import fc from 'fast-check';
import type { RawRequest } from './rawHttp';
import { invalidPathId, type Base, type EndpointSpec } from './endpoints';

export type CaseClass =
  | 'path-id'
  | 'query-value'
  | 'query-unknown-key'
  | 'query-duplicate-key'
  | 'body-schema'
  | 'malformed-json'
  | 'content-type'
  | 'charset-encoding'
  | 'oversize'
  | 'deep-nesting'
  | 'method'
  | 'route'
  | 'header-overflow';

export interface FuzzCase extends RawRequest {
  class: CaseClass;
  body?: string;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

function queryString(pairs: Array<[string, string]>): string {
  if (pairs.length === 0) return '';
  return `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** A request as the endpoint takes it (valid), to be changed in one way. */
function validRequest(spec: EndpointSpec, base: Base, query = spec.validQuery(base)): FuzzCase {
  const body = spec.validBody?.(base);
  return {
    class: 'body-schema',
    method: spec.method,
    path: spec.validPath(base) + queryString(Object.entries(query)),
    headers: body === undefined ? {} : { ...JSON_TYPE },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

const bom = fc.boolean().map((b) => (b ? '\uFEFF' : ''));

const MALFORMED = fc.oneof(
  fc.constantFrom(
    '{',
    '{"type": ',
    '{"events": [}',
    "{'type': 'opportunity.closed_won'}",
    '{"a":1,}',
    '{"a": NaN}',
    '{"a": undefined}',
    '{"a": 0x10}',
    '{"a": 1}{"b": 2}',
    '{"a": "\\x00"}',
    '{"a": "\u0000"}',
    '"just a string"',
    '12',
    'true',
    'null',
    '\u0000',
    '{"a": "\\ud800"}garbage',
    '%7B%7D',
    '<xml/>',
  ),
  // Arbitrary text that happens not to be JSON.
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((t) => {
    try {
      const v: unknown = JSON.parse(t.replace(/^\uFEFF/, ''));
      return typeof v !== 'object' || v === null; // strict parsing refuses scalars too
    } catch {
      return true;
    }
  }),
);

const WRONG_TYPES = fc.constantFrom(
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonp',
  'application/json5',
  'image/png',
  'json',
);

export function caseFor(spec: EndpointSpec, base: Base): fc.Arbitrary<FuzzCase> {
  const valid = validRequest(spec, base);
  const withBody = (body: string, headers: Record<string, string> = JSON_TYPE): FuzzCase => ({
    ...valid,
    headers: { ...headers },
    body,
  });
  const knownKeys = Object.keys(spec.queryValues);
  const options: Array<fc.Arbitrary<FuzzCase>> = [];

  if (spec.idKind) {
    options.push(
      invalidPathId(spec).map((segment) => ({
        ...valid,
        class: 'path-id',
        path: spec.path.replace('{id}', segment) + queryString(Object.entries(spec.validQuery(base))),
      })),
    );
  }
  if (knownKeys.length > 0) {
    const oneBadValue = fc
      .constantFrom(...knownKeys)
      .chain((k) => (spec.queryValues[k] as fc.Arbitrary<string>).map((v) => [k, v] as [string, string]));
    options.push(
      oneBadValue.map(([k, v]) => ({
        ...validRequest(spec, base, { ...spec.validQuery(base), [k]: v }),
        class: 'query-value',
      })),
    );
    options.push(
      fc.constantFrom(...knownKeys).map((k) => {
        const query = spec.validQuery(base);
        const value = query[k] ?? 'x';
        const path = validRequest(spec, base).path;
        return {
          ...valid,
          class: 'query-duplicate-key',
          path: `${path}${path.includes('?') ? '&' : '?'}${k}=${encodeURIComponent(value)}&${k}=${encodeURIComponent(value)}`,
        };
      }),
    );
  }
  options.push(
    fc
      .tuple(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
      )
      .filter(([k]) => !knownKeys.includes(k))
      .map(([k, v]) => ({
        ...validRequest(spec, base, { ...spec.validQuery(base), [k]: v }),
        class: 'query-unknown-key',
      })),
  );
  options.push(
    fc
      .tuple(spec.invalidBodies(base), bom)
      .map(([body, mark]) => ({ ...withBody(mark + JSON.stringify(body)), class: 'body-schema' })),
  );
  options.push(fc.tuple(MALFORMED, bom).map(([text, mark]) => ({ ...withBody(mark + text), class: 'malformed-json' })));
  options.push(
    fc
      .tuple(WRONG_TYPES, fc.constantFrom(valid.body ?? '{}', 'type=opportunity.closed_won', '<a/>'))
      .map(([type, body]) => ({ ...withBody(body, { 'Content-Type': type }), class: 'content-type' })),
  );
  options.push(
    fc
      .oneof(
        fc.constantFrom('utf-16', 'utf-16le', 'latin1', 'iso-8859-1', 'ascii', 'x-unknown').map((charset) => ({
          'Content-Type': `application/json; charset=${charset}`,
        })),
        fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-unknown', 'gzip, gzip').map((encoding) => ({
          ...JSON_TYPE,
          'Content-Encoding': encoding,
        })),
      )
      .map((headers) => ({ ...withBody(valid.body ?? '{"a":1}', headers), class: 'charset-encoding' })),
  );
  options.push(
    fc
      .oneof(
        { weight: 9, arbitrary: fc.integer({ min: 100 * 1024 + 1, max: 200 * 1024 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1024 * 1024, max: 1100 * 1024 }) },
      )
      .map((size) => ({ ...withBody(`{"padding":"${'x'.repeat(size)}"}`), class: 'oversize' })),
  );
  options.push(
    fc
      .tuple(fc.integer({ min: 1000, max: 10_000 }), fc.boolean(), fc.constantFrom('', 'events', 'links', 'userId'))
      .map(([depth, arrays, key]) => {
        const deep = arrays
          ? `${'['.repeat(depth)}${']'.repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        return { ...withBody(key ? `{"${key}":${deep}}` : deep), class: 'deep-nesting' as const };
      }),
  );
  const allowed = [spec.method, ...(spec.method === 'GET' ? ['HEAD'] : [])];
  options.push(
    fc
      .constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE')
      .filter((m) => !allowed.includes(m))
      .map((method) => ({ ...valid, method, class: 'method' })),
  );
  options.push(routeCase(valid));
  return fc.oneof(...options);
}

/** Paths next to a real one that are no route: traversal, encoded separators, extra segments. */
function routeCase(valid: FuzzCase): fc.Arbitrary<FuzzCase> {
  const [path, query = ''] = valid.path.split('?');
  const q = query ? `?${query}` : '';
  const p = path as string;
  const parent = p.slice(0, p.lastIndexOf('/'));
  const last = p.slice(p.lastIndexOf('/') + 1);
  return fc
    .oneof(
      fc.constantFrom(
        `${p}/..`,
        `${p}/.`,
        `${p}%2f`,
        `${parent}%2f${last}`,
        `${p}%00`,
        `${p}.json`,
        `${p}s`,
        `${p};x=1`,
        `${p}/extra`,
        `/v1/..${p.slice(3)}`,
        `/v1/%2e%2e${p.slice(3)}`,
        `/v1/..%2f..%2fhealthz`,
        `/v1/../metrics`,
        `/v1/%2e%2e/openapi.json`,
        `/v1${p}`,
        `/v2${p.slice(3)}`,
        `/v1/`,
        `/v1`,
      ),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((seg) => `${p}/${encodeURIComponent(seg)}`),
    )
    .map((route) => ({ ...valid, path: route + q, class: 'route' as const }));
}

/** A header block past Node's 16 kB limit (answered by the server's clientError handler). */
export const headerOverflow = (valid: FuzzCase): FuzzCase => ({
  ...valid,
  headers: { ...valid.headers, 'X-Padding': 'x'.repeat(20_000) },
  class: 'header-overflow',
});
