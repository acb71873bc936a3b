/**
 * Which ERP customer an account's deal is booked to. In order:
 *   1. the ERP id stored on the account (ERP_Customer_Id__c) — it must exist;
 *   2. a customer Closeloop created earlier for this account (the account id is stored on it:
 *      this is how a run that crashed before writing the id back finds its customer again);
 *   3. a deterministic key: the same company name (see names.ts) in the same country;
 *   4. otherwise a fuzzy look at similar names: any candidate is recorded as a suggestion and the
 *      booking waits for a person — a possible duplicate is never created silently;
 *   5. no candidate at all: a new customer.
 * A person resolves a suggestion by setting ERP_Customer_Id__c on the account, or by asking the
 * backend to create a new customer anyway (`customerResolution: 'create'`).
 */
import { BusinessError } from '../errors';
import type { ErpConnector, ErpCustomer } from '../erp/connector';
import type { OpportunityForBooking } from '../salesforce/opportunities';
import type { Sql } from '../store/db';
import { countryCode } from './country';
import { nameKey, nameSimilarity, nameWords } from './names';

/** Names at least this similar are shown to a person before a new customer is created. */
export const SUGGESTION_THRESHOLD = 0.75;
/** More names than this alike and the search cannot be sure it saw the exact match: ask a person. */
const CANDIDATE_LIMIT = 200;
const PREFIX_LENGTH = 4;

export type CustomerResolution = 'auto' | 'create';

export interface CustomerMatch {
  customer: ErpCustomer;
  how: 'stored_id' | 'external_ref' | 'name_and_country' | 'created';
}

type Account = NonNullable<OpportunityForBooking['account']>;

export async function matchOrCreateCustomer(
  erp: ErpConnector,
  sql: Sql,
  account: Account,
  resolution: CustomerResolution = 'auto',
  /** Runs just before a customer is created (the caller's last chance to stop). */
  beforeCreate: () => void = () => undefined,
): Promise<CustomerMatch> {
  if (account.erpCustomerId) return { customer: await storedCustomer(erp, account), how: 'stored_id' };

  const ours = await erp.findCustomersByExternalRef(account.id);
  if (ours[0]) return { customer: ours[0], how: 'external_ref' };

  if (resolution === 'auto') {
    const country = countryCode(account.country);
    const sameName = await customersWithSameName(erp, account);
    const deterministic = sameName.filter((c) => country !== null && c.countryCode === country);
    if (deterministic.length > 1) throw ambiguous(account, deterministic);
    if (deterministic[0]) return { customer: deterministic[0], how: 'name_and_country' };

    const similar = await similarCustomers(erp, account.name, sameName);
    if (similar.length > 0) {
      await recordSuggestions(sql, account, similar, country);
      throw possibleDuplicate(account, similar);
    }
  }
  beforeCreate();
  return { customer: await erp.createCustomer(newCustomerFor(account)), how: 'created' };
}

/** Customers whose names look like `name` (at least SUGGESTION_THRESHOLD), most similar first. */
export async function similarCustomers(
  erp: ErpConnector,
  name: string,
  alsoConsider: ErpCustomer[] = [],
): Promise<Array<{ customer: ErpCustomer; score: number }>> {
  const candidates = await erp.searchCustomersByName(searchTerms(name), CANDIDATE_LIMIT, 'any');
  const byId = new Map([...alsoConsider, ...candidates].map((c) => [c.id, c]));
  return [...byId.values()]
    .map((c) => ({ customer: c, score: nameSimilarity(c.name, name) }))
    .filter((s) => s.score >= SUGGESTION_THRESHOLD)
    .sort((a, b) => b.score - a.score);
}

/**
 * Customers with the same name key (see names.ts): searched by every word of the name, so the
 * search is narrow. More hits than can be read means it cannot be sure: a person decides.
 */
export async function customersWithSameName(erp: ErpConnector, account: { name: string }): Promise<ErpCustomer[]> {
  const words = nameWords(account.name);
  if (words.length === 0) return [];
  const candidates = await erp.searchCustomersByName(words, CANDIDATE_LIMIT, 'all');
  if (candidates.length >= CANDIDATE_LIMIT) throw tooManyCandidates(account);
  const key = nameKey(account.name);
  return candidates.filter((c) => nameKey(c.name) === key);
}

/** The name's words, plus their first letters so that typos ("Umbrela") still find candidates. */
function searchTerms(name: string): string[] {
  const words = nameWords(name);
  const prefixes = words.filter((w) => w.length > PREFIX_LENGTH).map((w) => w.slice(0, PREFIX_LENGTH));
  return [...new Set([...words, ...prefixes])];
}

async function storedCustomer(erp: ErpConnector, account: Account): Promise<ErpCustomer> {
  const id = account.erpCustomerId as string;
  const customer = await erp.getCustomer(id);
  if (!customer) {
    throw new BusinessError(
      'ERP_CUSTOMER_NOT_FOUND',
      `The account's ERP Customer Id "${id}" does not exist in the ERP. Correct it, or clear it to let Closeloop match or create the customer, then retry.`,
    );
  }
  return customer;
}

function newCustomerFor(account: Account) {
  return {
    name: account.name,
    externalRef: account.id,
    street: account.street,
    city: account.city,
    postalCode: account.postalCode,
    countryCode: countryCode(account.country),
    phone: account.phone,
    website: account.website,
  };
}

function describe(c: ErpCustomer): string {
  const where = [c.postalCode, c.countryCode].filter(Boolean).join(' ');
  return `"${c.name}" (ERP id ${c.id}${where ? `, ${where}` : ''})`;
}

function ambiguous(account: Account, matches: ErpCustomer[]): BusinessError {
  return new BusinessError(
    'AMBIGUOUS_CUSTOMER',
    `Several ERP customers match "${account.name}": ${matches.map(describe).join(', ')}. ` +
      'Set ERP Customer Id on the account to the right one, then retry.',
  );
}

function tooManyCandidates(account: { name: string }): BusinessError {
  return new BusinessError(
    'TOO_MANY_CANDIDATES',
    `More than ${CANDIDATE_LIMIT - 1} ERP customers have names like "${account.name}", so Closeloop cannot tell safely whether it exists. ` +
      'Set ERP Customer Id on the account to the right customer, or retry with "create a new customer".',
  );
}

function possibleDuplicate(account: Account, similar: Array<{ customer: ErpCustomer; score: number }>): BusinessError {
  const list = similar
    .slice(0, 5)
    .map((s) => `${describe(s.customer)} — ${Math.round(s.score * 100)}% similar`)
    .join('; ');
  return new BusinessError(
    'POSSIBLE_DUPLICATE_CUSTOMER',
    `"${account.name}" may already exist in the ERP: ${list}. To use one, set ERP Customer Id on the account to its id and retry; ` +
      'if it is a different company, retry with "create a new customer".',
  );
}

async function recordSuggestions(
  sql: Sql,
  account: Account,
  similar: Array<{ customer: ErpCustomer; score: number }>,
  country: string | null,
): Promise<void> {
  for (const { customer, score } of similar) {
    const reason =
      score === 1
        ? `same name; country ${country ?? 'unknown'} in Salesforce, ${customer.countryCode ?? 'unknown'} in the ERP`
        : `similar name (${Math.round(score * 100)}%)`;
    await sql.query(
      `INSERT INTO customer_match_suggestions (account_id, erp_customer_id, erp_customer_name, score, reason)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id, erp_customer_id) DO UPDATE SET score = EXCLUDED.score, reason = EXCLUDED.reason,
                                                                erp_customer_name = EXCLUDED.erp_customer_name`,
      [account.id, customer.id, customer.name, score.toFixed(3), reason],
    );
  }
}
