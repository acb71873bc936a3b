/**
 * Opportunities as the forecast needs them (owner, lead source, amount, probability, stage, close
 * date), read incrementally by SystemModstamp — deleted ones included, so they leave the forecast
 * — and the conversion rates a multi-currency org's admins keep in CurrencyType.
 */
import { z } from 'zod';
import { decimalFromJson } from '../money';
import type { SalesforceClient } from './client';
import type { OrgInfo } from './org';

export interface PipelineOpportunity {
  id: string;
  accountId: string | null;
  ownerId: string;
  ownerName: string | null;
  leadSource: string | null;
  /** Exact decimal text in `currency`; null when the deal has no amount. */
  amount: string | null;
  currency: string;
  /** 0–100. */
  probability: string | null;
  stage: string;
  closeDate: string;
  isWon: boolean;
  isClosed: boolean;
  deleted: boolean;
  /** SystemModstamp, ISO. */
  modifiedAt: string;
}

export interface CurrencyRate {
  currency: string;
  /** Units of this currency per one unit of the corporate currency, exact decimal text. */
  rate: string;
  corporate: boolean;
}

const nullableString = z.string().nullish();
const nullableNumber = z.number().nullish();
const pipelineRow = z.object({
  Id: z.string(),
  AccountId: nullableString,
  OwnerId: z.string(),
  Owner: z.object({ Name: nullableString }).nullish(),
  LeadSource: nullableString,
  Amount: nullableNumber,
  Probability: nullableNumber,
  StageName: z.string(),
  CloseDate: z.iso.date(),
  IsWon: z.boolean(),
  IsClosed: z.boolean(),
  IsDeleted: z.boolean(),
  SystemModstamp: z.string(),
  CurrencyIsoCode: z.string().optional(),
});
const currencyRow = z.object({
  IsoCode: z.string().regex(/^[A-Z]{3}$/),
  ConversionRate: z.number().positive(),
  IsCorporate: z.boolean(),
});

const SOQL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Pages of opportunities changed at or after `since` (null: all), oldest change first. */
export async function* opportunitiesChangedSince(
  client: SalesforceClient,
  org: OrgInfo,
  since: string | null,
): AsyncGenerator<PipelineOpportunity[]> {
  if (since !== null && !SOQL_DATETIME.test(since)) throw new RangeError(`not a SOQL datetime: ${since}`);
  const currency = org.multiCurrency ? ', CurrencyIsoCode' : '';
  const where = since === null ? '' : ` WHERE SystemModstamp >= ${since}`;
  const soql =
    'SELECT Id, AccountId, OwnerId, Owner.Name, LeadSource, Amount, Probability, StageName, CloseDate, ' +
    `IsWon, IsClosed, IsDeleted, SystemModstamp${currency} FROM Opportunity${where} ORDER BY SystemModstamp, Id`;
  for await (const rows of client.queryPages(soql, pipelineRow, { includeDeleted: true })) {
    yield rows.map((r) => ({
      id: r.Id,
      accountId: r.AccountId ?? null,
      ownerId: r.OwnerId,
      ownerName: r.Owner?.Name ?? null,
      leadSource: r.LeadSource?.trim() || null,
      amount: r.Amount == null ? null : decimalFromJson(r.Amount).toString(),
      currency: r.CurrencyIsoCode ?? org.defaultCurrency,
      probability: r.Probability == null ? null : decimalFromJson(r.Probability).toString(),
      stage: r.StageName,
      closeDate: r.CloseDate,
      isWon: r.IsWon,
      isClosed: r.IsClosed,
      deleted: r.IsDeleted,
      modifiedAt: new Date(r.SystemModstamp).toISOString(),
    }));
  }
}

/** The org's active currencies and rates; a single-currency org has none to convert. */
export async function currencyRates(client: SalesforceClient, org: OrgInfo): Promise<CurrencyRate[]> {
  if (!org.multiCurrency) return [];
  const rows = await client.query(
    'SELECT IsoCode, ConversionRate, IsCorporate FROM CurrencyType WHERE IsActive = true',
    currencyRow,
  );
  return rows.map((r) => ({
    currency: r.IsoCode,
    rate: decimalFromJson(r.ConversionRate).toString(),
    corporate: r.IsCorporate,
  }));
}
