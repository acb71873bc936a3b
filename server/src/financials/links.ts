/**
 * Which Salesforce account is which ERP customer. Salesforce is the source: ERP_Customer_Id__c
 * on the account (unique there). The read model learns it four ways:
 * - a booking wrote the id onto the account itself;
 * - an admin set, moved or cleared the id: the Account trigger sends `account.erp_customer_changed`
 *   and a relink job reads those accounts (relink.ts);
 * - a customer that changed in the ERP and has no link yet is looked up by its id (discoverLinks);
 * - once an hour, accounts changed in Salesforce are read again (the safety net, in the sweep).
 * An account whose id was cleared, or moved to another account, is unlinked and its figures
 * cleared in Salesforce; accounts with no ERP customer are otherwise left alone.
 */
import type { Sql, Store } from '../store/db';
import { markDirty } from './readModel';

export interface AccountLink {
  accountId: string;
  /** Null: the account carries no ERP customer (any more). */
  erpCustomerId: string | null;
  /** The account's currency (CurrencyIsoCode, or the org's in a single-currency org). */
  currency: string;
}

export interface LinkLookup {
  /** Accounts whose ERP_Customer_Id__c is one of these. */
  findAccountsByErpCustomerIds(ids: string[]): Promise<AccountLink[]>;
  /** These accounts as they are now (missing ones — deleted — are absent). */
  readAccountLinks(accountIds: string[]): Promise<AccountLink[]>;
}

/** The Account fields of a customer no more: cleared so no stale figure stays on the record. */
export const CLEARED_ACCOUNT_FIELDS = {
  Outstanding_Balance__c: null,
  Overdue_Balance__c: null,
  Credit_Limit__c: null,
  Available_Credit__c: null,
  Credit_Hold__c: false,
  Last_Payment_Date__c: null,
  Days_Sales_Outstanding__c: null,
  Finance_Synced_At__c: null,
};

/**
 * Makes the read model agree with Salesforce for these accounts. A customer moves with its id
 * (the account that had it before is unlinked). Returns the accounts unlinked, whose figures the
 * caller clears in Salesforce; linked customers are marked for the next push.
 */
export async function applyAccountLinks(store: Store, links: AccountLink[]): Promise<string[]> {
  const unlinked: string[] = [];
  for (const link of links) {
    const gone = await store.transaction(async (tx) =>
      link.erpCustomerId === null
        ? unlink(tx, link.accountId)
        : linkAccount(tx, link.accountId, link.erpCustomerId, link.currency, 'salesforce'),
    );
    unlinked.push(...gone);
  }
  return [...new Set(unlinked)];
}

/** Links the account to the customer, taking the customer from any account that had it; returns those. */
export async function linkAccount(
  sql: Sql,
  accountId: string,
  erpCustomerId: string,
  currency: string,
  source: 'booking' | 'salesforce',
): Promise<string[]> {
  const moved = await sql.query<{ account_id: string }>(
    'DELETE FROM account_links WHERE erp_customer_id = $1 AND account_id <> $2 RETURNING account_id',
    [erpCustomerId, accountId],
  );
  await sql.query(
    `INSERT INTO account_links (account_id, erp_customer_id, currency, source) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id) DO UPDATE SET erp_customer_id = EXCLUDED.erp_customer_id, currency = EXCLUDED.currency,
                                           source = EXCLUDED.source, linked_at = now()
     WHERE account_links.erp_customer_id <> EXCLUDED.erp_customer_id OR account_links.currency <> EXCLUDED.currency`,
    [accountId, erpCustomerId, currency, source],
  );
  await markDirty(sql, [erpCustomerId]);
  const previous = moved.map((m) => m.account_id);
  if (previous.length > 0) await forgetSummaries(sql, previous);
  return previous;
}

async function unlink(sql: Sql, accountId: string): Promise<string[]> {
  const gone = await sql.query<{ account_id: string }>(
    'DELETE FROM account_links WHERE account_id = $1 RETURNING account_id',
    [accountId],
  );
  if (gone.length > 0) await forgetSummaries(sql, [accountId]);
  return gone.map((g) => g.account_id);
}

async function forgetSummaries(sql: Sql, accountIds: string[]): Promise<void> {
  await sql.query('DELETE FROM account_summaries WHERE account_id = ANY ($1::text[])', [accountIds]);
}

/** Looks up, in Salesforce, the changed customers not linked yet (and those never checked). Returns accounts newly linked. */
export async function discoverLinks(
  store: Store,
  lookup: LinkLookup,
  changedCustomers: Set<string>,
): Promise<string[]> {
  const unlinked = await store.query<{ id: string }>(
    `SELECT id FROM unnest($1::text[]) AS c(id)
      WHERE NOT EXISTS (SELECT 1 FROM account_links l WHERE l.erp_customer_id = c.id)
     UNION
     SELECT DISTINCT i.erp_customer_id FROM erp_invoices i
      WHERE NOT EXISTS (SELECT 1 FROM account_links l WHERE l.erp_customer_id = i.erp_customer_id)
        AND NOT EXISTS (SELECT 1 FROM link_checks k WHERE k.erp_customer_id = i.erp_customer_id)`,
    [[...changedCustomers]],
  );
  const ids = unlinked.map((r) => r.id);
  if (ids.length === 0) return [];
  const found = await lookup.findAccountsByErpCustomerIds(ids);
  await applyAccountLinks(store, found);
  await store.query(
    `INSERT INTO link_checks (erp_customer_id) SELECT unnest($1::text[])
     ON CONFLICT (erp_customer_id) DO UPDATE SET checked_at = now()`,
    [ids],
  );
  return found.map((f) => f.accountId);
}
