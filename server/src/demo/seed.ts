/** Loads the demo's data into the local Salesforce and the sandbox ERP. */
import type { LocalSalesforce } from '../emulator/salesforce';
import type { SandboxErp } from '../erp/sandbox/sandboxErp';
import { money } from '../money';
import catalogue from './data/catalogue.json';
import erpCustomers from './data/erp-customers.json';
import org from './data/salesforce-org.json';

const DAY_MS = 86_400_000;

/** The org fixture with the demo's `$closedDaysAgo` turned into real close dates. */
function orgFixture(today: Date): unknown {
  const opportunities = org.Opportunity.map(({ $closedDaysAgo, ...fields }) => ({
    ...fields,
    CloseDate: new Date(today.getTime() - $closedDaysAgo * DAY_MS).toISOString().slice(0, 10),
  }));
  return { ...org, Opportunity: opportunities };
}

export async function seedSandboxErp(erp: SandboxErp): Promise<void> {
  for (const p of catalogue.products) {
    await erp.upsertProduct({
      code: p.code,
      name: p.name,
      listPrice: money(p.price, catalogue.currency),
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
}

/** Seeds the org; returns the won opportunities' ids (what the Apex trigger would send). */
export function seedSalesforce(
  sf: LocalSalesforce,
  today = new Date(),
): { won: string[]; keys: Record<string, string> } {
  const keys = sf.org.seed(orgFixture(today));
  const won = org.Opportunity.filter((o) => o.StageName === 'Closed Won').map((o) => keys[o.$key] as string);
  return { won, keys };
}

/**
 * Finance's side of the story, in the ERP: Northwind pays in full, Contoso pays a part, and an
 * older Fabrikam invoice (billed outside Closeloop 50 days ago) is now overdue.
 */
export async function financeActsInTheErp(
  erp: SandboxErp,
  sf: LocalSalesforce,
  keys: Record<string, string>,
): Promise<void> {
  const invoiceOf = async (key: string) => {
    const saleId = String(sf.org.get('Opportunity', keys[key] as string)?.ERP_Order_Id__c ?? '');
    return saleId ? (await erp.getSale(saleId)).invoiceIds[0] : undefined;
  };
  const today = new Date().toISOString().slice(0, 10);
  const northwind = await invoiceOf('nw1');
  if (northwind) await erp.recordPayment(northwind, undefined, today);
  const contoso = await invoiceOf('co1');
  if (contoso) await erp.recordPayment(contoso, money('20000.00', catalogue.currency), today);
  const fabrikam = String(sf.org.get('Account', keys.fabrikam as string)?.ERP_Customer_Id__c ?? '');
  if (fabrikam)
    await erp.issueInvoice(
      fabrikam,
      money('4990.00', catalogue.currency),
      new Date(Date.now() - 50 * DAY_MS).toISOString().slice(0, 10),
    );
}
