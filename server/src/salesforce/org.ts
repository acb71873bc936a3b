/**
 * What the backend learns about the org at start, from the org itself (never configured by
 * hand): whether it is multi-currency (Opportunity has CurrencyIsoCode) and its corporate currency.
 */
import { z } from 'zod';
import type { SalesforceClient } from './client';

export interface OrgInfo {
  multiCurrency: boolean;
  /** The org's corporate currency: every amount's currency in a single-currency org. */
  defaultCurrency: string;
}

const organizationRow = z.object({ DefaultCurrencyIsoCode: z.string().regex(/^[A-Z]{3}$/) });

export async function describeOrg(client: SalesforceClient): Promise<OrgInfo> {
  const fields = await client.describeFields('Opportunity');
  const [org] = await client.query('SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1', organizationRow);
  if (!org) throw new Error('Salesforce returned no Organization record');
  return { multiCurrency: fields.includes('CurrencyIsoCode'), defaultCurrency: org.DefaultCurrencyIsoCode };
}
