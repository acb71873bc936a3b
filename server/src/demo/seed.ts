/** Loads the demo's data into the local Salesforce and the sandbox ERP. */
import type { LocalSalesforce } from '../emulator/salesforce';
import { SandboxErp } from '../erp/sandbox/sandboxErp';
import { money, toJsonNumber } from '../money';
import type { Sql, Store } from '../store/db';
import {
  accounts,
  catalogue,
  currentDeals,
  dayBefore,
  erpCustomers,
  pastDeals,
  salesTeam,
  type DemoDeal,
} from './fixtures';
import { loadPastBookings } from './history';

/** The org as the emulator's seed format (server/src/emulator/salesforce/seed.ts) wants it. */
function orgFixture(today: Date): unknown {
  const accountByKey = new Map(accounts.map((a) => [a.key, a]));
  const deals = [...pastDeals, ...currentDeals];
  const products = [...catalogue.products, ...catalogue.notInTheErp];
  const priceOf = (code: string, currency: string) => products.find((p) => p.code === code)?.prices[currency] as string;
  return {
    User: salesTeam.map((u) => ({
      $key: u.key,
      Username: u.email,
      FirstName: u.firstName,
      LastName: u.lastName,
      Email: u.email,
      Alias: u.key.slice(0, 8),
    })),
    Product2: products.map((p) => ({
      $key: p.code,
      Name: p.name,
      ProductCode: p.code,
      IsActive: true,
      Family: p.family,
    })),
    Account: accounts.map((a) => ({
      $key: a.key,
      Name: a.name,
      BillingCity: a.city,
      BillingPostalCode: a.postalCode,
      BillingCountry: a.country,
      Industry: a.industry,
      CurrencyIsoCode: a.currency,
      OwnerId: { $ref: a.owner },
    })),
    Opportunity: deals.map((d) => {
      const account = accountByKey.get(d.account);
      return {
        $key: d.key,
        Name: d.name,
        AccountId: { $ref: d.account },
        OwnerId: { $ref: account?.owner },
        CurrencyIsoCode: account?.currency,
        StageName: d.stage,
        CloseDate: dayBefore(today, d.closedDaysAgo),
        LeadSource: d.leadSource,
      };
    }),
    OpportunityLineItem: deals.flatMap((d) => {
      const currency = accountByKey.get(d.account)?.currency as string;
      return Object.entries(d.lines).map(([code, quantity], i) => ({
        OpportunityId: { $ref: d.key },
        Product2Id: { $ref: code },
        Quantity: quantity,
        UnitPrice: toJsonNumber(money(priceOf(code, currency), currency)),
        Discount: d.discounts?.[code] ?? null,
        SortOrder: i + 1,
      }));
    }),
  };
}

/** The won deals of this run (what the Apex trigger would send); past ones were booked before. */
export function liveWonDeals(): DemoDeal[] {
  return currentDeals.filter((d) => d.stage === 'Closed Won');
}

/** Seeds the org; returns the won opportunities' ids (what the Apex trigger would send). */
export function seedSalesforce(
  sf: LocalSalesforce,
  today = new Date(),
): { won: string[]; keys: Record<string, string> } {
  const keys = sf.org.seed(orgFixture(today));
  return { won: liveWonDeals().map((d) => keys[d.key] as string), keys };
}

/**
 * The ERP's side: the catalogue, the customers it had before Closeloop, then the past quarters
 * Closeloop booked (customers, sales, invoices, payments — and their ids on the Salesforce
 * records), then the credit limits finance set since. All through the sandbox ERP's own methods,
 * in one transaction of the store: one commit instead of hundreds.
 */
export async function seedSandboxErp(
  store: Store,
  sf: LocalSalesforce,
  keys: Record<string, string>,
  today = new Date(),
): Promise<void> {
  await store.transaction(async (tx) => {
    const erp = new SandboxErp(insideTransaction(store, tx));
    for (const p of catalogue.products) {
      await erp.upsertProduct({
        code: p.code,
        name: p.name,
        listPrice: money(p.prices[catalogue.currency] as string, catalogue.currency),
        unitStep: p.unitStep,
      });
    }
    for (const c of erpCustomers.customers) {
      const created = await erp.createCustomer({
        name: c.name,
        externalRef: '',
        city: c.city,
        postalCode: c.postalCode,
        countryCode: c.countryCode,
      });
      if (c.creditLimit) await erp.setCreditLimit(created.id, money(c.creditLimit, catalogue.currency));
    }
    await loadPastBookings(erp, sf, keys, today);
    for (const [account, limit] of Object.entries(erpCustomers.creditLimits)) {
      const customerId = String(sf.org.get('Account', keys[account] as string)?.ERP_Customer_Id__c ?? '');
      if (!customerId) throw new Error(`demo data: account ${account} has a credit limit but no past deal`);
      await erp.setCreditLimit(customerId, money(limit, catalogue.currency));
    }
  });
}

/** The store as seen from inside one open transaction: every "transaction" in it joins that one. */
function insideTransaction(store: Store, tx: Sql): Store {
  return {
    kind: store.kind,
    query: (text, params) => tx.query(text, params),
    exec: (script) => tx.exec(script),
    transaction: (fn) => fn(tx),
    tryWithLock: (key, fn) => store.tryWithLock(key, fn),
    close: async () => undefined,
  };
}

/**
 * Finance's side of the story, in the ERP: Northwind pays in full, Contoso pays a part, and an
 * older Fabrikam invoice (billed outside Closeloop 50 days ago) is now overdue.
 */
/** The deal's invoice in the ERP, through the sale the booking wrote onto the opportunity. */
export async function invoiceOfDeal(
  erp: SandboxErp,
  sf: LocalSalesforce,
  opportunityId: string,
): Promise<string | undefined> {
  const saleId = sf.org.get('Opportunity', opportunityId)?.ERP_Order_Id__c;
  return typeof saleId === 'string' && saleId ? (await erp.getSale(saleId)).invoiceIds[0] : undefined;
}

export async function financeActsInTheErp(
  erp: SandboxErp,
  sf: LocalSalesforce,
  keys: Record<string, string>,
): Promise<void> {
  const invoiceOf = (key: string) => invoiceOfDeal(erp, sf, keys[key] as string);
  const today = new Date().toISOString().slice(0, 10);
  const northwind = await invoiceOf('nw1');
  if (northwind) await erp.recordPayment(northwind, undefined, today);
  const contoso = await invoiceOf('co1');
  if (contoso) await erp.recordPayment(contoso, money('20000.00', catalogue.currency), today);
  const fabrikam = String(sf.org.get('Account', keys.fabrikam as string)?.ERP_Customer_Id__c ?? '');
  if (fabrikam) await erp.issueInvoice(fabrikam, money('4990.00', catalogue.currency), dayBefore(new Date(), 50));
}
