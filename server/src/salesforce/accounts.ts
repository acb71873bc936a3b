/** Accounts as the financial sync needs them: which one carries a given ERP customer id. */
import { z } from 'zod';
import type { SalesforceClient } from './client';
import type { OrgInfo } from './org';
import { soqlList } from './soql';

/** Ids per query: keeps each SOQL statement far below Salesforce's length limit. */
const IDS_PER_QUERY = 300;

const row = z.object({ Id: z.string(), ERP_Customer_Id__c: z.string(), CurrencyIsoCode: z.string().optional() });

export async function findAccountsByErpCustomerIds(client: SalesforceClient, org: OrgInfo, erpCustomerIds: string[]) {
  const found: Array<{ accountId: string; erpCustomerId: string; currency: string }> = [];
  const currency = org.multiCurrency ? ', CurrencyIsoCode' : '';
  for (let i = 0; i < erpCustomerIds.length; i += IDS_PER_QUERY) {
    const chunk = erpCustomerIds.slice(i, i + IDS_PER_QUERY);
    const rows = await client.query(
      `SELECT Id, ERP_Customer_Id__c${currency} FROM Account WHERE ERP_Customer_Id__c IN ${soqlList(chunk)}`,
      row,
    );
    for (const r of rows)
      found.push({
        accountId: r.Id,
        erpCustomerId: r.ERP_Customer_Id__c,
        currency: r.CurrencyIsoCode ?? org.defaultCurrency,
      });
  }
  return found;
}
