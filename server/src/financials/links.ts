/**
 * Which Salesforce account is which ERP customer. Links come from bookings (Closeloop wrote
 * ERP_Customer_Id__c itself) and from Salesforce (an admin set ERP_Customer_Id__c by hand):
 * a customer that changed in the ERP and has no link yet is looked up once, in one query for all
 * of them; the answer (found or not) is remembered until the customer changes again.
 * Accounts with no ERP customer are left alone.
 */
import type { Sql } from '../store/db';

export interface LinkLookup {
  /** Accounts whose ERP_Customer_Id__c is one of these, with their currency. */
  findAccountsByErpCustomerIds(
    ids: string[],
  ): Promise<Array<{ accountId: string; erpCustomerId: string; currency: string }>>;
}

const UNIQUE_VIOLATION = '23505';

/** Records a link; an ERP customer already linked to another account keeps that link. */
export async function linkAccount(
  sql: Sql,
  accountId: string,
  erpCustomerId: string,
  currency: string,
  source: 'booking' | 'salesforce',
) {
  try {
    await sql.query(
      `INSERT INTO account_links (account_id, erp_customer_id, currency, source) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE SET erp_customer_id = EXCLUDED.erp_customer_id, currency = EXCLUDED.currency,
                                             source = EXCLUDED.source, linked_at = now()
       WHERE account_links.erp_customer_id <> EXCLUDED.erp_customer_id OR account_links.currency <> EXCLUDED.currency`,
      [accountId, erpCustomerId, currency, source],
    );
  } catch (e) {
    if ((e as { code?: unknown }).code !== UNIQUE_VIOLATION) throw e;
  }
}

/** Looks up, in Salesforce, the changed customers not linked yet (and those never checked). */
/** Returns the accounts newly linked. */
export async function discoverLinks(sql: Sql, lookup: LinkLookup, changedCustomers: Set<string>): Promise<string[]> {
  const changed = [...changedCustomers];
  const unlinked = await sql.query<{ id: string }>(
    `SELECT id FROM unnest($1::text[]) AS c(id)
      WHERE NOT EXISTS (SELECT 1 FROM account_links l WHERE l.erp_customer_id = c.id)
     UNION
     SELECT DISTINCT i.erp_customer_id FROM erp_invoices i
      WHERE NOT EXISTS (SELECT 1 FROM account_links l WHERE l.erp_customer_id = i.erp_customer_id)
        AND NOT EXISTS (SELECT 1 FROM link_checks k WHERE k.erp_customer_id = i.erp_customer_id)`,
    [changed],
  );
  const ids = unlinked.map((r) => r.id);
  if (ids.length === 0) return [];
  const found = await lookup.findAccountsByErpCustomerIds(ids);
  for (const f of found) await linkAccount(sql, f.accountId, f.erpCustomerId, f.currency, 'salesforce');
  await sql.query(
    `INSERT INTO link_checks (erp_customer_id) SELECT unnest($1::text[])
     ON CONFLICT (erp_customer_id) DO UPDATE SET checked_at = now()`,
    [ids],
  );
  return found.map((f) => f.accountId);
}
