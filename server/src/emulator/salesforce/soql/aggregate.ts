/**
 * Aggregate queries: `SELECT StageName, COUNT(Id) n, SUM(Amount) FROM Opportunity GROUP BY
 * StageName`. Answers AggregateResult records; unaliased aggregates are named expr0, expr1, ...
 * Sums and averages are exact decimals.
 */
import Decimal from 'decimal.js';
import type { FieldFunctionExpression, OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import type { JsonRecord } from '../records';
import type { ObjectDef, Row, Value } from '../schema';
import { queryError, type QueryContext } from './context';
import { comparable } from './literals';
import { readPath, resolvePath, splitPath, type FieldPath } from './paths';

interface Column {
  key: string;
  raw: string;
  compute: (rows: Row[]) => Value;
}

const Exact = Decimal.clone({ precision: 60 });

function valuesOf(ctx: QueryContext, rows: Row[], path: FieldPath): Value[] {
  return rows.map((r) => readPath(ctx, r, path)).filter((v) => v !== null);
}

function extreme(path: FieldPath, values: Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const v of values) {
    if (best === null) best = v;
    else {
      const a = comparable(path.field, v);
      const b = comparable(path.field, best);
      if (a !== null && b !== null && (a < b ? -1 : a > b ? 1 : 0) * sign > 0) best = v;
    }
  }
  return best;
}

function aggregateColumn(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  f: FieldFunctionExpression,
  key: string,
): Column {
  const name = f.functionName.toUpperCase();
  const param = f.parameters[0];
  const raw = f.rawValue ?? name;
  if (name === 'COUNT' && param === undefined) return { key, raw, compute: (rows) => rows.length };
  if (typeof param !== 'string') throw queryError(ctx, 'MALFORMED_QUERY', name, `unexpected token: '${name}'`);
  const path = resolvePath(ctx, root, splitPath(param, alias));
  const sum = (values: Value[]): Decimal =>
    values.reduce<Decimal>((acc, v) => acc.plus(new Exact(Number(v))), new Exact(0));
  const byName: Record<string, (rows: Row[]) => Value> = {
    COUNT: (rows) => valuesOf(ctx, rows, path).length,
    COUNT_DISTINCT: (rows) => new Set(valuesOf(ctx, rows, path).map((v) => comparable(path.field, v))).size,
    SUM: (rows) => {
      const values = valuesOf(ctx, rows, path);
      return values.length === 0 ? null : sum(values).toNumber();
    },
    AVG: (rows) => {
      const values = valuesOf(ctx, rows, path);
      return values.length === 0 ? null : sum(values).div(values.length).toNumber();
    },
    MIN: (rows) => extreme(path, valuesOf(ctx, rows, path), -1),
    MAX: (rows) => extreme(path, valuesOf(ctx, rows, path), 1),
  };
  const compute = byName[name];
  if (!compute) throw queryError(ctx, 'MALFORMED_QUERY', f.functionName, `unexpected token: '${f.functionName}'`);
  return { key, raw, compute };
}

function columns(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  query: Query,
  groups: FieldPath[],
): Column[] {
  let expr = 0;
  return (query.fields ?? []).map((f): Column => {
    if (f.type === 'FieldFunctionExpression') {
      return aggregateColumn(ctx, root, alias, f, f.alias ?? `expr${expr++}`);
    }
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const text = f.type === 'Field' ? f.field : [...f.relationships, f.field].join('.');
      const path = resolvePath(ctx, root, splitPath(text, alias));
      if (!groups.some((g) => g.field === path.field && g.hops.length === path.hops.length)) {
        throw queryError(ctx, 'MALFORMED_QUERY', text, `Field must be grouped or aggregated: ${path.field.name}`);
      }
      const key = ('alias' in f && typeof f.alias === 'string' ? f.alias : undefined) ?? path.field.name;
      return { key, raw: text, compute: (rows) => (rows[0] ? readPath(ctx, rows[0], path) : null) };
    }
    throw queryError(ctx, 'MALFORMED_QUERY', 'SELECT', 'unsupported field in an aggregate query');
  });
}

function sortGroups(
  records: JsonRecord[],
  cols: Column[],
  orderBy: OrderByClause | OrderByClause[] | undefined,
): JsonRecord[] {
  const clauses = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  const keys = clauses.map((c) => {
    const raw = 'field' in c ? c.field : (c.fn.rawValue ?? '');
    const col = cols.find(
      (k) => k.raw.toLowerCase() === raw.toLowerCase() || k.key.toLowerCase() === raw.toLowerCase(),
    );
    return { key: col?.key ?? raw, desc: c.order === 'DESC' };
  });
  return [...records].sort((a, b) => {
    for (const k of keys) {
      const va = a[k.key] as Value | undefined;
      const vb = b[k.key] as Value | undefined;
      if (va === vb) continue;
      if (va === null || va === undefined) return k.desc ? 1 : -1;
      if (vb === null || vb === undefined) return k.desc ? -1 : 1;
      const c = String(va).toLowerCase() < String(vb).toLowerCase() ? -1 : 1;
      const n = typeof va === 'number' && typeof vb === 'number' ? va - vb : c;
      if (n !== 0) return k.desc ? -n : n;
    }
    return 0;
  });
}

export function runAggregate(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  query: Query,
  rows: Row[],
): JsonRecord[] {
  if (query.having)
    throw queryError(ctx, 'MALFORMED_QUERY', 'HAVING', 'HAVING is not supported by the local Salesforce');
  const groupBy = query.groupBy === undefined ? [] : Array.isArray(query.groupBy) ? query.groupBy : [query.groupBy];
  const groups = groupBy.map((g) => {
    if (!('field' in g))
      throw queryError(ctx, 'MALFORMED_QUERY', 'GROUP', 'GROUP BY a function is not supported by the local Salesforce');
    return resolvePath(ctx, root, splitPath(g.field, alias));
  });
  const cols = columns(ctx, root, alias, query, groups);
  const buckets = new Map<string, Row[]>();
  if (groups.length === 0) buckets.set('', rows);
  for (const row of groups.length > 0 ? rows : []) {
    const key = JSON.stringify(groups.map((g) => comparable(g.field, readPath(ctx, row, g))));
    const bucket = buckets.get(key);
    if (bucket) bucket.push(row);
    else buckets.set(key, [row]);
  }
  const records = [...buckets.values()].map((bucket) => {
    const out: JsonRecord = { attributes: { type: 'AggregateResult' } };
    for (const col of cols) out[col.key] = col.compute(bucket);
    return out;
  });
  const sorted = sortGroups(records, cols, query.orderBy);
  const offset = query.offset ?? 0;
  return sorted.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
}
