/**
 * Forecast vs actual, answered by one SQL aggregate over the monthly cube (`months.ts`): the deals
 * side (pipeline, weighted pipeline, booked) and the money side (invoiced, paid, open, overdue,
 * timings) summed per (group, currency). Deals count in the period of their close date. Amounts are summed per currency; with
 * `convert`, each amount is first divided by its currency's stored rate (units per corporate
 * unit, as Salesforce's CurrencyType keeps it) and sums are rounded once, per ISO 4217.
 */
import Decimal from 'decimal.js';
import { lastPulledAt } from '../financials/pulse';
import { money } from '../money';
import type { Sql, SqlParam } from '../store/db';
import { periodsBetween, type ForecastQuery, type Period } from './periods';
import { opportunitiesAsOf } from './sync';
import type { ForecastGroupView, ForecastVsActualView } from './view';

const NO_LEAD_SOURCE = 'No lead source';

/** Amounts cannot be converted as asked (no stored rate); the route answers 422. */
export class ConversionUnavailable extends Error {}

interface GroupRow {
  key: string | null;
  label: string | null;
  currency: string;
  open_deals: number;
  won_deals: number;
  lost_deals: number;
  pipeline: string;
  weighted: string;
  booked: string;
  invoiced: string;
  invoiced_untaxed: string;
  paid: string;
  open_amount: string;
  overdue: string;
  invoiced_deals: number;
  close_to_invoice_days: number;
  invoices_due: number;
  paid_on_time: number;
  invoices_paid: number;
  days_to_payment: number;
  outstanding_amount_days: string;
  outstanding_amount: string;
  [c: string]: unknown;
}

const GROUP_KEY = {
  month: `to_char(m.month, 'YYYY-MM')`,
  quarter: `to_char(m.month, 'YYYY-"Q"Q')`,
  owner: 'm.owner_id',
  leadSource: 'm.lead_source',
};

/** Sums the cube's rows in range per (group, currency); with conversion, per group in the corporate currency. */
function dashboardSql(query: ForecastQuery): string {
  const key = query.groupBy === 'period' ? GROUP_KEY[query.grain] : GROUP_KEY[query.groupBy];
  const amount = (column: string) => `sum(m.${column} / f.rate)::text AS ${column}`;
  // $1 from, $2 to (exclusive), $3 owner, $4 lead source, $5 convert, $6 corporate currency
  return `
SELECT ${key} AS key, CASE WHEN $5 THEN $6 ELSE m.currency END AS currency, max(m.owner_name) AS label,
       sum(m.open_deals)::int AS open_deals, sum(m.won_deals)::int AS won_deals, sum(m.lost_deals)::int AS lost_deals,
       ${['pipeline', 'weighted', 'booked', 'invoiced', 'invoiced_untaxed', 'paid', 'open_amount', 'overdue'].map(amount).join(', ')},
       sum(m.invoiced_deals)::int AS invoiced_deals, sum(m.close_to_invoice_days)::int AS close_to_invoice_days,
       sum(m.invoices_due)::int AS invoices_due, sum(m.paid_on_time)::int AS paid_on_time,
       sum(m.invoices_paid)::int AS invoices_paid, sum(m.days_to_payment)::int AS days_to_payment,
       sum(m.outstanding_amount_days)::text AS outstanding_amount_days, sum(m.outstanding_amount)::text AS outstanding_amount
  FROM forecast_months m
  CROSS JOIN LATERAL (SELECT CASE WHEN $5 THEN (SELECT r.rate FROM currency_rates r WHERE r.currency = m.currency)
                                  ELSE 1 END AS rate) f
 WHERE m.month >= $1::date AND m.month < $2::date
   AND ($3::text IS NULL OR m.owner_id = $3) AND ($4::text IS NULL OR m.lead_source = $4)
 GROUP BY 1, 2
 ORDER BY 1 NULLS LAST, 2`;
}

/** The currencies in range that have no stored rate, and the corporate currency (null: none stored). */
async function conversionTarget(
  sql: Sql,
  range: SqlParam[],
): Promise<{ corporate: string; rates: Map<string, string> }> {
  const rates = await sql.query<{ currency: string; rate: string; corporate: boolean }>(
    'SELECT currency, rate::text AS rate, corporate FROM currency_rates ORDER BY currency',
  );
  const corporate = rates.find((r) => r.corporate)?.currency;
  if (!corporate) {
    throw new ConversionUnavailable(
      'no conversion rates are stored; they come from the org (multi-currency orgs only) with the opportunity sync',
    );
  }
  const missing = await sql.query<{ currency: string }>(
    `SELECT DISTINCT m.currency FROM forecast_months m
      WHERE m.month >= $1::date AND m.month < $2::date
        AND ($3::text IS NULL OR m.owner_id = $3) AND ($4::text IS NULL OR m.lead_source = $4)
        AND NOT EXISTS (SELECT 1 FROM currency_rates r WHERE r.currency = m.currency)
      ORDER BY 1`,
    range,
  );
  if (missing.length > 0) {
    const list = missing.map((m) => m.currency).join(', ');
    throw new ConversionUnavailable(`the org has no conversion rate for ${list}`);
  }
  return { corporate, rates: new Map(rates.map((r) => [r.currency, r.rate])) };
}

export async function forecastVsActual(sql: Sql, query: ForecastQuery): Promise<ForecastVsActualView> {
  const periods = periodsBetween(query.from, query.to, query.grain);
  const first = periods[0] as Period;
  const last = periods.at(-1) as Period;
  const range: SqlParam[] = [first.start, last.end, query.ownerId ?? null, query.leadSource ?? null];
  const conversion = query.convert ? await conversionTarget(sql, range) : null;
  const rows = await sql.query<GroupRow>(dashboardSql(query), [...range, query.convert, conversion?.corporate ?? null]);
  const periodByKey = new Map(periods.map((p) => [p.key, p.label]));
  const groups = rows.map((row) => {
    const label =
      query.groupBy === 'period'
        ? (periodByKey.get(row.key as string) ?? String(row.key))
        : query.groupBy === 'owner'
          ? (row.label ?? String(row.key)) // every cube row carries its owner's name
          : (row.key ?? NO_LEAD_SOURCE);
    return groupView(row, label);
  });
  return {
    from: first.key,
    to: last.key,
    grain: query.grain,
    groupBy: query.groupBy,
    filters: { ownerId: query.ownerId ?? null, leadSource: query.leadSource ?? null },
    periods: periods.map((p) => ({ key: p.key, label: p.label })),
    currencies: [...new Set(groups.map((g) => g.currency))].sort(),
    conversion: conversion && {
      currency: conversion.corporate,
      rates: [...conversion.rates].map(([currency, rate]) => ({ currency, rate })),
    },
    opportunitiesAsOf: await opportunitiesAsOf(sql),
    financialsAsOf: await lastPulledAt(sql),
    groups,
  };
}

function groupView(row: GroupRow, label: string): ForecastGroupView {
  const m = (value: string) => money(value, row.currency);
  const invoiced = new Decimal(row.invoiced);
  return {
    key: row.key,
    label,
    currency: row.currency,
    deals: { open: row.open_deals, won: row.won_deals, lost: row.lost_deals },
    pipeline: m(row.pipeline),
    weightedPipeline: m(row.weighted),
    booked: m(row.booked),
    invoiced: m(row.invoiced),
    paid: m(row.paid),
    openReceivable: m(row.open_amount),
    overdue: m(row.overdue),
    // Before tax on both sides: the deal's amount is what the ERP books untaxed.
    bookedToInvoiced: share(row.invoiced_untaxed, row.booked),
    collectionRate: share(row.paid, invoiced),
    avgDaysCloseToInvoice: average(row.close_to_invoice_days, row.invoiced_deals),
    avgDaysInvoiceToPayment: average(row.days_to_payment, row.invoices_paid),
    dso: share(row.outstanding_amount_days, row.outstanding_amount, 1),
    paidOnTimeRate: share(row.paid_on_time, row.invoices_due),
    invoicesDue: row.invoices_due,
  };
}

const round = (d: Decimal, places: number) => d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toNumber();

function share(part: Decimal.Value, whole: Decimal.Value, places = 4): number | null {
  const w = new Decimal(whole);
  return w.gt(0) ? round(new Decimal(part).div(w), places) : null;
}

function average(total: number, count: number): number | null {
  return count > 0 ? round(new Decimal(total).div(count), 1) : null;
}
