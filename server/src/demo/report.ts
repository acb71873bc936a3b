/** The demo's table: what happened to each Closed-Won opportunity, as the rep sees it in Salesforce. */
import type { LocalSalesforce } from '../emulator/salesforce';
import type { ForecastVsActualView } from '../forecast/view';
import { formatMoney, money } from '../money';

interface Row {
  opportunity: string;
  account: string;
  amount: string;
  status: string;
  order: string;
  invoice: string;
  note: string;
}

const COLUMNS: Array<[keyof Row, string, number]> = [
  ['opportunity', 'Opportunity', 36],
  ['account', 'Account', 24],
  ['amount', 'Amount', 15],
  ['status', 'Booking', 11],
  ['order', 'ERP order', 9],
  ['invoice', 'Invoice', 14],
  ['note', 'Why (Booking_Error__c)', 0],
];

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const fit = (s: string, width: number) =>
  width === 0 ? s : s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);

export function bookingReport(sf: LocalSalesforce, opportunityIds: string[], currency: string): string {
  const rows: Row[] = opportunityIds.map((id) => {
    const opp = sf.org.get('Opportunity', id) ?? {};
    const account = sf.org.get('Account', text(opp.AccountId)) ?? {};
    return {
      opportunity: text(opp.Name),
      account: text(account.Name),
      amount: typeof opp.Amount === 'number' ? formatMoney(money(String(opp.Amount), currency)) : '',
      status: text(opp.Booking_Status__c) || 'Not Booked',
      order: text(opp.ERP_Order_Id__c),
      invoice: text(opp.ERP_Invoice_Number__c),
      note: text(opp.Booking_Error__c).split('. ')[0] ?? '',
    };
  });
  const line = (r: Row) =>
    COLUMNS.map(([key, , width]) => fit(r[key], width))
      .join('  ')
      .trimEnd();
  const header = Object.fromEntries(COLUMNS.map(([key, title]) => [key, title])) as unknown as Row;
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

/** What the account fields show after the financial sweep. */
export function accountReport(sf: LocalSalesforce, accountIds: string[], currency: string): string {
  const amount = (v: unknown) => (typeof v === 'number' ? formatMoney(money(String(v), currency)) : '');
  const columns: Array<[string, number]> = [
    ['Account', 24],
    ['Outstanding', 15],
    ['Overdue', 14],
    ['Credit limit', 14],
    ['Available', 15],
    ['Hold', 5],
    ['Last payment', 12],
    ['DSO', 0],
  ];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c, columns[i]?.[1] ?? 0))
      .join('  ')
      .trimEnd();
  const rows = accountIds.map((id) => {
    const a = sf.org.get('Account', id) ?? {};
    return line([
      text(a.Name),
      amount(a.Outstanding_Balance__c),
      amount(a.Overdue_Balance__c),
      amount(a.Credit_Limit__c),
      amount(a.Available_Credit__c),
      a.Credit_Hold__c ? 'yes' : '',
      text(a.Last_Payment_Date__c),
      text(a.Days_Sales_Outstanding__c),
    ]);
  });
  return [line(columns.map(([title]) => title)), ...rows].map((l) => `  ${l}`).join('\n');
}

/** The manager's view: each month's deals, from pipeline to cash, per currency. */
export function forecastReport(view: ForecastVsActualView): string {
  const columns: Array<[string, number]> = [
    ['Month', 9],
    ['Deals won/lost/open', 19],
    ['Pipeline', 15],
    ['Booked', 15],
    ['Invoiced', 15],
    ['Paid', 15],
    ['Overdue', 14],
    ['Collected', 0],
  ];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c, columns[i]?.[1] ?? 0))
      .join('  ')
      .trimEnd();
  const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`);
  const rows = view.groups.map((g) =>
    line([
      g.label,
      `${g.deals.won}/${g.deals.lost}/${g.deals.open}`,
      formatMoney(g.pipeline),
      formatMoney(g.booked),
      formatMoney(g.invoiced),
      formatMoney(g.paid),
      formatMoney(g.overdue),
      percent(g.collectionRate),
    ]),
  );
  return [line(columns.map(([title]) => title)), ...rows].map((l) => `  ${l}`).join('\n');
}
