/**
 * ORDER BY: several keys, ASC/DESC, NULLS FIRST/LAST (defaults: ASC puts nulls first, DESC last),
 * text compared case-insensitively. Ties keep Id order, as the store hands rows out in Id order.
 */
import type { OrderByClause } from '@jetstreamapp/soql-parser-js';
import type { ObjectDef, Row } from '../schema';
import { queryError, type QueryContext } from './context';
import { comparable, type Comparable } from './literals';
import { readPath, resolvePath, splitPath } from './paths';

export type RowComparator = (a: Row, b: Row) => number;

function compareValues(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compileOrder(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  orderBy: OrderByClause | OrderByClause[] | undefined,
): RowComparator | undefined {
  const clauses = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  if (clauses.length === 0) return undefined;
  const keys = clauses.map((clause) => {
    if (!('field' in clause) || typeof clause.field !== 'string') {
      throw queryError(
        ctx,
        'MALFORMED_QUERY',
        'ORDER',
        'ORDER BY on a function is only supported in aggregate queries',
      );
    }
    const path = resolvePath(ctx, root, splitPath(clause.field, alias));
    const desc = clause.order === 'DESC';
    const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : !desc;
    return { read: (row: Row) => comparable(path.field, readPath(ctx, row, path)), desc, nullsFirst };
  });
  return (a, b) => {
    for (const key of keys) {
      const va = key.read(a);
      const vb = key.read(b);
      if (va === null && vb === null) continue;
      if (va === null) return key.nullsFirst ? -1 : 1;
      if (vb === null) return key.nullsFirst ? 1 : -1;
      const c = compareValues(va, vb);
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  };
}
