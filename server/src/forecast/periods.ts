/**
 * The dashboard's calendar: months (`2026-07`) and quarters (`2026-Q3`), their labels and their
 * date ranges, and the validated query of `GET /v1/dashboards/forecast-vs-actual`.
 */
import { z } from 'zod';
import { salesforceIdSchema } from '../salesforce/ids';
import { GRAINS, GROUP_BY } from './view';

export type Grain = (typeof GRAINS)[number];

export interface Period {
  key: string;
  label: string;
  /** First day (YYYY-MM-DD) and the first day after it. */
  start: string;
  end: string;
}

/** A manager looks at a few years at most; longer ranges are a mistake, not a report. */
export const MAX_PERIODS = 60;
/** Years PostgreSQL dates and people both handle (year 0 is not a date). */
const MIN_YEAR = 1900;
const MAX_YEAR = 9998;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A month index since year 0 (year × 12 + month − 1), from `2026-07` or `2026-Q3` (its first month). */
function monthIndex(text: string): number | null {
  const month = MONTH.exec(text);
  const quarter = QUARTER.exec(text);
  const year = Number((month ?? quarter)?.[1]);
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) return null;
  if (month) return year * 12 + Number(month[2]) - 1;
  return year * 12 + (Number(quarter?.[2]) - 1) * 3;
}

const isoDay = (index: number) =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;

function period(index: number, grain: Grain): Period {
  const year = Math.floor(index / 12);
  const month = index % 12;
  if (grain === 'month') {
    return {
      key: `${year}-${String(month + 1).padStart(2, '0')}`,
      label: `${MONTH_NAMES[month]} ${year}`,
      start: isoDay(index),
      end: isoDay(index + 1),
    };
  }
  const quarter = Math.floor(month / 3) + 1;
  const first = year * 12 + (quarter - 1) * 3;
  return { key: `${year}-Q${quarter}`, label: `Q${quarter} ${year}`, start: isoDay(first), end: isoDay(first + 3) };
}

/** Every period from `from` to `to`, both included. */
export function periodsBetween(from: string, to: string, grain: Grain): Period[] {
  const step = grain === 'month' ? 1 : 3;
  const first = period(monthIndex(from) as number, grain);
  const last = period(monthIndex(to) as number, grain);
  const periods: Period[] = [];
  for (let i = monthIndex(first.key) as number; i <= (monthIndex(last.key) as number); i += step) {
    periods.push(period(i, grain));
  }
  return periods;
}

const periodText = z.string().refine((v) => monthIndex(v) !== null, {
  message: `must be a month (2026-07) or a quarter (2026-Q3), in the years ${MIN_YEAR}–${MAX_YEAR}`,
});
/** Lead sources are picklist labels: no control characters (a NUL is an attack, not a channel). */
const noControlCharacters = (v: string) => [...v].every((c) => c >= ' ' && c !== '\u007f');

export const forecastQuery = z
  .strictObject({
    from: periodText,
    to: periodText,
    grain: z.enum(GRAINS).default('month'),
    groupBy: z.enum(GROUP_BY).default('period'),
    ownerId: salesforceIdSchema('005', 'User Id').optional(),
    leadSource: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine(noControlCharacters, { message: 'must not contain control characters' })
      .optional(),
    convert: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .superRefine((q, ctx) => {
    if (q.grain === 'month' && QUARTER.test(q.from)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be a month (2026-07) when grain is month' });
    } else if (q.grain === 'month' && QUARTER.test(q.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be a month (2026-12) when grain is month' });
    } else if ((monthIndex(q.from) as number) > (monthIndex(q.to) as number)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    } else if (periodsBetween(q.from, q.to, q.grain).length > MAX_PERIODS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range must span at most ${MAX_PERIODS} periods` });
    }
  });

export type ForecastQuery = z.output<typeof forecastQuery>;
