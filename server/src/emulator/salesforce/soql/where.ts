/**
 * WHERE clauses. The parser gives a right-leaning chain with parenthesis counts on the
 * conditions; we flatten it to tokens and parse it again with the usual precedence
 * (NOT > AND > OR), then compile every condition to a predicate over store rows.
 */
import type { Condition, FunctionExp, Query, ValueQueryCondition, WhereClause } from '@jetstreamapp/soql-parser-js';
import type { ObjectDef, Row } from '../schema';
import { parseDateTime } from '../values';
import { queryError, type QueryContext } from './context';
import { dateToMs } from './dates';
import { comparable, operand, type Comparable, type Operand } from './literals';
import { readPath, resolvePath, splitPath, type FieldPath } from './paths';

export type Predicate = (row: Row) => boolean;

/** Runs a semi-join subquery and returns the values of its single column. */
export type SemiJoin = (query: Query) => Set<Comparable>;

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: Condition | ValueQueryCondition };

function flatten(clause: WhereClause | undefined, out: Token[]): Token[] {
  if (!clause) return out;
  const left = clause.left as
    (Partial<Condition> & { openParen?: number; closeParen?: number; field?: string; fn?: unknown }) | null;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    if (left.field !== undefined || left.fn !== undefined) out.push({ cond: left as Condition });
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
  }
  if ('operator' in clause && clause.operator) {
    out.push(clause.operator);
    flatten('right' in clause ? clause.right : undefined, out);
  }
  return out;
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One comparison; SOQL's null rules: `!=` matches nulls, ordering comparisons never do. */
function test(op: string, value: Comparable | null, o: Operand): boolean {
  if (o.kind === 'null') return op === '=' ? value === null : op === '!=' ? value !== null : false;
  if (value === null) return op === '!=';
  if (o.kind === 'like') return o.re.test(String(value));
  if (o.kind === 'range') {
    const v = Number(value);
    const { start, end } = o.range;
    const inside = v >= start && v < end;
    const byOp: Record<string, boolean> = {
      '=': inside,
      '!=': !inside,
      '<': v < start,
      '<=': v < end,
      '>': v >= end,
      '>=': v >= start,
    };
    return byOp[op] ?? false;
  }
  const c = compare(value, o.key);
  const byOp: Record<string, boolean> = {
    '=': c === 0,
    '!=': c !== 0,
    '<': c < 0,
    '<=': c <= 0,
    '>': c > 0,
    '>=': c >= 0,
  };
  return byOp[op] ?? false;
}

function includes(value: Comparable | null, operands: Operand[]): boolean {
  if (value === null) return false;
  const have = new Set(String(value).split(';'));
  return operands.some(
    (o) =>
      o.kind === 'value' &&
      String(o.key)
        .split(';')
        .every((part) => have.has(part)),
  );
}

const DATE_PARTS: Record<string, (d: Date) => number> = {
  CALENDAR_YEAR: (d) => d.getUTCFullYear(),
  FISCAL_YEAR: (d) => d.getUTCFullYear(),
  CALENDAR_MONTH: (d) => d.getUTCMonth() + 1,
  FISCAL_MONTH: (d) => d.getUTCMonth() + 1,
  CALENDAR_QUARTER: (d) => Math.floor(d.getUTCMonth() / 3) + 1,
  FISCAL_QUARTER: (d) => Math.floor(d.getUTCMonth() / 3) + 1,
  DAY_IN_MONTH: (d) => d.getUTCDate(),
  DAY_IN_WEEK: (d) => d.getUTCDay() + 1,
  DAY_IN_YEAR: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  HOUR_IN_DAY: (d) => d.getUTCHours(),
  DAY_ONLY: (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
};

/** Date functions in conditions: `CALENDAR_YEAR(CloseDate) = 2026`, `DAY_ONLY(CreatedDate) = 2026-11-21`. */
function compileFunction(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  fn: FunctionExp,
  op: string,
  raw: string,
): Predicate {
  const name = (fn.functionName ?? '').toUpperCase();
  const part = DATE_PARTS[name];
  const param = fn.parameters?.[0];
  if (!part || typeof param !== 'string') throw queryError(ctx, 'MALFORMED_QUERY', name, `unexpected token: '${name}'`);
  const path = resolvePath(ctx, root, splitPath(param, alias));
  if (path.field.type !== 'date' && path.field.type !== 'datetime') {
    throw queryError(ctx, 'INVALID_FIELD', param, `${name} can only be applied to date or dateTime fields`);
  }
  const key = name === 'DAY_ONLY' ? dateToMs(raw) : Number(raw);
  return (row) => {
    const value = readPath(ctx, row, path);
    if (value === null) return op === '!=';
    const ms = path.field.type === 'date' ? dateToMs(String(value)) : (parseDateTime(String(value)) ?? NaN);
    return test(op, part(new Date(ms)), { kind: 'value', key });
  };
}

function compileCondition(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  cond: Condition | ValueQueryCondition,
  semiJoin: SemiJoin,
): Predicate {
  const c = cond as {
    field?: string;
    fn?: FunctionExp;
    operator: string;
    value?: string | string[];
    literalType?: string | string[];
    valueQuery?: Query;
  };
  const raws = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
  const types = Array.isArray(c.literalType) ? c.literalType : raws.map(() => c.literalType as string | undefined);
  if (c.fn) return compileFunction(ctx, root, alias, c.fn, c.operator, raws[0] ?? '');
  const path: FieldPath = resolvePath(ctx, root, splitPath(c.field ?? '', alias));
  const read = (row: Row): Comparable | null => comparable(path.field, readPath(ctx, row, path));
  const op = c.operator.toUpperCase();
  if (c.valueQuery) {
    const values = semiJoin(c.valueQuery);
    return (row) => {
      const v = read(row);
      const hit = v !== null && values.has(v);
      return op === 'NOT IN' ? !hit : hit;
    };
  }
  const operands = raws.map((raw, i) => operand(ctx, path, raw, types[i], op === 'LIKE'));
  if (op === 'IN') return (row) => operands.some((o) => test('=', read(row), o));
  if (op === 'NOT IN') return (row) => operands.every((o) => test('!=', read(row), o));
  if (op === 'INCLUDES') return (row) => includes(read(row), operands);
  if (op === 'EXCLUDES') return (row) => !includes(read(row), operands);
  const single = operands[0] ?? { kind: 'null' };
  if (op === 'LIKE') return (row) => test('LIKE', read(row), single);
  return (row) => test(op, read(row), single);
}

class ConditionParser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly compileLeaf: (cond: Condition | ValueQueryCondition) => Predicate,
    private readonly ctx: QueryContext,
  ) {}

  parse(): Predicate {
    const p = this.or();
    if (this.pos < this.tokens.length)
      throw queryError(this.ctx, 'MALFORMED_QUERY', '', 'unexpected token in WHERE clause');
    return p;
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.tokens[this.pos] === 'OR') {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.some((p) => p(row));
  }

  private and(): Predicate {
    const parts = [this.factor()];
    while (this.tokens[this.pos] === 'AND') {
      this.pos++;
      parts.push(this.factor());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.every((p) => p(row));
  }

  private factor(): Predicate {
    const token = this.tokens[this.pos++];
    if (token === 'NOT') {
      const inner = this.factor();
      return (row) => !inner(row);
    }
    if (token === '(') {
      const inner = this.or();
      if (this.tokens[this.pos++] !== ')')
        throw queryError(this.ctx, 'MALFORMED_QUERY', '', 'unbalanced parentheses in WHERE clause');
      return inner;
    }
    if (token && typeof token === 'object') return this.compileLeaf(token.cond);
    throw queryError(this.ctx, 'MALFORMED_QUERY', '', 'unexpected token in WHERE clause');
  }
}

export function compileWhere(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  where: WhereClause | undefined,
  semiJoin: SemiJoin,
): Predicate {
  if (!where) return () => true;
  const tokens = flatten(where, []);
  return new ConditionParser(tokens, (cond) => compileCondition(ctx, root, alias, cond, semiJoin), ctx).parse();
}

/** Ids named by a top-level `Id = '...'` / `Id IN (...)`: lets the engine skip a full scan. */
export function idShortcut(
  where: WhereClause | undefined,
  normalize: (raw: string) => string | undefined,
): string[] | undefined {
  const tokens = flatten(where, []);
  if (tokens.some((t) => t === 'OR' || t === 'NOT')) return undefined;
  for (const t of tokens) {
    if (typeof t !== 'object') continue;
    const c = t.cond as { field?: string; operator: string; value?: string | string[]; literalType?: unknown };
    if (c.field?.toLowerCase() !== 'id' || (c.operator !== '=' && c.operator !== 'IN')) continue;
    const raws = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
    if (raws.some((r) => !r.startsWith("'"))) return undefined;
    const ids = raws.map((r) => normalize(r.slice(1, -1)));
    return ids.every((id) => id !== undefined) ? (ids as string[]) : undefined;
  }
  return undefined;
}
