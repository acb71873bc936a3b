/** Runs one SOQL query over the store: parse, filter, order, page window, project. */
import type { Query } from '@jetstreamapp/soql-parser-js';
import { unsupportedTypeMessage } from '../errors';
import { normalizeId } from '../ids';
import type { JsonRecord } from '../records';
import type { ObjectDef, Row } from '../schema';
import { runAggregate } from './aggregate';
import { parseSoql, queryError, type QueryContext } from './context';
import { comparable, type Comparable } from './literals';
import { compileOrder } from './order';
import { readPath, resolvePath, splitPath } from './paths';
import { compileSelection, project } from './select';
import { compileWhere, idShortcut, type SemiJoin } from './where';

export interface QueryOutput {
  totalSize: number;
  records: JsonRecord[];
}

const MAX_OFFSET = 2000;

function resolveObject(ctx: QueryContext, name: string | undefined): ObjectDef {
  const object = name ? ctx.schema.object(name) : undefined;
  if (!object) throw queryError(ctx, 'INVALID_TYPE', name ?? '', unsupportedTypeMessage(name ?? ''));
  return object;
}

function isAggregate(query: Query): boolean {
  return (
    query.groupBy !== undefined ||
    (query.fields ?? []).some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn === true)
  );
}

function isCountOnly(query: Query): boolean {
  const [only, ...rest] = query.fields ?? [];
  return (
    rest.length === 0 &&
    only?.type === 'FieldFunctionExpression' &&
    only.functionName.toUpperCase() === 'COUNT' &&
    only.parameters.length === 0 &&
    !query.groupBy
  );
}

/** The live (or, for queryAll, all) rows matching the WHERE clause, in Id order. */
function matchingRows(ctx: QueryContext, object: ObjectDef, query: Query, semiJoin: SemiJoin): Row[] {
  const where = compileWhere(ctx, object, query.sObjectAlias, query.where, semiJoin);
  const ids = idShortcut(query.where, (raw) => normalizeId(raw));
  const candidates: Iterable<Row> = ids
    ? ids.map((id) => ctx.store.get(object.name, id)).filter((r): r is Row => r !== undefined)
    : ctx.store.rows(object.name);
  const out: Row[] = [];
  for (const row of candidates) {
    if ((ctx.includeDeleted || row.IsDeleted !== true) && where(row)) out.push(row);
  }
  return out;
}

/** `AccountId IN (SELECT Id FROM Account WHERE ...)`: the inner query's single column. */
function semiJoinValues(ctx: QueryContext, inner: Query): Set<Comparable> {
  const object = resolveObject(ctx, inner.sObject);
  const [only, ...rest] = inner.fields ?? [];
  if (!only || rest.length > 0 || (only.type !== 'Field' && only.type !== 'FieldRelationship')) {
    throw queryError(ctx, 'MALFORMED_QUERY', 'SELECT', 'a semi join sub-select must select exactly one field');
  }
  const text = only.type === 'Field' ? only.field : [...only.relationships, only.field].join('.');
  const path = resolvePath(ctx, object, splitPath(text, inner.sObjectAlias));
  const values = new Set<Comparable>();
  for (const row of matchingRows(ctx, object, inner, (q) => semiJoinValues(ctx, q))) {
    const v = comparable(path.field, readPath(ctx, row, path));
    if (v !== null) values.add(v);
  }
  return values;
}

export function runQuery(ctx: QueryContext): QueryOutput {
  const query = parseSoql(ctx.soql);
  const object = resolveObject(ctx, query.sObject);
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw queryError(ctx, 'NUMBER_OUTSIDE_VALID_RANGE', 'OFFSET', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
  const semiJoin: SemiJoin = (inner) => semiJoinValues(ctx, inner);
  const alias = query.sObjectAlias;
  if (isCountOnly(query)) {
    const rows = matchingRows(ctx, object, query, semiJoin);
    const offset = query.offset ?? 0;
    const count = Math.max(0, Math.min(rows.length - offset, query.limit ?? Infinity));
    return { totalSize: count, records: [] };
  }
  if (isAggregate(query)) {
    const records = runAggregate(ctx, object, alias, query, matchingRows(ctx, object, query, semiJoin));
    return { totalSize: records.length, records };
  }
  // Compile the select list before touching rows so a bad column fails even on an empty table.
  const selection = compileSelection(ctx, object, alias, query.fields ?? [], semiJoin);
  const order = compileOrder(ctx, object, alias, query.orderBy);
  let rows = matchingRows(ctx, object, query, semiJoin);
  if (order) rows.sort(order);
  const offset = query.offset ?? 0;
  rows = rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  return { totalSize: rows.length, records: rows.map((r) => project(ctx, selection, r)) };
}
