/** Accounts as the financial sync needs them: which ERP customer each one carries. */
import { z } from 'zod';
import type { SalesforceClient } from './client';
import { toId18 } from './ids';
import type { OrgInfo } from './org';
import { soqlList, soqlString } from './soql';

/** Ids per query: keeps each SOQL statement far below Salesforce's length limit. */
const IDS_PER_QUERY = 300;

export interface AccountLinkRow {
  accountId: string;
  erpCustomerId: string | null;
  currency: string;
}

const row = z.object({
  Id: z.string(),
  ERP_Customer_Id__c: z.string().nullish(),
  CurrencyIsoCode: z.string().optional(),
  SystemModstamp: z.string().optional(),
});

function fields(org: OrgInfo): string {
  return `Id, ERP_Customer_Id__c, SystemModstamp${org.multiCurrency ? ', CurrencyIsoCode' : ''}`;
}

function toLink(r: z.infer<typeof row>, org: OrgInfo): AccountLinkRow {
  return {
    accountId: r.Id,
    erpCustomerId: r.ERP_Customer_Id__c?.trim() || null,
    currency: r.CurrencyIsoCode ?? org.defaultCurrency,
  };
}

async function inChunks(
  values: string[],
  read: (chunk: string[]) => Promise<AccountLinkRow[]>,
): Promise<AccountLinkRow[]> {
  const found: AccountLinkRow[] = [];
  for (let i = 0; i < values.length; i += IDS_PER_QUERY)
    found.push(...(await read(values.slice(i, i + IDS_PER_QUERY))));
  return found;
}

/** Accounts whose ERP_Customer_Id__c is one of these (ERP ids are escaped, not trusted). */
export function findAccountsByErpCustomerIds(client: SalesforceClient, org: OrgInfo, erpCustomerIds: string[]) {
  return inChunks(erpCustomerIds, async (chunk) =>
    (await client.query(`SELECT ${fields(org)} FROM Account WHERE ERP_Customer_Id__c IN ${soqlList(chunk)}`, row)).map(
      (r) => toLink(r, org),
    ),
  );
}

/** These accounts as they are now; ids that are not account ids are ignored. */
export function readAccountLinks(client: SalesforceClient, org: OrgInfo, accountIds: string[]) {
  const ids = accountIds.map((id) => toId18(id)).filter((id): id is string => id !== null && id.startsWith('001'));
  return inChunks(ids, async (chunk) =>
    (await client.query(`SELECT ${fields(org)} FROM Account WHERE Id IN ${soqlList(chunk)}`, row)).map((r) =>
      toLink(r, org),
    ),
  );
}

/**
 * Accounts changed since `since` (ISO, null: ever) that carry an ERP customer id or have carried
 * Closeloop's figures (so a cleared id is seen too), and the newest change seen.
 */
export async function accountLinksChangedSince(client: SalesforceClient, org: OrgInfo, since: string | null) {
  if (since !== null && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(since))
    throw new RangeError(`not a SOQL datetime: ${since}`);
  const after = since === null ? '' : ` AND SystemModstamp > ${since}`;
  const rows = await client.query(
    `SELECT ${fields(org)} FROM Account WHERE (ERP_Customer_Id__c != null OR Finance_Synced_At__c != null)${after} ORDER BY SystemModstamp`,
    row,
  );
  const newest = rows.at(-1)?.SystemModstamp;
  return { links: rows.map((r) => toLink(r, org)), newest: newest ? new Date(newest) : null };
}

export interface UnlinkedAccount {
  accountId: string;
  name: string;
  city: string | null;
  postalCode: string | null;
  country: string | null;
}

const unlinkedRow = z.object({
  Id: z.string(),
  Name: z.string(),
  BillingCity: z.string().nullish(),
  BillingPostalCode: z.string().nullish(),
  BillingCountry: z.string().nullish(),
});

/** Accounts with no ERP customer yet, by Id after `afterId` (keyset paging: resumable). */
export async function accountsWithoutErpCustomer(
  client: SalesforceClient,
  afterId: string | null,
  limit: number,
): Promise<UnlinkedAccount[]> {
  const after = afterId === null ? '' : ` AND Id > ${soqlString(afterId)}`;
  const rows = await client.query(
    `SELECT Id, Name, BillingCity, BillingPostalCode, BillingCountry FROM Account WHERE ERP_Customer_Id__c = null${after} ORDER BY Id LIMIT ${limit}`,
    unlinkedRow,
  );
  return rows.map((r) => ({
    accountId: r.Id,
    name: r.Name,
    city: r.BillingCity ?? null,
    postalCode: r.BillingPostalCode ?? null,
    country: r.BillingCountry ?? null,
  }));
}
