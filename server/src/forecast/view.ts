/**
 * The forecast-vs-actual answer served to the `forecastVsActual` component
 * (`GET /v1/dashboards/forecast-vs-actual`). Part of the server ↔ force-app contract like
 * `financials/views.ts`: the examples in `contract/forecastVsActual*.json` are checked against it.
 *
 * Deals are counted in the period of their close date (a cohort): "of the deals that closed in
 * Q3, how much was booked, invoiced and paid by now". One group per (key, currency) — amounts in
 * different currencies are never added up, unless the caller asks for a conversion with the
 * org's stored rates.
 */
import { z } from 'zod';
import { moneyView } from '../financials/views';

export const GROUP_BY = ['period', 'owner', 'leadSource'] as const;
export const GRAINS = ['month', 'quarter'] as const;

/** A share between 0 and 1 (4 decimals), null when its denominator is zero. */
const ratio = z.number().min(0).nullable();
/** Days (1 decimal), null when nothing was measured. */
const days = z.number().nullable();

export const forecastGroupView = z.strictObject({
  /** `2026-07` or `2026-Q3`; an owner's User Id; a lead source (`null`: none recorded). */
  key: z.string().nullable(),
  /** For people: `Jul 2026`, `Q3 2026`, the owner's name, the lead source or `No lead source`. */
  label: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  deals: z.strictObject({
    open: z.number().int().min(0),
    won: z.number().int().min(0),
    lost: z.number().int().min(0),
  }),
  /** Open deals, unweighted and weighted by their probability. */
  pipeline: moneyView,
  weightedPipeline: moneyView,
  /** Closed Won. */
  booked: moneyView,
  /** Invoices of those deals (posted, tax included), what was paid on them, and what is still owed / past due. */
  invoiced: moneyView,
  paid: moneyView,
  openReceivable: moneyView,
  overdue: moneyView,
  /** Invoiced before tax ÷ booked (the deal amount is what the ERP books untaxed). */
  bookedToInvoiced: ratio,
  /** paid ÷ invoiced: the collection rate. */
  collectionRate: ratio,
  avgDaysCloseToInvoice: days,
  avgDaysInvoiceToPayment: days,
  /**
   * Days sales outstanding: the amount-weighted days from invoice to payment, money still open
   * counted up to today — so slow payers weigh in before they pay.
   */
  dso: days,
  /** Of the invoices paid or past due, the share paid in full by the due date. */
  paidOnTimeRate: ratio,
  invoicesDue: z.number().int().min(0),
});

export const forecastVsActualView = z.strictObject({
  from: z.string(),
  to: z.string(),
  grain: z.enum(GRAINS),
  groupBy: z.enum(GROUP_BY),
  filters: z.strictObject({ ownerId: z.string().nullable(), leadSource: z.string().nullable() }),
  /** Every period in the range, in order (the chart's axis, also for periods with no deals). */
  periods: z.array(z.strictObject({ key: z.string(), label: z.string() })),
  /** The currencies the groups are in. */
  currencies: z.array(z.string()),
  /** Set when amounts were converted: the corporate currency and the stored rates used (units per 1 corporate). */
  conversion: z
    .strictObject({
      currency: z.string(),
      rates: z.array(z.strictObject({ currency: z.string(), rate: z.string() })),
    })
    .nullable(),
  /** When opportunities were last read from Salesforce; null before the first sync. */
  opportunitiesAsOf: z.iso.datetime({ offset: true }).nullable(),
  /** When the ERP's invoices and payments were last pulled. */
  financialsAsOf: z.iso.datetime({ offset: true }).nullable(),
  groups: z.array(forecastGroupView),
});

export type ForecastVsActualView = z.infer<typeof forecastVsActualView>;
export type ForecastGroupView = z.infer<typeof forecastGroupView>;
