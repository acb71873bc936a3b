/** The demo's tables: what the rep sees on each record in Salesforce, and the manager's dashboard. */
import Decimal from 'decimal.js';
import type { LocalSalesforce } from '../emulator/salesforce';
import type { ForecastGroupView, ForecastVsActualView } from '../forecast/view';
import { formatMoney, money, type Money } from '../money';
import type { DemoForecast } from './forecast';

type Columns = Array<[title: string, width: number]>;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const fit = (s: string, width: number) =>
  width === 0 ? s : s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);

/** A table indented two spaces, its last column unpadded. */
function table(columns: Columns, rows: string[][]): string {
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c, columns[i]?.[1] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([title]) => title)), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

/** A Salesforce currency field (a JSON number) in the record's own currency. */
const amountOf = (value: unknown, record: Record<string, unknown>) =>
  typeof value === 'number' ? formatMoney(money(String(value), text(record.CurrencyIsoCode))) : '';

/** What happened to each Closed-Won opportunity of this run, as the rep sees it. */
export function bookingReport(sf: LocalSalesforce, opportunityIds: string[]): string {
  const columns: Columns = [
    ['Opportunity', 36],
    ['Account', 24],
    ['Amount', 15],
    ['Booking', 11],
    ['ERP order', 9],
    ['Invoice', 14],
    ['Why (Booking_Error__c)', 0],
  ];
  const rows = opportunityIds.map((id) => {
    const opp = sf.org.get('Opportunity', id) ?? {};
    return [
      text(opp.Name),
      text(sf.org.get('Account', text(opp.AccountId))?.Name),
      amountOf(opp.Amount, opp),
      text(opp.Booking_Status__c) || 'Not Booked',
      text(opp.ERP_Order_Id__c),
      text(opp.ERP_Invoice_Number__c),
      text(opp.Booking_Error__c).split('. ')[0] ?? '',
    ];
  });
  return table(columns, rows);
}

/** How many of the rows `accountRows` picks, besides the accounts the story touched. */
const MOST_OVERDUE = 3;

/**
 * The accounts to show after the sweep: those of this run's won deals (with an ERP customer), those on credit hold,
 * then the few most overdue (compared in the corporate currency at the org's rates).
 */
export function accountsToShow(sf: LocalSalesforce, wonOpportunityIds: string[]): string[] {
  const touched = wonOpportunityIds
    .map((id) => text(sf.org.get('Opportunity', id)?.AccountId))
    .filter((id) => sf.org.get('Account', id)?.ERP_Customer_Id__c);
  const rates = new Map(
    sf.org.all('CurrencyType').map((c) => [text(c.IsoCode), new Decimal(String(c.ConversionRate))]),
  );
  const linked = sf.org.all('Account').filter((a) => a.ERP_Customer_Id__c);
  const overdueInCorporate = (a: Record<string, unknown>) =>
    new Decimal(String(a.Overdue_Balance__c ?? 0)).dividedBy(rates.get(text(a.CurrencyIsoCode)) ?? 1);
  const held = linked.filter((a) => a.Credit_Hold__c === true).map((a) => String(a.Id));
  const overdue = linked
    .filter((a) => overdueInCorporate(a).gt(0))
    .sort((a, b) => overdueInCorporate(b).comparedTo(overdueInCorporate(a)))
    .map((a) => String(a.Id))
    .filter((id) => !touched.includes(id) && !held.includes(id))
    .slice(0, MOST_OVERDUE);
  return [...new Set([...touched, ...held, ...overdue])];
}

/** What the account fields show after the financial sweep, each in the account's currency. */
export function accountReport(sf: LocalSalesforce, accountIds: string[]): string {
  const columns: Columns = [
    ['Account', 24],
    ['Outstanding', 15],
    ['Overdue', 14],
    ['Credit limit', 14],
    ['Available', 15],
    ['Hold', 5],
    ['Last payment', 12],
    ['DSO', 0],
  ];
  const rows = accountIds.map((id) => {
    const a = sf.org.get('Account', id) ?? {};
    return [
      text(a.Name),
      amountOf(a.Outstanding_Balance__c, a),
      amountOf(a.Overdue_Balance__c, a),
      amountOf(a.Credit_Limit__c, a),
      amountOf(a.Available_Credit__c, a),
      a.Credit_Hold__c ? 'yes' : '',
      text(a.Last_Payment_Date__c),
      text(a.Days_Sales_Outstanding__c),
    ];
  });
  return table(columns, rows);
}

const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`);
/** Amounts of a converted view are all in its one currency, named in the heading. */
const plain = (m: Money) => formatMoney(m).slice(m.currency.length + 1);

function forecastTable(first: string, view: ForecastVsActualView): string {
  const columns: Columns = [
    [first, 18],
    ['Won/lost/open', 13],
    ['Pipeline', 12],
    ['Booked', 12],
    ['Invoiced', 12],
    ['Paid', 12],
    ['Overdue', 12],
    ['Collected', 9],
    ['Paid on time', 12],
    ['DSO', 0],
  ];
  const row = (g: ForecastGroupView) => [
    g.label,
    `${g.deals.won}/${g.deals.lost}/${g.deals.open}`,
    plain(g.pipeline),
    plain(g.booked),
    plain(g.invoiced),
    plain(g.paid),
    plain(g.overdue),
    percent(g.collectionRate),
    percent(g.paidOnTimeRate),
    g.dso === null ? '—' : String(g.dso),
  ];
  return table(columns, view.groups.map(row));
}

/** The manager's view: deals by the quarter they closed in, by rep and by lead source, pipeline to cash. */
export function forecastReport(forecast: DemoForecast): string {
  const { byQuarter, byRep, byLeadSource } = forecast;
  const rates = byQuarter.conversion?.rates.filter((r) => r.currency !== byQuarter.conversion?.currency) ?? [];
  const currency = byQuarter.conversion?.currency ?? byQuarter.currencies.join('/');
  return [
    `Forecast vs actual, ${byQuarter.from} to ${byQuarter.to} (GET /v1/dashboards/forecast-vs-actual, deals by close quarter),`,
    `in ${currency} at the org's rates (${rates.map((r) => `${r.rate} ${r.currency}`).join(', ')} per ${currency}):`,
    '',
    forecastTable('Quarter', byQuarter),
    '',
    forecastTable('Rep', byRep),
    '',
    forecastTable('Lead source', byLeadSource),
  ].join('\n');
}
