/**
 * SOQL date literals (TODAY, LAST_N_DAYS:30, THIS_QUARTER, ...) as half-open UTC ranges
 * [start, end). The emulated org's time zone is UTC and its fiscal year is the calendar year.
 */

export interface DateRange {
  start: number;
  end: number;
}

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

const DAY_MS = 86_400_000;

function startOf(unit: Unit, now: Date): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (unit) {
    case 'DAY':
      return new Date(Date.UTC(y, m, d));
    case 'WEEK': // weeks start on Sunday (en_US)
      return new Date(Date.UTC(y, m, d - now.getUTCDay()));
    case 'MONTH':
      return new Date(Date.UTC(y, m, 1));
    case 'QUARTER':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'YEAR':
      return new Date(Date.UTC(y, 0, 1));
  }
}

function add(unit: Unit, date: Date, count: number): number {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  switch (unit) {
    case 'DAY':
      return date.getTime() + count * DAY_MS;
    case 'WEEK':
      return date.getTime() + count * 7 * DAY_MS;
    case 'MONTH':
      return Date.UTC(y, m + count, d);
    case 'QUARTER':
      return Date.UTC(y, m + 3 * count, d);
    case 'YEAR':
      return Date.UTC(y + count, m, d);
  }
}

function span(unit: Unit, now: Date, from: number, to: number): DateRange {
  const base = startOf(unit, now);
  return { start: add(unit, base, from), end: add(unit, base, to) };
}

function unitOf(word: string): Unit | undefined {
  const w = word.replace(/^FISCAL_/, '').replace(/S$/, '');
  return (['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const).find((u) => u === w);
}

/** The range a literal stands for, or undefined when it is not one we know. */
export function dateLiteralRange(literal: string, now: Date): DateRange | undefined {
  const [word = '', nText] = literal.toUpperCase().split(':');
  const n = nText === undefined ? NaN : Number(nText);
  const simple: Record<string, [Unit, number, number]> = {
    TODAY: ['DAY', 0, 1],
    YESTERDAY: ['DAY', -1, 0],
    TOMORROW: ['DAY', 1, 2],
    LAST_90_DAYS: ['DAY', -90, 1],
    NEXT_90_DAYS: ['DAY', 1, 91],
  };
  const fixed = simple[word];
  if (fixed) return span(fixed[0], now, fixed[1], fixed[2]);
  let m = /^(THIS|LAST|NEXT)_(FISCAL_)?(WEEK|MONTH|QUARTER|YEAR)$/.exec(word);
  if (m) {
    const unit = unitOf(m[3] ?? '') ?? 'DAY';
    const offset = m[1] === 'LAST' ? -1 : m[1] === 'NEXT' ? 1 : 0;
    return span(unit, now, offset, offset + 1);
  }
  if (!Number.isInteger(n) || n < 0) return undefined;
  m = /^(LAST|NEXT)_N_(FISCAL_)?(DAYS|WEEKS|MONTHS|QUARTERS|YEARS)$/.exec(word);
  if (m) {
    const unit = unitOf(m[3] ?? '') ?? 'DAY';
    // LAST_N_DAYS includes today; the other LAST_N_ units end where the current one begins.
    if (m[1] === 'LAST') return unit === 'DAY' ? span(unit, now, -n, 1) : span(unit, now, -n, 0);
    return span(unit, now, 1, n + 1);
  }
  m = /^N_(FISCAL_)?(DAYS|WEEKS|MONTHS|QUARTERS|YEARS)_AGO$/.exec(word);
  if (m) {
    const unit = unitOf(m[2] ?? '') ?? 'DAY';
    return span(unit, now, -n, -n + 1);
  }
  return undefined;
}

/** Milliseconds of a `YYYY-MM-DD` date at 00:00 UTC. */
export function dateToMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}
