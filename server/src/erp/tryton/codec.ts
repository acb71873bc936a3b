/**
 * Tryton's JSON-RPC value encoding. Plain JSON cannot carry decimals, dates or datetimes, so
 * Tryton wraps them in objects tagged with `__class__`:
 *
 *   Decimal   {"__class__":"Decimal","decimal":"100.00"}   ⇄ decimal.js `Decimal`
 *   date      {"__class__":"date","year":2026,"month":11,"day":21}   ⇄ `CalendarDate` / "2026-11-21"
 *   datetime  {"__class__":"datetime",…,"microsecond":0}   ⇄ `TrytonDateTime` (a JS Date; Tryton keeps UTC)
 *
 * Money never passes through a JS number: decimals travel as their decimal text both ways.
 * Decoded dates become ISO `YYYY-MM-DD` strings, which is how the connector interface speaks.
 */
import { Decimal } from '../../money';

/** A calendar day without time or zone, as Tryton's `date` (encode with `CalendarDate.parse`). */
export class CalendarDate {
  private constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}

  /** Parses `YYYY-MM-DD`, rejecting impossible days such as 2026-02-30. */
  static parse(iso: string): CalendarDate {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (match) {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const probe = new Date(Date.UTC(year, month - 1, day));
      if (probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
        return new CalendarDate(year, month, day);
      }
    }
    throw new RangeError(`not a valid date (YYYY-MM-DD): ${iso}`);
  }

  toString(): string {
    return isoDate(this.year, this.month, this.day);
  }
}

/**
 * A Tryton datetime as a JS `Date` that also keeps the microseconds a Date cannot hold. Change
 * feeds compare `write_date` exactly: truncated to milliseconds, two changes within the same
 * millisecond would page in the wrong order. It encodes back to the very same value.
 */
export class TrytonDateTime extends Date {
  constructor(
    /** Microseconds since 1970-01-01T00:00:00 UTC. */
    readonly epochMicros: number,
  ) {
    super(Math.floor(epochMicros / 1000));
  }
}

export interface TrytonDecimalJson {
  __class__: 'Decimal';
  decimal: string;
}

export interface TrytonDateJson {
  __class__: 'date';
  year: number;
  month: number;
  day: number;
}

export interface TrytonDateTimeJson {
  __class__: 'datetime';
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

export function encodeDecimal(value: Decimal.Value): TrytonDecimalJson {
  // Plain decimal text goes as written, keeping its scale ("100.00" stays "100.00").
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return { __class__: 'Decimal', decimal: value };
  const decimal = new Decimal(value);
  if (!decimal.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  // toFixed() without an argument never uses exponent notation (unlike toString()).
  return { __class__: 'Decimal', decimal: decimal.toFixed() };
}

export function encodeDate(value: CalendarDate | string): TrytonDateJson {
  const date = typeof value === 'string' ? CalendarDate.parse(value) : value;
  return { __class__: 'date', year: date.year, month: date.month, day: date.day };
}

/** Tryton stores datetimes as naive UTC, so the UTC fields of the JS Date are sent. */
export function encodeDateTime(value: Date): TrytonDateTimeJson {
  const microsecond =
    value instanceof TrytonDateTime
      ? ((value.epochMicros % 1_000_000) + 1_000_000) % 1_000_000
      : value.getUTCMilliseconds() * 1000;
  return {
    __class__: 'datetime',
    year: value.getUTCFullYear(),
    month: value.getUTCMonth() + 1,
    day: value.getUTCDate(),
    hour: value.getUTCHours(),
    minute: value.getUTCMinutes(),
    second: value.getUTCSeconds(),
    microsecond,
  };
}

/**
 * Turns a request value into Tryton's JSON: Decimal, CalendarDate and Date anywhere inside
 * arrays and plain objects are replaced by their tagged form.
 */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Decimal) return encodeDecimal(value);
  if (value instanceof CalendarDate) return encodeDate(value);
  if (value instanceof Date) return encodeDateTime(value);
  if (Array.isArray(value)) return value.map(encodeValue);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  }
  return value;
}

/** Parses a JSON-RPC response body, decoding tagged values on the way (see `reviveTagged`). */
export function parseTrytonJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => reviveTagged(value));
}

/**
 * Decodes one tagged object: Decimal → decimal.js Decimal, date → "YYYY-MM-DD",
 * datetime → TrytonDateTime (a Date). Anything else (including tags this client does not use) is left as is.
 */
export function reviveTagged(value: unknown): unknown {
  if (!isPlainObject(value) || typeof value.__class__ !== 'string') return value;
  switch (value.__class__) {
    case 'Decimal':
      return typeof value.decimal === 'string' ? new Decimal(value.decimal) : value;
    case 'date':
      return isoDate(num(value.year), num(value.month), num(value.day));
    case 'datetime': {
      const seconds = Date.UTC(
        num(value.year),
        num(value.month) - 1,
        num(value.day),
        num(value.hour),
        num(value.minute),
        num(value.second),
      );
      return new TrytonDateTime(seconds * 1000 + num(value.microsecond));
    }
    default:
      return value;
  }
}

function isoDate(year: number, month: number, day: number): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function num(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`malformed date field from Tryton: ${JSON.stringify(value)}`);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
