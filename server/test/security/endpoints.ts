/**
 * What each /v1 operation accepts, as the fuzz needs it: a valid request to start from, and the
 * invalid values of each of its inputs. Every generated case changes a valid request in one way
 * that makes it invalid, so every answer must be a 4xx; valid requests are not generated at all.
 */
import fc from 'fast-check';
import { invalidId, invalidIdSegment } from './ids';

export interface Base {
  opportunityId: string;
  accountId: string;
  userId: string;
}

export interface EndpointSpec {
  method: 'GET' | 'POST';
  /** OpenAPI template */
  path: string;
  /** The path with a valid id (or none). */
  validPath(base: Base): string;
  /** The prefix of the {id} parameter ('int' for a dead letter's number). */
  idKind?: string;
  /** A valid query to start from. */
  validQuery(base: Base): Record<string, string>;
  /** Invalid values for each query parameter it knows. */
  queryValues: Record<string, fc.Arbitrary<string>>;
  /** A valid body (undefined: none). */
  validBody?(base: Base): unknown;
  /** Bodies its validator must refuse. */
  invalidBodies: (base: Base) => fc.Arbitrary<unknown>;
}

/** Numbers as text that are not whole decimal numbers, and numbers out of range. */
const notWholeNumber = fc.constantFrom(
  '',
  ' ',
  ' 5',
  '5 ',
  '+5',
  '-1',
  '1.5',
  '5.0',
  '1e2',
  '0x10',
  '0b1',
  'NaN',
  'Infinity',
  '١٢',
  '５',
  '%00',
  '5%00',
  '10abc',
  "1' OR '1'='1",
);
const wholeOutside = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: max + 1, max: max + 1000 }).map(String),
    fc.bigInt({ min: BigInt(max) + 1n, max: 10n ** 30n }).map(String),
    fc.integer({ min: -(2 ** 31), max: min - 1 }).map(String),
  );
const numberParam = (min: number, max: number) => fc.oneof(notWholeNumber, wholeOutside(min, max));
const notBoolean = fc.constantFrom('', 'TRUE', 'True', '1', '0', 'yes', 'on', 'false ', 'null', 'true%00');
const text = fc.string({ unit: 'grapheme', maxLength: 60 });
/** Text with a control character between two letters (so trimming cannot remove it). */
const controlText = fc
  .tuple(text, fc.integer({ min: 0, max: 31 }), text)
  .map(([a, c, b]) => `${a}x${String.fromCharCode(c)}x${b}`);
const notSome = (allowed: string[]) =>
  fc
    .oneof(text, fc.constantFrom(...allowed.map((a) => a.toUpperCase()), ...allowed.map((a) => ` ${a}`)))
    .filter((v) => !allowed.includes(v));

/** JSON that is not an object: every body validator starts with an object. */
const notAnObject = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), fc.constant([]));
/** Values of the wrong type for a string field. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);
/** A non-empty object that is not `{}` (for routes that take no body). */
const someObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), {
  minKeys: 1,
  maxKeys: 5,
});
const noBodyAccepted = () => fc.oneof(someObject, notAnObject);

const closedWon = (b: Base) => ({ type: 'opportunity.closed_won', opportunityId: b.opportunityId });

function invalidEvent(b: Base): fc.Arbitrary<unknown> {
  return fc.oneof(
    notSome(['opportunity.closed_won', 'account.erp_customer_changed']).map((type) => ({ ...closedWon(b), type })),
    invalidId('006').map((opportunityId) => ({ ...closedWon(b), opportunityId })),
    notAString.map((opportunityId) => ({ ...closedWon(b), opportunityId })),
    invalidId('001').map((accountId) => ({ type: 'account.erp_customer_changed', accountId })),
    fc.constant({ type: 'account.erp_customer_changed', opportunityId: b.opportunityId }),
    invalidId('005').map((userId) => ({ ...closedWon(b), userId })),
    fc.constant({ type: 'opportunity.closed_won' }),
    fc.constant({}),
  );
}

export const ENDPOINTS: EndpointSpec[] = [
  {
    method: 'POST',
    path: '/v1/events',
    validPath: () => '/v1/events',
    validQuery: () => ({}),
    queryValues: {},
    validBody: closedWon,
    invalidBodies: (b) =>
      fc.oneof(
        invalidEvent(b),
        fc
          .array(invalidEvent(b), { minLength: 1, maxLength: 5 })
          .map((events) => ({ events: [closedWon(b), ...events] })),
        fc.constant({ events: [] }),
        fc.constant({ events: Array.from({ length: 201 }, () => closedWon(b)) }),
        notAString.map((events) => ({ events })),
        fc.constantFrom('5', '[]', '{}').map((events) => ({ events })),
        someObject.map((extra) => ({ events: [closedWon(b)], ...extra, x: 1 })),
        notAnObject,
      ),
  },
  {
    method: 'POST',
    path: '/v1/opportunities/{id}/book',
    idKind: '006',
    validPath: (b) => `/v1/opportunities/${b.opportunityId}/book`,
    validQuery: () => ({}),
    queryValues: {},
    validBody: () => ({ customerResolution: 'auto' }),
    invalidBodies: () =>
      fc.oneof(
        notSome(['auto', 'create']).map((customerResolution) => ({ customerResolution })),
        notAString.map((customerResolution) => ({ customerResolution })),
        invalidId('005').map((userId) => ({ userId })),
        someObject.filter((o) => Object.keys(o).some((k) => k !== 'userId' && k !== 'customerResolution')),
        notAnObject,
      ),
  },
  {
    method: 'GET',
    path: '/v1/accounts/{id}/pulse',
    idKind: '001',
    validPath: (b) => `/v1/accounts/${b.accountId}/pulse`,
    validQuery: () => ({ invoicesLimit: '10' }),
    queryValues: {
      invoicesLimit: numberParam(1, 50),
      invoicesOffset: numberParam(0, 100_000),
      paymentsLimit: numberParam(1, 50),
      paymentsOffset: numberParam(0, 100_000),
      refresh: notBoolean,
    },
    invalidBodies: () => fc.oneof(someObject, notAnObject),
  },
  {
    method: 'GET',
    path: '/v1/opportunities/{id}/billing',
    idKind: '006',
    validPath: (b) => `/v1/opportunities/${b.opportunityId}/billing`,
    validQuery: (b) => ({ accountId: b.accountId, amount: '1250.00', currency: 'USD' }),
    queryValues: {
      accountId: invalidId('001'),
      amount: fc.constantFrom(
        '',
        '-1',
        '1,250.00',
        '1.23456',
        '1e3',
        '0x10',
        'NaN',
        '123456789012345',
        '.5',
        '5.',
        '١٢',
        "1' OR '1'='1",
      ),
      currency: fc.constantFrom('', 'usd', 'US', 'USDD', 'U$D', '€', '%00', "USD' --"),
    },
    invalidBodies: () => fc.oneof(someObject, notAnObject),
  },
  {
    method: 'GET',
    path: '/v1/dashboards/forecast-vs-actual',
    validPath: () => '/v1/dashboards/forecast-vs-actual',
    validQuery: () => ({ from: '2026-01', to: '2026-03' }),
    queryValues: {
      from: fc.constantFrom(
        '',
        '2026',
        '2026-13',
        '2026-00',
        '2026-Q0',
        '2026-Q5',
        '1899-01',
        '26-01',
        '2026/01',
        '2026-1',
      ),
      to: fc.constantFrom('2025-12', '2026-1', '2026-Q', '9999-12', 'now', "2026-03' OR '1'='1"),
      grain: notSome(['month', 'quarter']),
      groupBy: notSome(['period', 'owner', 'leadSource']),
      ownerId: invalidId('005'),
      leadSource: fc.oneof(
        controlText,
        fc.constant(''),
        fc.constant('   '),
        fc.string({ maxLength: 40 }).map((s) => `${'x'.repeat(256)}${s}`),
      ),
      convert: notBoolean,
    },
    invalidBodies: () => fc.oneof(someObject, notAnObject),
  },
  {
    method: 'GET',
    path: '/v1/backfill/accounts',
    validPath: () => '/v1/backfill/accounts',
    validQuery: () => ({ limit: '5' }),
    queryValues: { limit: numberParam(1, 200), after: invalidId('001') },
    invalidBodies: () => fc.oneof(someObject, notAnObject),
  },
  {
    method: 'POST',
    path: '/v1/backfill/links',
    validPath: () => '/v1/backfill/links',
    validQuery: () => ({}),
    queryValues: {},
    validBody: (b) => ({ links: [{ accountId: b.accountId, erpCustomerId: '1' }] }),
    invalidBodies: (b) => {
      const link = { accountId: b.accountId, erpCustomerId: '1' };
      return fc.oneof(
        fc.constant({ links: [] }),
        fc.constant({ links: [link, link] }),
        fc.constant({ links: Array.from({ length: 201 }, () => link) }),
        invalidId('001').map((accountId) => ({ links: [{ ...link, accountId }] })),
        fc.constantFrom('', '   ', 'x'.repeat(65)).map((erpCustomerId) => ({ links: [{ ...link, erpCustomerId }] })),
        notAString.map((erpCustomerId) => ({ links: [{ ...link, erpCustomerId }] })),
        someObject.map((extra) => ({ links: [{ ...link, ...extra, unexpected: true }] })),
        notAString.map((links) => ({ links })),
        fc.constant({}),
        notAnObject,
      );
    },
  },
  ...['/v1/sync/opportunities', '/v1/sync/financials'].map((path): EndpointSpec => ({
    method: 'POST',
    path,
    validPath: () => path,
    validQuery: () => ({}),
    queryValues: {},
    invalidBodies: noBodyAccepted,
  })),
  {
    method: 'GET',
    path: '/v1/sync/status',
    validPath: () => '/v1/sync/status',
    validQuery: () => ({}),
    queryValues: {},
    invalidBodies: () => fc.oneof(someObject, notAnObject),
  },
  {
    method: 'GET',
    path: '/v1/sync/dead-letters',
    validPath: () => '/v1/sync/dead-letters',
    validQuery: () => ({ limit: '10' }),
    queryValues: { limit: numberParam(1, 500), offset: numberParam(0, 1_000_000) },
    invalidBodies: () => fc.oneof(someObject, notAnObject),
  },
  {
    method: 'POST',
    path: '/v1/sync/dead-letters/{id}/replay',
    idKind: 'int',
    // No dead letter has this number: a well-formed id answers 404, and nothing is replayed.
    validPath: () => '/v1/sync/dead-letters/2147480000/replay',
    validQuery: () => ({}),
    queryValues: {},
    invalidBodies: noBodyAccepted,
  },
];

/** An invalid {id} segment for this endpoint. */
export function invalidPathId(spec: EndpointSpec): fc.Arbitrary<string> {
  if (spec.idKind === 'int') {
    return fc.oneof(
      numberParam(1, 2_147_483_647).map((v) => encodeURIComponent(v)),
      fc.integer({ min: 1, max: 2_000_000_000 }).map(String), // well-formed, but no such dead letter: 404
      fc.constantFrom('..', '%00', '%E0%A4%A', '1%2f..', '1;2'),
    );
  }
  return invalidIdSegment(spec.idKind as string);
}
