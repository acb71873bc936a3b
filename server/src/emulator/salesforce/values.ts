/**
 * Field values between JSON and the store: what a write body may hold for each field type, how it
 * is normalised (numbers rounded to the field's scale, datetimes to UTC), and the wire formats
 * (`2026-11-21` and `2026-11-21T23:38:41.000+0000`).
 */
import Decimal from 'decimal.js';
import { recordError, requestError } from './errors';
import type { FieldDef, Value } from './schema';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The API's datetime format: always UTC, milliseconds, `+0000`. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/** A system timestamp: Salesforce keeps whole seconds for CreatedDate and friends. */
export function systemStamp(date: Date): string {
  const copy = new Date(date.getTime());
  copy.setUTCMilliseconds(0);
  return formatDateTime(copy);
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** True for a real calendar date in `YYYY-MM-DD` form (no 2026-02-30). */
export function isValidDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Milliseconds since the epoch of an ISO datetime (no zone means UTC, as the API reads it). */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m || !isValidDate(`${m[1]}-${m[2]}-${m[3]}`)) return undefined;
  const [hh, mm, ss] = [Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hh, mm, ss, ms);
  return utc - zoneOffsetMinutes(m[8]) * 60_000;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5) || '0');
  return sign * (hours * 60 + minutes);
}

function cannotDeserialize(field: FieldDef, raw: unknown): never {
  const kind = typeof raw === 'string' ? 'VALUE_STRING' : typeof raw === 'object' ? 'START_OBJECT' : 'VALUE';
  throw requestError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${field.type} from ${kind} value ${JSON.stringify(raw)} ` +
      `or request may be missing a required field`,
  );
}

function toText(field: FieldDef, raw: unknown): string | null {
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (typeof raw !== 'string') return cannotDeserialize(field, raw);
  // The API stores an empty string as null.
  return raw === '' ? null : raw;
}

function toNumber(field: FieldDef, raw: unknown): number {
  const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : '';
  if (text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return cannotDeserialize(field, raw);
  const value = new Decimal(text);
  if (field.type === 'int' && !value.isInteger()) return cannotDeserialize(field, raw);
  // Salesforce rounds to the field's scale, half up, when it saves.
  const rounded = value.toDecimalPlaces(field.scale, Decimal.ROUND_HALF_UP);
  const limit = new Decimal(10).pow(Math.max(field.precision - field.scale, 0));
  if (rounded.abs().gte(limit)) {
    throw recordError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${text}`,
      [field.name],
    );
  }
  return rounded.toNumber();
}

function toBoolean(field: FieldDef, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  return cannotDeserialize(field, raw);
}

function toDate(field: FieldDef, raw: unknown): string {
  if (typeof raw !== 'string' || !isValidDate(raw)) return cannotDeserialize(field, raw);
  return raw;
}

function toDateTime(field: FieldDef, raw: unknown): string {
  const ms = typeof raw === 'string' ? parseDateTime(raw) : undefined;
  if (ms === undefined) return cannotDeserialize(field, raw);
  return formatDateTime(new Date(ms));
}

function checkLength(field: FieldDef, value: string): string {
  if (field.length > 0 && value.length > field.length) {
    throw recordError(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${value} (max length=${field.length})`,
      [field.name],
    );
  }
  return value;
}

function checkPicklist(field: FieldDef, value: string): string {
  if (!field.restrictedPicklist) return value;
  const allowed = new Set(field.picklistValues.filter((v) => v.active).map((v) => v.value));
  const parts = field.type === 'multipicklist' ? value.split(';') : [value];
  const bad = parts.find((p) => !allowed.has(p));
  if (bad !== undefined) {
    throw recordError(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `${field.label}: bad value for restricted picklist field: ${bad}`,
      [field.name],
    );
  }
  return value;
}

function checkEmail(field: FieldDef, value: string): string {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw recordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);
  }
  return value;
}

function textValue(field: FieldDef, raw: unknown): string | null {
  const value = toText(field, raw);
  if (value === null) return null;
  checkLength(field, value);
  if (field.type === 'picklist' || field.type === 'multipicklist') return checkPicklist(field, value);
  if (field.type === 'email') return checkEmail(field, value);
  return value;
}

/**
 * A write body's value for one field, normalised for the store. Throws a request-scoped
 * JSON_PARSER_ERROR when the JSON cannot be read as the field's type (the API rejects the whole
 * request then) and a record-scoped error when the value is readable but not acceptable.
 * References are returned as given; the write path checks them against the store.
 */
export function normalizeValue(field: FieldDef, raw: unknown): Value {
  if (raw === null || raw === undefined) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return toNumber(field, raw);
    case 'boolean':
      return toBoolean(field, raw);
    case 'date':
      return toDate(field, raw);
    case 'datetime':
      return toDateTime(field, raw);
    case 'id':
    case 'reference':
      return toText(field, raw);
    default:
      return textValue(field, raw);
  }
}
