/**
 * The demo's data (`data/*.json`), checked when the demo starts and typed: a mistake in a
 * fixture stops the demo with the file and the field, never a half-seeded org.
 */
import { z } from 'zod';
import accountsJson from './data/accounts.json';
import catalogueJson from './data/catalogue.json';
import currentDealsJson from './data/current-deals.json';
import erpCustomersJson from './data/erp-customers.json';
import pastDealsJson from './data/past-deals.json';
import salesTeamJson from './data/sales-team.json';

const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal as text, e.g. "1200.00"');
const currency = z.string().regex(/^[A-Z]{3}$/);

const product = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  family: z.string(),
  unitStep: decimalText,
  prices: z.record(currency, decimalText),
});
const catalogueSchema = z.strictObject({
  $comment: z.string(),
  /** The corporate currency: the ERP's, and the one the org converts to. */
  currency,
  currencies: z.array(currency).min(1),
  products: z.array(product).min(1),
  notInTheErp: z.array(product),
});

const salesTeamSchema = z.strictObject({
  $comment: z.string(),
  users: z.array(z.strictObject({ key: z.string(), firstName: z.string(), lastName: z.string(), email: z.email() })),
});

const ACCOUNT_COLUMNS = ['key', 'name', 'city', 'postalCode', 'country', 'industry', 'currency', 'owner'] as const;
const accountsSchema = z.strictObject({
  $comment: z.string(),
  columns: z.array(z.string()).refine((c) => c.join() === ACCOUNT_COLUMNS.join(), {
    message: `must be ${ACCOUNT_COLUMNS.join(', ')}`,
  }),
  rows: z.array(z.array(z.string()).length(ACCOUNT_COLUMNS.length)),
});
export type DemoAccount = Record<(typeof ACCOUNT_COLUMNS)[number], string>;

/** What the ERP recorded for a deal Closeloop booked in a past quarter. */
const pastBooking = z.strictObject({
  /** Days from the close to the invoice (0: invoiced the day it closed). */
  invoicedAfterDays: z.number().int().min(0).default(0),
  /** Days after the invoice (due after 30); without an amount, the rest. None: still open. */
  payments: z.array(z.strictObject({ afterDays: z.number().int().min(0), amount: decimalText.optional() })),
});
const dealSchema = z.strictObject({
  key: z.string(),
  account: z.string(),
  name: z.string(),
  stage: z.string(),
  /** Close date relative to the day the demo runs (negative: in the future). */
  closedDaysAgo: z.number().int(),
  leadSource: z.string(),
  /** Quantity per product code, priced from the catalogue in the account's currency. */
  lines: z.record(z.string(), z.number().positive()),
  /** Discount percent per product code. */
  discounts: z.record(z.string(), z.number().min(0).max(100)).optional(),
  erp: pastBooking.optional(),
});
const dealsSchema = z.strictObject({ $comment: z.string(), deals: z.array(dealSchema) });
export type DemoDeal = z.output<typeof dealSchema>;

const erpCustomersSchema = z.strictObject({
  $comment: z.string(),
  customers: z.array(
    z.strictObject({
      name: z.string(),
      countryCode: z.string().nullable(),
      city: z.string(),
      postalCode: z.string(),
      creditLimit: decimalText.nullable(),
    }),
  ),
  /** Limits finance set, in the corporate currency, on customers of past deals (by account key). */
  creditLimits: z.record(z.string(), decimalText),
});

const DAY_MS = 86_400_000;

/** The day `days` before `today` (negative: after), as YYYY-MM-DD: the fixtures' dates are relative. */
export function dayBefore(today: Date, days: number): string {
  return new Date(today.getTime() - days * DAY_MS).toISOString().slice(0, 10);
}

function parse<S extends z.ZodType>(file: string, schema: S, json: unknown): z.output<S> {
  const result = schema.safeParse(json);
  if (!result.success) throw new Error(`demo data ${file}: ${z.prettifyError(result.error)}`);
  return result.data;
}

export const catalogue = parse('catalogue.json', catalogueSchema, catalogueJson);
export const salesTeam = parse('sales-team.json', salesTeamSchema, salesTeamJson).users;
export const accounts: DemoAccount[] = parse('accounts.json', accountsSchema, accountsJson).rows.map(
  (row) => Object.fromEntries(ACCOUNT_COLUMNS.map((c, i) => [c, row[i] as string])) as DemoAccount,
);
export const pastDeals = parse('past-deals.json', dealsSchema, pastDealsJson).deals;
export const currentDeals = parse('current-deals.json', dealsSchema, currentDealsJson).deals;
export const erpCustomers = parse('erp-customers.json', erpCustomersSchema, erpCustomersJson);

/** Every key a fixture names exists, every product has a price in its account's currency. */
function checkReferences(): void {
  const owners = new Set(salesTeam.map((u) => u.key));
  const accountByKey = new Map(accounts.map((a) => [a.key, a]));
  const products = new Map([...catalogue.products, ...catalogue.notInTheErp].map((p) => [p.code, p]));
  const problems: string[] = [];
  for (const a of accounts) {
    if (!owners.has(a.owner)) problems.push(`account ${a.key}: no rep "${a.owner}" in sales-team.json`);
    if (!catalogue.currencies.includes(a.currency))
      problems.push(`account ${a.key}: ${a.currency} is not an org currency`);
  }
  for (const d of [...pastDeals, ...currentDeals]) {
    const account = accountByKey.get(d.account);
    if (!account) problems.push(`deal ${d.key}: no account "${d.account}"`);
    if (d.erp && d.stage !== 'Closed Won') problems.push(`deal ${d.key}: only a won deal has an ERP booking`);
    for (const code of Object.keys(d.lines)) {
      const price = products.get(code)?.prices[account?.currency ?? ''];
      if (!price) problems.push(`deal ${d.key}: no ${account?.currency} price for "${code}" in catalogue.json`);
    }
  }
  for (const key of Object.keys(erpCustomers.creditLimits)) {
    if (!accountByKey.has(key)) problems.push(`erp-customers.json creditLimits: no account "${key}"`);
  }
  const keys = [...pastDeals, ...currentDeals].map((d) => d.key);
  for (const key of keys.filter((k, i) => keys.indexOf(k) !== i)) problems.push(`deal ${key}: key used twice`);
  if (problems.length > 0) throw new Error(`demo data:\n  ${problems.join('\n  ')}`);
}
checkReferences();
