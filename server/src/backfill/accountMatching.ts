/**
 * First-time setup for an org that already has customers in both systems: which Salesforce
 * accounts are which ERP customers. Closeloop proposes, a person confirms (`sf closeloop
 * backfill`); nothing is linked on a guess.
 *
 * - `unmatchedAccounts` pages through accounts with no ERP_Customer_Id__c (keyset by Id, so an
 *   interrupted run resumes from the last id it saw) and, for each, the ERP's same company (same
 *   name key and country, as the booking flow matches) and similar names, best first. Customers
 *   already linked to an account are not offered again.
 * - `confirmLinks` writes the confirmed ids onto the accounts in Salesforce, then links them in the
 *   read model, so the next sweep brings their balances. Each link is checked first and refused
 *   with a reason (no such customer, already on another account, account already linked).
 */
import { BusinessError } from '../errors';
import type { ErpConnector, ErpCustomer } from '../erp/connector';
import { countryCode } from '../booking/country';
import { customersWithSameName, similarCustomers } from '../booking/customerMatch';
import { applyAccountLinks, type AccountLink } from '../financials/links';
import type { RecordResult, RecordUpdate } from '../salesforce/client';
import type { UnlinkedAccount } from '../salesforce/accounts';
import type { Store } from '../store/db';

const SUGGESTIONS_PER_ACCOUNT = 5;

export interface BackfillDeps {
  store: Store;
  erp: ErpConnector;
  salesforce: {
    accountsWithoutErpCustomer(afterId: string | null, limit: number): Promise<UnlinkedAccount[]>;
    findAccountsByErpCustomerIds(ids: string[]): Promise<AccountLink[]>;
    readAccountLinks(accountIds: string[]): Promise<AccountLink[]>;
    update(records: RecordUpdate[]): Promise<RecordResult[]>;
  };
}

export interface CustomerView {
  erpCustomerId: string;
  name: string;
  countryCode: string | null;
  postalCode: string | null;
}

export interface UnmatchedAccountView {
  accountId: string;
  name: string;
  country: string | null;
  /** The one ERP customer with the same name in the same country, when there is exactly one. */
  match: CustomerView | null;
  /** Similar names (0–1 similarity), best first; for a person to choose from. */
  suggestions: Array<CustomerView & { score: number }>;
  /** Why no safe match could be offered, when the search itself could not decide. */
  note: string | null;
}

const view = (c: ErpCustomer): CustomerView => ({
  erpCustomerId: c.id,
  name: c.name,
  countryCode: c.countryCode,
  postalCode: c.postalCode,
});

export async function unmatchedAccounts(
  deps: BackfillDeps,
  afterId: string | null,
  limit: number,
): Promise<{ items: UnmatchedAccountView[]; next: string | null }> {
  const accounts = await deps.salesforce.accountsWithoutErpCustomer(afterId, limit);
  const items: UnmatchedAccountView[] = [];
  for (const account of accounts) items.push(await candidatesFor(deps, account));
  return { items, next: accounts.length === limit ? (accounts.at(-1)?.accountId ?? null) : null };
}

async function candidatesFor(deps: BackfillDeps, account: UnlinkedAccount): Promise<UnmatchedAccountView> {
  const base = { accountId: account.accountId, name: account.name, country: account.country };
  let sameName: ErpCustomer[];
  try {
    sameName = await customersWithSameName(deps.erp, account);
  } catch (e) {
    if (e instanceof BusinessError) return { ...base, match: null, suggestions: [], note: e.message };
    throw e;
  }
  const similar = await similarCustomers(deps.erp, account.name, sameName);
  const taken = await linkedCustomers(
    deps.store,
    [...sameName, ...similar.map((s) => s.customer)].map((c) => c.id),
  );
  const country = countryCode(account.country);
  const sameCompany = sameName.filter((c) => country !== null && c.countryCode === country && !taken.has(c.id));
  return {
    ...base,
    match: sameCompany.length === 1 && sameCompany[0] ? view(sameCompany[0]) : null,
    suggestions: similar
      .filter((s) => !taken.has(s.customer.id))
      .slice(0, SUGGESTIONS_PER_ACCOUNT)
      .map((s) => ({ ...view(s.customer), score: Number(s.score.toFixed(3)) })),
    note: sameCompany.length > 1 ? 'Several ERP customers have this name in this country: choose one.' : null,
  };
}

/** Of these ERP customers, the ones already linked to an account. */
async function linkedCustomers(store: Store, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store.query<{ erp_customer_id: string }>(
    'SELECT erp_customer_id FROM account_links WHERE erp_customer_id = ANY ($1::text[])',
    [ids],
  );
  return new Set(rows.map((r) => r.erp_customer_id));
}

export interface LinkRequest {
  accountId: string;
  erpCustomerId: string;
}

export interface LinkResult extends LinkRequest {
  status: 'linked' | 'rejected';
  reason: string | null;
}

export async function confirmLinks(deps: BackfillDeps, requests: LinkRequest[]): Promise<LinkResult[]> {
  const results = new Map<string, LinkResult>();
  const reject = (r: LinkRequest, reason: string) => results.set(r.accountId, { ...r, status: 'rejected', reason });

  const accounts = new Map(
    (await deps.salesforce.readAccountLinks(requests.map((r) => r.accountId))).map((a) => [a.accountId, a]),
  );
  const elsewhere = new Map(
    (await deps.salesforce.findAccountsByErpCustomerIds(requests.map((r) => r.erpCustomerId))).map((a) => [
      a.erpCustomerId,
      a.accountId,
    ]),
  );
  const seenCustomers = new Set<string>();
  const seenAccounts = new Set<string>();
  const toWrite: Array<LinkRequest & { currency: string }> = [];
  for (const request of requests) {
    const account = accounts.get(request.accountId);
    const holder = elsewhere.get(request.erpCustomerId);
    if (seenAccounts.has(request.accountId)) throw new RangeError(`account ${request.accountId} is listed twice`);
    if (!account) reject(request, 'No such account (or it was deleted).');
    else if (seenCustomers.has(request.erpCustomerId))
      reject(request, `ERP customer ${request.erpCustomerId} is asked for twice in this request.`);
    else if (holder && holder !== request.accountId)
      reject(request, `ERP customer ${request.erpCustomerId} is already on account ${holder}.`);
    else if (account.erpCustomerId && account.erpCustomerId !== request.erpCustomerId)
      reject(request, `The account is already linked to ERP customer ${account.erpCustomerId}.`);
    else if (!(await deps.erp.getCustomer(request.erpCustomerId)))
      reject(request, `The ERP has no customer ${request.erpCustomerId}.`);
    else toWrite.push({ ...request, currency: account.currency });
    seenCustomers.add(request.erpCustomerId);
    seenAccounts.add(request.accountId);
  }

  const written = await deps.salesforce.update(
    toWrite.map((l) => ({ type: 'Account', id: l.accountId, fields: { ERP_Customer_Id__c: l.erpCustomerId } })),
  );
  const linked: AccountLink[] = [];
  toWrite.forEach((link, i) => {
    const outcome = written[i];
    if (outcome?.success) {
      linked.push(link);
      results.set(link.accountId, {
        accountId: link.accountId,
        erpCustomerId: link.erpCustomerId,
        status: 'linked',
        reason: null,
      });
    } else {
      reject(link, `Salesforce refused it: ${outcome?.errors.map((e) => e.message).join('; ') || 'no answer'}`);
    }
  });
  await applyAccountLinks(deps.store, linked);
  return requests.map((r) => results.get(r.accountId) as LinkResult);
}
