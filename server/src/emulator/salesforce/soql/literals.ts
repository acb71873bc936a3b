/**
 * WHERE operands: a literal read for the type of the field it is compared with, and record values
 * brought to the same comparable form. Strings compare case-insensitively (as SOQL does), ids by
 * their 18-character form, dates and datetimes as UTC milliseconds.
 */
import { normalizeId } from '../ids';
import { ID_TYPES, NUMBER_TYPES, TEXT_TYPES, type FieldDef, type Value } from '../schema';
import { isValidDate, parseDateTime } from '../values';
import { queryError, type QueryContext } from './context';
import { dateLiteralRange, dateToMs, type DateRange } from './dates';
import type { FieldPath } from './paths';

export type Comparable = string | number | boolean;

const SOQL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type Operand =
  | { kind: 'null' }
  | { kind: 'value'; key: Comparable }
  | { kind: 'range'; range: DateRange }
  | { kind: 'like'; re: RegExp };

const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reads a quoted SOQL string. With `like`, unescaped % and _ are wildcards and \% \_ literal.
 * Returns the plain text and, for LIKE, a regular expression source.
 */
export function readString(ctx: QueryContext, quoted: string, like: boolean): { text: string; pattern: string } {
  const body = quoted.slice(1, -1);
  let text = '';
  let pattern = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === '\\') {
      const next = body.charAt(i + 1);
      const plain = like && (next === '%' || next === '_') ? next : ESCAPES[next];
      if (plain === undefined) {
        throw queryError(
          ctx,
          'MALFORMED_QUERY',
          quoted,
          `Invalid string literal ${quoted}. Illegal character sequence '\\${next}' in string literal.`,
        );
      }
      text += plain;
      pattern += escapeRegExp(plain);
      i++;
    } else if (like && c === '%') {
      pattern += '.*';
    } else if (like && c === '_') {
      pattern += '.';
    } else {
      text += c;
      pattern += escapeRegExp(c);
    }
  }
  return { text, pattern };
}

/** A record value in comparable form (null stays null). */
export function comparable(field: FieldDef, value: Value): Comparable | null {
  if (value === null) return null;
  if (TEXT_TYPES.has(field.type)) return String(value).toLowerCase();
  if (field.type === 'date') return dateToMs(String(value));
  if (field.type === 'datetime') return parseDateTime(String(value)) ?? null;
  return value;
}

function wireTypeName(field: FieldDef): string {
  if (TEXT_TYPES.has(field.type)) return 'string';
  if (ID_TYPES.has(field.type)) return 'id';
  if (field.type === 'datetime') return 'dateTime';
  if (field.type === 'int') return 'integer';
  if (NUMBER_TYPES.has(field.type)) return 'double';
  return field.type;
}

function typeMismatch(ctx: QueryContext, path: FieldPath): Error {
  const quoted = TEXT_TYPES.has(path.field.type) || ID_TYPES.has(path.field.type);
  return queryError(
    ctx,
    'INVALID_FIELD',
    path.text,
    `value of filter criterion for field '${path.text}' must be of type ${wireTypeName(path.field)} and ` +
      `should ${quoted ? '' : 'not '}be enclosed in quotes`,
  );
}

function stringOperand(ctx: QueryContext, path: FieldPath, raw: string, like: boolean): Operand {
  const { type } = path.field;
  const { text, pattern } = readString(ctx, raw, like);
  if (like) {
    if (!TEXT_TYPES.has(type))
      throw queryError(ctx, 'INVALID_QUERY_FILTER_OPERATOR', path.text, `invalid operator on field: ${path.text}`);
    return { kind: 'like', re: new RegExp(`^${pattern}$`, 'is') };
  }
  if (TEXT_TYPES.has(type)) return { kind: 'value', key: text.toLowerCase() };
  if (ID_TYPES.has(type)) {
    const id = normalizeId(text);
    if (!id) throw queryError(ctx, 'INVALID_QUERY_FILTER_OPERATOR', raw, `invalid ID field: ${text}`);
    return { kind: 'value', key: id };
  }
  throw typeMismatch(ctx, path);
}

function temporalOperand(ctx: QueryContext, path: FieldPath, raw: string, literalType: string, now: Date): Operand {
  const { type } = path.field;
  if (literalType === 'DATE' && type === 'date') {
    if (!isValidDate(raw)) throw queryError(ctx, 'MALFORMED_QUERY', raw, `Invalid date: ${raw}`);
    return { kind: 'value', key: dateToMs(raw) };
  }
  if (literalType === 'DATETIME' && type === 'datetime') {
    // SOQL takes Z or ±hh:mm only: the API's own output form (+0000) is not a valid literal.
    const ms = SOQL_DATETIME.test(raw) ? parseDateTime(raw) : undefined;
    if (ms === undefined) throw queryError(ctx, 'MALFORMED_QUERY', raw, `Invalid datetime: ${raw}`);
    return { kind: 'value', key: ms };
  }
  if (
    (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') &&
    (type === 'date' || type === 'datetime')
  ) {
    const range = dateLiteralRange(raw, now);
    if (!range) throw queryError(ctx, 'MALFORMED_QUERY', raw.split(':')[0] ?? raw, `unexpected token: '${raw}'`);
    return { kind: 'range', range };
  }
  throw typeMismatch(ctx, path);
}

/** One literal of a condition, checked against and converted for the field's type. */
export function operand(
  ctx: QueryContext,
  path: FieldPath,
  raw: string,
  literalType: string | undefined,
  like = false,
): Operand {
  const { type } = path.field;
  switch (literalType) {
    case 'NULL':
      return { kind: 'null' };
    case 'STRING':
      return stringOperand(ctx, path, raw, like);
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      if (!NUMBER_TYPES.has(type)) throw typeMismatch(ctx, path);
      return { kind: 'value', key: Number(raw.replace(/^[A-Z]{3}/, '')) };
    case 'BOOLEAN':
      if (type !== 'boolean') throw typeMismatch(ctx, path);
      return { kind: 'value', key: raw.toUpperCase() === 'TRUE' };
    case 'DATE':
    case 'DATETIME':
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      return temporalOperand(ctx, path, raw, literalType, ctx.now);
    default:
      throw queryError(ctx, 'MALFORMED_QUERY', raw, `unexpected token: '${raw}'`);
  }
}
