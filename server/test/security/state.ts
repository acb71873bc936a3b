/**
 * Everything a request could change, as one comparable value: every table of the store (jobs and
 * the sandbox ERP live there), every record of the local Salesforce and its API-call count.
 */
import type { LocalSalesforce } from '../../src/emulator/salesforce';
import type { Store } from '../../src/store/db';

const SALESFORCE_TYPES = ['Account', 'Opportunity', 'OpportunityLineItem', 'Product2', 'User'];

export interface StateSnapshot {
  tables: Record<string, string>;
  salesforce: Record<string, string>;
  salesforceApiCalls: number;
  salesforceLogins: number;
}

export async function snapshot(store: Store, sf: LocalSalesforce): Promise<StateSnapshot> {
  const names = await store.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  const tables: Record<string, string> = {};
  for (const { name } of names) {
    const rows = await store.query<Record<string, unknown>>(`SELECT * FROM "${name}"`);
    tables[name] = rows
      .map((r) => JSON.stringify(r))
      .sort()
      .join('\n');
  }
  const salesforce: Record<string, string> = {};
  for (const type of SALESFORCE_TYPES) {
    try {
      salesforce[type] = JSON.stringify(sf.org.all(type, { includeDeleted: true }));
    } catch {
      salesforce[type] = 'no such object';
    }
  }
  return { tables, salesforce, salesforceApiCalls: sf.apiCalls.total, salesforceLogins: sf.tokenRequests };
}

/** Store row counts, for the report (how much state the "unchanged" check covered). */
export const rowCount = (s: StateSnapshot) =>
  Object.values(s.tables).reduce((n, t) => n + (t === '' ? 0 : t.split('\n').length), 0);
