/**
 * Opportunities as the booking flow needs them: read with their line items and account in one
 * query, found by the safety-net poll, and written back with the booking's outcome.
 */
import { z } from 'zod';
import { decimalFromJson, money, type Money } from '../money';
import { BOOKING_STATUS, type BookingStatus } from '../picklists';
import type { SalesforceClient } from './client';
import { toId18 } from './ids';
import type { OrgInfo } from './org';
import { soqlList, soqlString } from './soql';

export interface OpportunityLine {
  id: string;
  productCode: string | null;
  productName: string | null;
  description: string | null;
  /** Decimal string. */
  quantity: string;
  unitPrice: Money;
  /** Percent, decimal string; null when the line has no discount. */
  discountPercent: string | null;
  totalPrice: Money;
}

export interface OpportunityForBooking {
  id: string;
  name: string;
  stageName: string;
  isWon: boolean;
  amount: Money | null;
  currency: string;
  closeDate: string;
  bookingStatus: BookingStatus | null;
  erpOrderId: string | null;
  account: {
    id: string;
    name: string;
    /** The account's own currency (its CurrencyIsoCode; the org's in a single-currency org). */
    currency: string;
    erpCustomerId: string | null;
    street: string | null;
    city: string | null;
    postalCode: string | null;
    country: string | null;
    phone: string | null;
    website: string | null;
  } | null;
  lines: OpportunityLine[];
}

const nullableString = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const nullableNumber = z
  .number()
  .nullish()
  .transform((v) => v ?? null);

const lineRow = z.object({
  Id: z.string(),
  Quantity: z.number(),
  UnitPrice: z.number(),
  Discount: nullableNumber,
  TotalPrice: z.number(),
  Description: nullableString,
  Product2: z.object({ ProductCode: nullableString, Name: nullableString }).nullish(),
});

const opportunityRow = z.object({
  Id: z.string(),
  Name: z.string(),
  StageName: z.string(),
  IsWon: z.boolean(),
  Amount: nullableNumber,
  CloseDate: z.string(),
  CurrencyIsoCode: z.string().optional(),
  Booking_Status__c: z.enum(BOOKING_STATUS).nullish(),
  ERP_Order_Id__c: nullableString,
  AccountId: nullableString,
  Account: z
    .object({
      Name: z.string(),
      CurrencyIsoCode: z.string().optional(),
      ERP_Customer_Id__c: nullableString,
      BillingStreet: nullableString,
      BillingCity: nullableString,
      BillingPostalCode: nullableString,
      BillingCountry: nullableString,
      Phone: nullableString,
      Website: nullableString,
    })
    .nullish(),
  OpportunityLineItems: z.object({ records: z.array(lineRow) }).nullish(),
});

function bookingQuery(org: OrgInfo, where: string): string {
  const currency = org.multiCurrency ? ', CurrencyIsoCode, Account.CurrencyIsoCode' : '';
  return (
    `SELECT Id, Name, StageName, IsWon, Amount, CloseDate${currency}, Booking_Status__c, ERP_Order_Id__c, AccountId, ` +
    'Account.Name, Account.ERP_Customer_Id__c, Account.BillingStreet, Account.BillingCity, ' +
    'Account.BillingPostalCode, Account.BillingCountry, Account.Phone, Account.Website, ' +
    '(SELECT Id, Quantity, UnitPrice, Discount, TotalPrice, Description, Product2.ProductCode, Product2.Name ' +
    'FROM OpportunityLineItems ORDER BY SortOrder, Id) ' +
    `FROM Opportunity WHERE ${where}`
  );
}

/** One query: the opportunity, its account and its line items. Null when it does not exist. */
export async function readOpportunityForBooking(
  client: SalesforceClient,
  org: OrgInfo,
  opportunityId: string,
): Promise<OpportunityForBooking | null> {
  const id = toId18(opportunityId);
  if (!id) throw new RangeError(`not a Salesforce id: ${opportunityId}`);
  const [row] = await client.query(bookingQuery(org, `Id = ${soqlString(id)}`), opportunityRow);
  return row ? toOpportunity(row, org) : null;
}

/**
 * The safety net: won opportunities whose booking has not happened (status empty, Not Booked or
 * Pending), closed on or after `closedSince`, newest first (so deals stuck for long cannot crowd
 * out new ones). Failed and Credit Hold wait for a person.
 */
export async function findOpportunitiesToBook(
  client: SalesforceClient,
  closedSince: string,
  limit = 2000,
): Promise<string[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(closedSince)) throw new RangeError(`not a date: ${closedSince}`);
  const rows = await client.query(
    `SELECT Id FROM Opportunity WHERE IsWon = true AND CloseDate >= ${closedSince} AND ` +
      `(Booking_Status__c = null OR Booking_Status__c IN ${soqlList(['Not Booked', 'Pending'])}) ` +
      `ORDER BY CloseDate DESC, Id LIMIT ${limit}`,
    z.object({ Id: z.string() }),
  );
  return rows.map((r) => r.Id);
}

function toOpportunity(row: z.infer<typeof opportunityRow>, org: OrgInfo): OpportunityForBooking {
  const currency = row.CurrencyIsoCode ?? org.defaultCurrency;
  const price = (n: number) => money(decimalFromJson(n), currency);
  return {
    id: row.Id,
    name: row.Name,
    stageName: row.StageName,
    isWon: row.IsWon,
    amount: row.Amount === null ? null : price(row.Amount),
    currency,
    closeDate: row.CloseDate,
    bookingStatus: row.Booking_Status__c ?? null,
    erpOrderId: row.ERP_Order_Id__c,
    account:
      row.AccountId && row.Account
        ? {
            id: row.AccountId,
            name: row.Account.Name,
            currency: row.Account.CurrencyIsoCode ?? org.defaultCurrency,
            erpCustomerId: row.Account.ERP_Customer_Id__c,
            street: row.Account.BillingStreet,
            city: row.Account.BillingCity,
            postalCode: row.Account.BillingPostalCode,
            country: row.Account.BillingCountry,
            phone: row.Account.Phone,
            website: row.Account.Website,
          }
        : null,
    lines: (row.OpportunityLineItems?.records ?? []).map((l) => ({
      id: l.Id,
      productCode: l.Product2?.ProductCode ?? null,
      productName: l.Product2?.Name ?? null,
      description: l.Description,
      quantity: decimalFromJson(l.Quantity).toString(),
      // Unit prices can carry more decimals than the currency; keep them exact, unrounded.
      unitPrice: { amount: decimalFromJson(l.UnitPrice).toString(), currency },
      discountPercent: l.Discount === null ? null : decimalFromJson(l.Discount).toString(),
      totalPrice: price(l.TotalPrice),
    })),
  };
}
